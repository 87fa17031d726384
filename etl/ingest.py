"""Landing → raw → clean for one input, safely: temp dirs, renames, and quarantine for bad input.

Order of commitment: staged tables are renamed into place first, then the raw export folder
(its manifest marks it complete), then the user's clean tables are rewritten. A crash at any
point leaves the previous consistent state; a rerun redoes the unfinished part.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from etl import config, raw
from etl.intake import Input, InputError, fingerprint, resolve
from etl.paths import Lake

if TYPE_CHECKING:
    from etl.stage import StagedExport

# The parsing stack (pyarrow, DuckDB) is imported only once an export turns out to be new, so
# re-dropping a known export answers in a blink.

log = logging.getLogger(__name__)
MANIFEST_FORMAT = 1


def _within(path: Path, folder: Path) -> Path | None:
    try:
        return path.resolve().relative_to(folder.resolve())
    except ValueError:
        return None


def _free_name(path: Path) -> Path:
    n, candidate = 1, path
    while candidate.exists() or candidate.with_name(candidate.name + ".reason.txt").exists():
        candidate = path.with_name(f"{path.stem}.{n}{path.suffix}")
        n += 1
    return candidate


def _set_aside(path: Path, lake: Lake, folder: Path, reason: str | None) -> Path:
    """Move a landing input to ``folder`` (copy it if it lives outside landing)."""
    rel = _within(path, lake.landing)
    dest = _free_name(folder / (rel if rel is not None else Path(path.name)))
    dest.parent.mkdir(parents=True, exist_ok=True)
    if rel is not None:
        shutil.move(str(path), dest)
    elif reason is not None:  # never move a person's own file from outside the lake
        (shutil.copytree if path.is_dir() else shutil.copy2)(path, dest)
    else:
        return path
    if reason is not None:
        dest.with_name(dest.name + ".reason.txt").write_text(reason + "\n")
    return dest


def _paths_of(inp: Input) -> list[Path]:
    return list(inp.files) if inp.source_type == "files" else [inp.path]


def _manifest(inp: Input, export_id: str, sha: str, size: int, staged: StagedExport) -> dict:
    members = staged.member_dicts()
    totals = {k: sum(m[k] for m in members) for k in ("records", "rows", "duplicates", "rejects")}
    return {
        "format": MANIFEST_FORMAT,
        "export_id": export_id,
        "user_id": inp.user,
        "source_name": inp.name,
        "source_type": inp.source_type,
        "sha256": sha,
        "size_bytes": size,
        "received_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "families": staged.families,
        "members": members,
        "totals": totals,
    }


def stage_to(
    lake: Lake, user: str, export_id: str, raw_dir: Path, members: list[str], staged_dir: Path
) -> StagedExport:
    """Parse a raw export folder into staged Parquet files in ``staged_dir``."""
    from etl import stage

    return stage.stage_export(raw_dir, members, user, export_id, staged_dir)


def _commit(lake: Lake, inp: Input, export_id: str, work: Path) -> None:
    final_staged = lake.staged_dir(inp.user, export_id)
    if final_staged.exists():  # left by an interrupted run: redo it
        shutil.rmtree(final_staged)
    final_staged.parent.mkdir(parents=True, exist_ok=True)
    os.replace(work / "staged", final_staged)
    final_raw = lake.raw_export(inp.user, export_id)
    if final_raw.exists():
        shutil.rmtree(final_raw)
    final_raw.parent.mkdir(parents=True, exist_ok=True)
    os.replace(work / "raw", final_raw)


def _ingest(inp: Input, settings: config.Settings, lake: Lake) -> dict[str, Any]:
    sha, size = fingerprint(inp)
    export_id = sha[:12]
    result = {"user": inp.user, "export_id": export_id, "source": inp.name}
    if lake.manifest(inp.user, export_id).exists():
        return {
            **result,
            "status": "skipped",
            "message": f"{inp.name}: already ingested as export {export_id}; nothing to do",
        }
    from etl import clean
    from etl.lakeio import user_lock

    lake.tmp.mkdir(parents=True, exist_ok=True)
    work = lake.tmp / f"ingest-{uuid.uuid4().hex}"
    try:
        members = raw.materialize(inp, work / "raw", settings.max_export_bytes)
        staged = stage_to(lake, inp.user, export_id, work / "raw", members, work / "staged")
        if not staged.usable:
            problems = "; ".join(m.reason for m in staged.members if m.reason)
            raise InputError(
                problems
                or (
                    f"{inp.name}: no Spotify streaming history, playlists or library found; "
                    "drop the zip you downloaded from Spotify's privacy page"
                )
            )
        manifest = _manifest(inp, export_id, sha, size, staged)
        raw.write_manifest(work / "raw" / "_manifest.json", manifest)
        with user_lock(lake.tmp / "locks", inp.user):
            _commit(lake, inp, export_id, work)
            counts = clean.merge_user(lake, inp.user)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    bad = [m for m in manifest["members"] if m["status"] == "rejected"]
    return {
        **result,
        "status": "ingested",
        "families": manifest["families"],
        "totals": manifest["totals"],
        "clean_rows": counts,
        "rejected_members": [{"path": m["path"], "reason": m["reason"]} for m in bad],
        "message": f"{inp.name}: ingested as export {export_id} "
        f"({manifest['totals']['rows']:,} rows, "
        f"{manifest['totals']['duplicates']:,} duplicates, "
        f"{manifest['totals']['rejects']:,} rejected records)",
    }


def _settle(inp: Input, lake: Lake, result: dict[str, Any]) -> None:
    """Move the landing input out of the way: _processed, or _rejected with a reason file."""
    if result["status"] == "rejected":
        for path in _paths_of(inp):
            _set_aside(path, lake, lake.rejected, result["message"])
        return
    bad = {m["path"]: m["reason"] for m in result.get("rejected_members", [])}
    for path in _paths_of(inp):
        reason = bad.get(path.name) if inp.source_type == "files" else None
        if _within(path, lake.landing) is not None or reason:
            _set_aside(path, lake, lake.rejected if reason else lake.processed, reason)


def ingest_one(inp: Input, settings: config.Settings) -> dict[str, Any]:
    lake = Lake(settings.lake_root)
    try:
        result = _ingest(inp, settings, lake)
    except InputError as exc:
        result = {
            "user": inp.user,
            "export_id": None,
            "source": inp.name,
            "status": "rejected",
            "message": str(exc),
        }
    _settle(inp, lake, result)
    log.info(result["message"])
    return result


def ingest_input(path: Path, user: str | None, settings: config.Settings) -> dict[str, Any]:
    """One landing input (zip, folder, or a folder of loose JSON files) → raw → clean."""
    lake = Lake(settings.lake_root)
    try:
        inputs = resolve([path], user, lake, settings)
    except InputError as exc:
        return {
            "user": user,
            "export_id": None,
            "source": str(path),
            "status": "rejected",
            "message": str(exc),
        }
    results = [ingest_one(inp, settings) for inp in inputs]
    if len(results) == 1:
        return results[0]
    return {"status": "batch", "results": results, "message": f"{len(results)} inputs"}
