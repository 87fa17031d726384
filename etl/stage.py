"""One export's members → staged tables: a pure function of the raw export's bytes.

Every record read ends as a kept row, a duplicate of one (same-play rule within the export), or
a reject with its reason; the member statistics count all three and they add up.
"""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from etl import same_play, schemas
from etl.formats import account_files, detect
from etl.formats.jsonfile import MemberError, load_json
from etl.formats.records import Reject
from etl.formats.streaming import READ, read_streaming
from etl.hashing import sha256_file
from etl.lakeio import write_parquet

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
    root: Path, info: MemberInfo, user: str, export_id: str, shows: list[str]
) -> tuple[str | None, pa.Table | None, pa.Table]:
    """(clean table name, its rows, rejects) for one member; records its stats in ``info``."""
    path = root / info.path
    table_name, table = None, None
    try:
        if info.kind in detect.STREAMING_KINDS:
            table_name = "streams"
            table, info.records, rejects = read_streaming(
                path, info.kind, user=user, export_id=export_id, member=info.path, shows=shows
            )
        else:
            table_name, reader = _READERS[info.kind]
            table, rejects = reader(load_json(path, info.path), user=user, export_id=export_id)
            info.records = table.num_rows + len(rejects)
            info.rows = table.num_rows
    except MemberError as exc:
        msg = str(exc)
        info.status, info.reason = "rejected", msg if info.path in msg else f"{info.path}: {msg}"
        rejects, table = [Reject(-1, info.reason, "")], None
    else:
        info.status = "parsed"
    info.rejects = sum(1 for r in rejects if r.index >= 0)
    return table_name, table, _rejects_table(user, export_id, info.path, rejects)


def _detect(root: Path, paths: list[str]) -> list[MemberInfo]:
    members = [MemberInfo(p, sha256_file(root / p), (root / p).stat().st_size) for p in paths]
    for m in members:
        kind, why = _sniff_kind(root / m.path, detect.kind_from_name(m.path))
        m.kind = kind or "unrecognised"
        m.reason = f"{m.path}: {why}" if why and m.path not in why else why
        m.status = (
            "pending" if kind in detect.PARSED_KINDS else ("kept" if kind else "unrecognised")
        )
    return members


def stage_export(
    root: Path, paths: list[str], user: str, export_id: str, out_dir: Path
) -> StagedExport:
    """Detect, parse and normalise every member under ``root``; write staged tables to out_dir.

    Streaming members go to disk one by one (``_parts/``) and are merged from there, so memory
    stays bounded by a single member however long the history.
    """
    members = _detect(root, paths)
    pending = [m for m in members if m.status == "pending"]
    # The library first: in legacy history, plays of a followed show are podcast episodes.
    library = [m for m in pending if m.kind == "library"]
    results = [_stage_member(root, m, user, export_id, []) for m in library]
    shows = sorted(
        {s for _, t, _ in results if t is not None for s in account_files.library_show_names(t)}
    )
    parts_dir = out_dir / "_parts"
    parts_dir.mkdir(parents=True, exist_ok=True)

    def work(indexed: tuple[int, MemberInfo]) -> tuple[str | None, pa.Table | None, pa.Table]:
        i, m = indexed
        name, table, rejects = _stage_member(root, m, user, export_id, shows)
        if name == "streams":
            if table is not None:
                _write_part(table, parts_dir / f"{i:06d}.parquet", export_id)
            table = None
        return name, table, rejects

    rest = [m for m in pending if m.kind != "library"]
    # DuckDB releases the GIL: two members at a time keep both cores busy.
    with ThreadPoolExecutor(max_workers=2) as pool:
        results += pool.map(work, enumerate(rest))
    out: dict[str, list[pa.Table]] = {name: [] for name in schemas.CLEAN if name != "streams"}
    for table_name, table, rejects in results:
        if table is not None:
            out[table_name].append(table)
        out["_rejects"].append(rejects)
    staged = StagedExport(members)
    for name, parts in out.items():
        table = pa.concat_tables(parts) if parts else schemas.CLEAN[name].empty_table()
        write_parquet(table, out_dir / f"{name}.parquet", schemas.CLEAN[name])
    _merge_streams(staged, sorted(parts_dir.glob("*.parquet")), out_dir / "streams.parquet")
    shutil.rmtree(parts_dir)
    return staged


_PART_SCHEMA = pa.schema(list(READ) + [pa.field("sources", pa.list_(pa.string()))])


def _write_part(table: pa.Table, path: Path, export_id: str) -> None:
    sources = pa.array([[export_id]] * table.num_rows, type=pa.list_(pa.string()))
    pq.write_table(
        table.append_column("sources", sources).cast(_PART_SCHEMA), path, compression="lz4"
    )


def _merge_streams(staged: StagedExport, parts: list[Path], out: Path) -> None:
    """Collapse the export's own repeats (same-play rule); count rows kept per member."""
    if parts:
        same_play.merge_files(parts, out, provenance=True)
        kept = pc.value_counts(pq.read_table(out, columns=["member"])["member"]).to_pylist()
    else:
        write_parquet(schemas.STAGED_STREAMS.empty_table(), out, schemas.STAGED_STREAMS)
        kept = []
    kept_by_member = {c["values"]: c["counts"] for c in kept}
    for m in staged.members:
        if m.kind in detect.STREAMING_KINDS and m.status == "parsed":
            m.rows = kept_by_member.get(m.path, 0)
            m.duplicates = m.records - m.rows - m.rejects
