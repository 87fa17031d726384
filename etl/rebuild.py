"""Recreate the clean layer from raw alone (raw is the truth; everything else is derived)."""

from __future__ import annotations

import shutil
import uuid

from etl import clean
from etl.ingest import stage_to
from etl.lakeio import user_lock
from etl.paths import Lake
from etl.raw import read_manifest


def rebuild_user(lake: Lake, user: str) -> dict[str, int]:
    """Re-stage every raw export of ``user`` from its member files, then re-merge clean."""
    with user_lock(lake.tmp / "locks", user):
        for export_id in lake.raw_exports(user):
            raw_dir = lake.raw_export(user, export_id)
            manifest = read_manifest(lake.manifest(user, export_id))
            members = sorted(m["path"] for m in manifest["members"])
            work = lake.tmp / f"rebuild-{uuid.uuid4().hex}"
            try:
                stage_to(lake, user, export_id, raw_dir, members, work)
                final = lake.staged_dir(user, export_id)
                if final.exists():
                    shutil.rmtree(final)
                final.parent.mkdir(parents=True, exist_ok=True)
                work.replace(final)
            finally:
                shutil.rmtree(work, ignore_errors=True)
        return clean.merge_user(lake, user)
