"""Readers for the streaming-history members: extended (E1–E3) and account (legacy, music,
podcast, audiobook). Both produce rows of one staged shape (``STAGED``), normalised in SQL:

* names trimmed, empty strings and ``Unknown Artist``/``Unknown Track`` placeholders → null;
* ``ended_at`` = ``ts``/``endTime`` (UTC), ``started_at`` = ``ended_at - ms_played``;
* ``offline_timestamp`` in seconds or milliseconds (< 1e11 → seconds), 0 → unknown;
* skip: the ``skipped`` flag where Spotify really recorded it (true, or false from 2022 on —
  earlier ``false`` values were coerced from "unknown", FORMATS.md §4); else ``reason_end``
  (fwdbtn/backbtn) with ms_played < 30 s; else ms_played < 30 s. ``skip_basis`` says which.

IP addresses, user agents and usernames are never read.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from etl import schemas
from etl.formats.jsonfile import load_array
from etl.formats.records import Reject, extract, scrub
from etl.sqlrun import run

S, I64, B = pa.string(), pa.int64(), pa.bool_()

EXTENDED_FIELDS = {
    "ts": S,
    "platform": S,
    "ms_played": I64,
    "conn_country": S,
    "master_metadata_track_name": S,
    "master_metadata_album_artist_name": S,
    "master_metadata_album_album_name": S,
    "spotify_track_uri": S,
    "episode_name": S,
    "episode_show_name": S,
    "spotify_episode_uri": S,
    "audiobook_title": S,
    "audiobook_uri": S,
    "audiobook_chapter_uri": S,
    "audiobook_chapter_title": S,
    "reason_start": S,
    "reason_end": S,
    "shuffle": B,
    "skipped": B,
    "offline": B,
    "offline_timestamp": I64,
    "incognito_mode": B,
}
ACCOUNT_FIELDS = {
    "endTime": S,
    "msPlayed": I64,
    "artistName": S,
    "trackName": S,
    "podcastName": S,
    "episodeName": S,
    "audiobookName": S,
    "chapterName": S,
    "authorName": S,
}

#: What a reader yields: clean ``streams`` without play_id/sources, plus the record's provenance.
READ = pa.schema(
    [f for f in schemas.STREAMS if f.name not in ("play_id", "sources")]
    + [pa.field("export_id", S), pa.field("member", S), pa.field("record_index", I64)]
)

# Spaces, tabs, line breaks and no-break spaces around names are noise (FORMATS.md §3).
_CLEAN = "nullif(trim({0}, ' \t\n\r\u00a0'), '')"


def _c(col: str, placeholder: str | None = None) -> str:
    expr = _CLEAN.format(col)
    return f"nullif({expr}, '{placeholder}')" if placeholder else expr


# Spotify writes ts as YYYY-MM-DDTHH:MM:SSZ and endTime as YYYY-MM-DD HH:MM (FORMATS.md); the
# other spellings are accepted so that a variant we have not seen yet still lands.
EXT_FORMATS = (
    "['%Y-%m-%dT%H:%M:%SZ', '%Y-%m-%dT%H:%M:%S.%gZ', '%Y-%m-%dT%H:%M:%S.%fZ', '%Y-%m-%d %H:%M:%S']"
)
ACCOUNT_FORMATS = "['%Y-%m-%d %H:%M', '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%SZ']"

_SKIP = """
    case when skipped or (not skipped and ended_at >= timestamptz '2022-01-01 00:00:00+00')
              then skipped
         when reason_end is not null
              then coalesce(reason_end in ('fwdbtn', 'backbtn'), false) and ms_played < 30000
         else ms_played < 30000 end as is_skipped,
    case when skipped or (not skipped and ended_at >= timestamptz '2022-01-01 00:00:00+00')
              then 'flag'
         when reason_end is not null then 'reason'
         else 'duration' end as skip_basis
"""

_SELECT = """
select user_id, content_type, media_type, ended_at,
       ended_at - to_milliseconds(ms_played) as started_at, ms_played,
       track_name, artist_name, album_name, track_uri, episode_name, show_name, episode_uri,
       audiobook_title, audiobook_uri, chapter_title, chapter_uri, author_name, platform,
       country_code, reason_start, reason_end, is_shuffle, {skip}, is_offline, offline_at,
       is_incognito, precision, record_family, export_id, member, record_index,
       _ok, _raw_ts, _raw_ms
from n
"""

EXTENDED_SQL = f"""
with t as (
    select *, try_strptime(ts, {EXT_FORMATS})::timestamptz as ended_at
    from cols
), n as (
    select $user as user_id, ended_at, ms_played, skipped,
        ended_at is not null and coalesce(ms_played >= 0, false) as _ok,
        ts as _raw_ts, ms_played as _raw_ms,
        {_c("master_metadata_track_name")} as track_name,
        {_c("master_metadata_album_artist_name")} as artist_name,
        {_c("master_metadata_album_album_name")} as album_name,
        {_c("spotify_track_uri")} as track_uri,
        {_c("episode_name")} as episode_name, {_c("episode_show_name")} as show_name,
        {_c("spotify_episode_uri")} as episode_uri,
        {_c("audiobook_title")} as audiobook_title, {_c("audiobook_uri")} as audiobook_uri,
        {_c("audiobook_chapter_title")} as chapter_title,
        {_c("audiobook_chapter_uri")} as chapter_uri, null::varchar as author_name,
        {_c("platform")} as platform, upper({_c("conn_country")}) as country_code,
        lower({_c("reason_start")}) as reason_start, lower({_c("reason_end")}) as reason_end,
        shuffle as is_shuffle, offline as is_offline, incognito_mode as is_incognito,
        case when offline_timestamp is null or offline_timestamp <= 0 then null
             when offline_timestamp < 100000000000 then to_timestamp(offline_timestamp)
             else to_timestamp(offline_timestamp / 1000.0) end as offline_at,
        'second' as precision, 'extended' as record_family, $media as media_type,
        $export as export_id, $member as member, record_index
    from t
), n2 as (
    select *,
        case when track_uri is not null or track_name is not null then 'music'
             when episode_uri is not null or episode_name is not null then 'podcast'
             when audiobook_uri is not null or chapter_uri is not null
                  or audiobook_title is not null then 'audiobook'
             else 'unknown' end as content_type
    from n
)
""" + _SELECT.format(skip=_SKIP).replace("from n", "from n2")

ACCOUNT_SQL = f"""
with t as (
    select *, try_strptime(endTime, {ACCOUNT_FORMATS})::timestamptz as ended_at
    from cols
), n as (
    select $user as user_id, ended_at, msPlayed as ms_played, null::boolean as skipped,
        ended_at is not null and coalesce(msPlayed >= 0, false) as _ok,
        endTime as _raw_ts, msPlayed as _raw_ms,
        {_c("artistName", "Unknown Artist")} as a, {_c("trackName", "Unknown Track")} as tr,
        {_c("podcastName")} as p, {_c("episodeName")} as e, {_c("audiobookName")} as ab,
        {_c("chapterName")} as ch, {_c("authorName")} as author_name, record_index,
        case when {_c("audiobookName")} is not null or {_c("chapterName")} is not null
                  then 'audiobook'
             when {_c("podcastName")} is not null or {_c("episodeName")} is not null
                  or list_contains($shows, {_c("artistName")}) then 'podcast'
             else 'music' end as content_type
    from t
), n2 as (
    select user_id, ended_at, ms_played, skipped, content_type, author_name,
        case when content_type = 'music' then tr end as track_name,
        case when content_type = 'music' then a end as artist_name,
        null::varchar as album_name, null::varchar as track_uri,
        case when content_type = 'podcast' then coalesce(e, tr) end as episode_name,
        case when content_type = 'podcast' then coalesce(p, a) end as show_name,
        null::varchar as episode_uri, ab as audiobook_title, null::varchar as audiobook_uri,
        ch as chapter_title, null::varchar as chapter_uri, null::varchar as platform,
        null::varchar as country_code, null::varchar as reason_start,
        null::varchar as reason_end, null::boolean as is_shuffle, null::boolean as is_offline,
        null::timestamptz as offline_at, null::boolean as is_incognito,
        'minute' as precision, 'account' as record_family, 'audio' as media_type,
        $export as export_id, $member as member, record_index, _ok, _raw_ts, _raw_ms
    from n
)
""" + _SELECT.format(skip=_SKIP).replace("from n", "from n2")


_DUCK_TYPES = {S: "VARCHAR", I64: "BIGINT", B: "BOOLEAN"}


def _columns_literal(fields: dict[str, pa.DataType]) -> str:
    return "{" + ", ".join(f"'{k}': '{_DUCK_TYPES[t]}'" for k, t in fields.items()) + "}"


def _json_source(fields: dict[str, pa.DataType]) -> str:
    """DuckDB's C++ JSON reader as a subquery; file order is kept (insertion order)."""
    return (
        "(select (row_number() over () - 1)::bigint as record_index, * from read_json("
        f"$path, format = 'array', columns = {_columns_literal(fields)}, "
        "maximum_object_size = 67108864))"
    )


def _careful_source(records: list, fields: dict[str, pa.DataType]) -> tuple[pa.Table, list[Reject]]:
    cols = extract(records, fields)
    return cols.table.add_column(0, "record_index", cols.indices), cols.rejects


def _reject_reasons(
    bad: pa.Table, ts_field: str, ms_field: str, hint: str
) -> list[tuple[int, str]]:
    out = []
    for row in bad.select(["record_index", "_raw_ts", "_raw_ms"]).to_pylist():
        ts, ms = row["_raw_ts"], row["_raw_ms"]
        if ts is None:
            reason = f"{ts_field} is missing"
        elif ms is None or ms < 0:
            reason = f"{ms_field} is missing or negative"
        else:
            reason = f"{ts_field} {ts[:40]!r} is not {hint}"
        out.append((row["record_index"], reason))
    return out


def read_streaming(
    path: Path, kind: str, *, user: str, export_id: str, member: str, shows: list[str]
) -> tuple[pa.Table, int, list[Reject]]:
    """Staged rows of one streaming member, the number of records read, and the rejects.

    Raises ``MemberError`` when the file is not a JSON array (the whole member is unusable).
    """
    extended = kind.startswith("extended")
    fields = EXTENDED_FIELDS if extended else ACCOUNT_FIELDS
    ts_field, ms_field = ("ts", "ms_played") if extended else ("endTime", "msPlayed")
    hint = "YYYY-MM-DDTHH:MM:SSZ" if extended else "YYYY-MM-DD HH:MM"
    params = {"user": user, "export": export_id, "member": member}
    if extended:
        params["media"] = "video" if kind == "extended_video" else "audio"
    else:
        params["shows"] = shows
    sql = EXTENDED_SQL if extended else ACCOUNT_SQL
    records: list | None = None
    rejects: list[Reject] = []
    try:  # the fast path: DuckDB reads and normalises the file in one pass
        marked = run(
            sql.replace("from cols", f"from {_json_source(fields)}"), {**params, "path": str(path)}
        )
    except duckdb.Error:  # not a well-typed array of objects: the careful path says why
        records = load_array(path, member)
        source, rejects = _careful_source(records, fields)
        marked = run(sql, params, cols=source)
    n_records = len(records) if records is not None else marked.num_rows
    ok = marked["_ok"]
    bad = marked.filter(pc.invert(ok))
    if bad.num_rows:
        records = records if records is not None else load_array(path, member)
        rejects += [
            Reject(i, why, scrub(records[i]))
            for i, why in _reject_reasons(bad, ts_field, ms_field, hint)
        ]
        rejects.sort(key=lambda r: r.index)
    staged = marked.filter(ok).drop_columns(["_ok", "_raw_ts", "_raw_ms"])
    return staged.cast(READ), n_records, rejects
