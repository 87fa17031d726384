"""Data-health tables: one row per raw export, and reject counts per export, member and reason."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from etl.curated_schemas import CURATED
from etl.sqlrun import run


def received_at(manifest: dict) -> dt.datetime | None:
    text = manifest.get("received_at")
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC) if text else None


def build_exports(manifests: dict[str, dict], user: str) -> pa.Table:
    rows = []
    for export_id in sorted(manifests):
        m = manifests[export_id]
        totals = m.get("totals") or {}
        rows.append({
            "user_id": user, "export_id": export_id, "source_name": m.get("source_name"),
            "received_at": received_at(m), "size_bytes": m.get("size_bytes"),
            "member_count": len(m.get("members") or []),
            "families": ",".join(sorted(m.get("families") or [])),
            "records_read": totals.get("records"), "rows_clean": totals.get("rows"),
            "duplicates": totals.get("duplicates"), "rejects": totals.get("rejects"),
        })  # fmt: skip
    return pa.Table.from_pylist(rows, schema=CURATED["exports"])


_REJECTS = """
select $user as user_id, export_id, member, reason, count(*) as record_count
from rejects group by export_id, member, reason
order by export_id, member, reason
"""


def build_reject_reasons(rejects: pa.Table, user: str) -> pa.Table:
    return run(_REJECTS, {"user": user}, rejects=rejects)
