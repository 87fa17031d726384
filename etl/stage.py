"""One export's members → staged tables: a pure function of the raw export's bytes.

Every record read ends as a kept row, a duplicate of one (same-play rule within the export), or
a reject with its reason; the member statistics count all three and they add up.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from etl import same_play, schemas
from etl.formats import account_files, detect
from etl.formats.jsonfile import MemberError, load_json
from etl.formats.records import Reject
from etl.formats.streaming import STAGED, read_streaming

SNIFF_BYTES = 65536
MAX_SNIFF_PARSE = 64 * 1024**2
_KEY_RE = re.compile(rb'"([A-Za-z_]+)"\s*:')


@dataclass
class MemberInfo:
    path: str
    sha256: str
    size_bytes: int
    kind: str = "unrecognised"
    status: str = "unrecognised"
    records: int = 0
    rows: int = 0
    duplicates: int = 0
    rejects: int = 0
    reason: str | None = None


@dataclass
class StagedExport:
    members: list[MemberInfo]
    tables: dict[str, pa.Table] = field(default_factory=dict)

    @property
    def families(self) -> list[str]:
        kinds = {m.kind for m in self.members if m.status == "parsed"}
        fams = {k.split("_")[0] for k in kinds if k in detect.STREAMING_KINDS}
        return sorted(fams)

    @property
    def usable(self) -> bool:
        return any(m.status == "parsed" for m in self.members)

    def member_dicts(self) -> list[dict]:
        return [asdict(m) for m in self.members]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _sniff_kind(path: Path, name_kind: str | None) -> tuple[str | None, str | None]:
    """The kind by JSON shape (and why not, if unreadable).

    For a list the keys of its first object are enough, so big streaming files are not parsed
    twice. A file named like a parsed kind keeps that kind when its shape says nothing: its
    reader then reports precisely what is wrong with it.
    """
    if path.suffix.lower() != ".json":
        return name_kind, None
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    shape = None
    if name_kind is not None and head.lstrip().startswith(b"["):
        end = head.find(b"}")
        keys = _KEY_RE.findall(head[: end if end > 0 else len(head)])
        if keys:
            shape = detect.kind_from_shape([{k.decode(): None for k in keys}], name_kind)
    elif name_kind in detect.PARSED_KINDS or name_kind is None:
        if path.stat().st_size <= MAX_SNIFF_PARSE:
            try:
                shape = detect.kind_from_shape(load_json(path), name_kind)
            except MemberError as exc:
                return name_kind, None if name_kind else str(exc)
    if name_kind in detect.PARSED_KINDS:
        return shape or name_kind, None
    return (name_kind or shape), None


def _rejects_table(user: str, export_id: str, member: str, rejects: list[Reject]) -> pa.Table:
    rows = [
        {
            "user_id": user,
            "export_id": export_id,
            "member": member,
            "record_index": r.index,
            "reason": r.reason,
            "record": r.record,
        }
        for r in rejects
    ]
    return pa.Table.from_pylist(rows, schema=schemas.REJECTS)


_READERS = {
    "playlists": ("playlist_items", account_files.read_playlists),
    "library": ("library_items", account_files.read_library),
    "search_queries": ("search_queries", account_files.read_search_queries),
}


def _stage_member(
    root: Path,
    info: MemberInfo,
    user: str,
    export_id: str,
    shows: list[str],
    out: dict[str, list[pa.Table]],
) -> None:
    path = root / info.path
    try:
        if info.kind in detect.STREAMING_KINDS:
            staged, info.records, rejects = read_streaming(
                path, info.kind, user=user, export_id=export_id, member=info.path, shows=shows
            )
            out["streams"].append(staged)
        else:
            table_name, reader = _READERS[info.kind]
            table, rejects = reader(load_json(path, info.path), user=user, export_id=export_id)
            info.records = table.num_rows + len(rejects)
            info.rows = table.num_rows
            out[table_name].append(table)
    except MemberError as exc:
        msg = str(exc)
        info.status, info.reason = "rejected", msg if info.path in msg else f"{info.path}: {msg}"
        rejects = [Reject(-1, info.reason, "")]
    else:
        info.status = "parsed"
    info.rejects = sum(1 for r in rejects if r.index >= 0)
    out["_rejects"].append(_rejects_table(user, export_id, info.path, rejects))


def stage_export(root: Path, paths: list[str], user: str, export_id: str) -> StagedExport:
    """Detect, parse and normalise every member under ``root`` (relative ``paths``)."""
    members = [MemberInfo(p, sha256_file(root / p), (root / p).stat().st_size) for p in paths]
    for m in members:
        name_kind = detect.kind_from_name(m.path)
        kind, why = _sniff_kind(root / m.path, name_kind)
        m.kind = kind or "unrecognised"
        m.reason = f"{m.path}: {why}" if why and m.path not in why else why
        m.status = (
            "pending" if kind in detect.PARSED_KINDS else ("kept" if kind else "unrecognised")
        )
    out: dict[str, list[pa.Table]] = {name: [] for name in schemas.CLEAN}
    # The library first: in legacy history, plays of a followed show are podcast episodes.
    order = sorted(members, key=lambda m: (m.kind != "library", m.path))
    shows: list[str] = []
    for m in order:
        if m.status != "pending":
            continue
        _stage_member(root, m, user, export_id, shows, out)
        if m.kind == "library" and out["library_items"]:
            shows = account_files.library_show_names(out["library_items"][-1])
    staged = StagedExport(members)
    staged.tables = _concat(out)
    _count_duplicates(staged)
    return staged


def _concat(out: dict[str, list[pa.Table]]) -> dict[str, pa.Table]:
    tables = {}
    for name, parts in out.items():
        schema = STAGED if name == "streams" else schemas.CLEAN[name]
        tables[name] = pa.concat_tables(parts) if parts else schema.empty_table()
    return tables


def _count_duplicates(staged: StagedExport) -> None:
    """Per streaming member: rows kept vs duplicates under the same-play rule, this export alone."""
    streams = staged.tables["streams"]
    if streams.num_rows == 0:
        return
    _, kept = same_play.merge(streams)
    members = streams["member"].take(kept)
    counts = pc.value_counts(members).to_pylist()
    kept_by_member = {c["values"]: c["counts"] for c in counts}
    for m in staged.members:
        if m.kind in detect.STREAMING_KINDS and m.status == "parsed":
            m.rows = kept_by_member.get(m.path, 0)
            m.duplicates = m.records - m.rows - m.rejects
