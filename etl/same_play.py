"""The same-play rule: when two history records are one play.

* Extended records are one play when ``ts``, ``ms_played`` and the content are equal (the
  track/episode/chapter URI, else the names). Spotify ships exact duplicates within and across
  parts (FORMATS.md §4); those collapse here.
* Account records are one play when ``endTime``, ``msPlayed`` and the names are equal.
* An account record and an extended record are one play when ``ts`` truncated to the minute
  equals ``endTime``, the ms are equal and (artist, track) — or (show, episode), or (audiobook,
  chapter) — are equal after trimming. The merged row keeps the extended values.
* Names drift between exports (``osmanthus (feat. Ado)`` vs ``osmanthus``, FORMATS.md §5). An
  account play whose names match no extended play still merges when it is the ONLY unmatched
  account play and the only unmatched extended play with that minute and ms_played (> 0).

So overlapping exports of one person (two yearly account exports, account + extended) never
double-count. Which record of a group is kept is deterministic: the first by export id, member
path and record index. ``sources`` lists every export that carried the play.
"""

from __future__ import annotations

from pathlib import Path

from etl import schemas
from etl.lakeio import stream_to_parquet

_NULL = "chr(8709)"  # '∅' keeps null apart from the empty string inside hash keys

MERGE_SQL = f"""
with s as materialized (
    select *,
        case content_type when 'music' then artist_name when 'podcast' then show_name
             when 'audiobook' then audiobook_title end as n1,
        case content_type when 'music' then track_name when 'podcast' then episode_name
             when 'audiobook' then chapter_title end as n2,
    from (select {{key_columns}} from read_parquet($parts))
), x as materialized (
    select *, md5(concat_ws(chr(31), user_id, 'x', epoch_us(ended_at), ms_played,
        coalesce(track_uri, episode_uri, chapter_uri, audiobook_uri,
                 concat_ws(chr(31), coalesce(n1, {_NULL}), coalesce(n2, {_NULL}),
                           coalesce(album_name, {_NULL}))))) as k
    from s where record_family = 'extended'
), a as materialized (
    select *, md5(concat_ws(chr(31), user_id, 'a', epoch_us(ended_at), ms_played,
        coalesce(n1, {_NULL}), coalesce(n2, {_NULL}))) as k
    from s where record_family = 'account'
), xr as (
    select *, row_number() over (partition by k order by export_id, member, record_index) as rn
    from x
), ar as (
    select *, row_number() over (partition by k order by export_id, member, record_index) as rn
    from a
), xp as materialized (select * from xr where rn = 1),
ap as materialized (select * from ar where rn = 1),
m1 as (
    select ap.k as ak, min(xp.k) as xk
    from ap join xp
      on date_trunc('minute', xp.ended_at) = date_trunc('minute', ap.ended_at)
     and xp.ms_played = ap.ms_played
     and xp.n1 = ap.n1 and xp.n2 = ap.n2
    group by ap.k
), a2 as (
    select ap.*, date_trunc('minute', ap.ended_at) as minute from ap
    where ap.k not in (select ak from m1) and ap.ms_played > 0
), x2 as (
    select xp.*, date_trunc('minute', xp.ended_at) as minute from xp
    where xp.k not in (select xk from m1) and xp.ms_played > 0
), m2 as (
    select min(a2.k) as ak, min(x2.k) as xk
    from a2 join x2 on a2.minute = x2.minute and a2.ms_played = x2.ms_played
    group by a2.minute, a2.ms_played
    having count(distinct a2.k) = 1 and count(distinct x2.k) = 1
), matched as materialized (select * from m1 union all select * from m2),
src as (
    select k, unnest(sources) as export_id from x
    union all
    select matched.xk as k, unnest(a.sources) as export_id
    from a join matched on a.k = matched.ak
    union all
    select a.k, unnest(a.sources) as export_id from a where a.k not in (select ak from matched)
), sources as (
    select k, list_sort(list_distinct(list(export_id))) as sources from src group by k
), plays as (
    select * from xp
    union all by name
    select * from ap where k not in (select ak from matched)
)
select p.export_id, p.member, p.record_index, substr(p.k, 1, 16) as play_id, sources.sources
from plays p join sources using (k)
"""

#: The only columns the rule looks at; the merge never drags the other 25 through DuckDB.
KEY_COLUMNS = [
    "user_id",
    "record_family",
    "content_type",
    "ended_at",
    "ms_played",
    "track_uri",
    "episode_uri",
    "chapter_uri",
    "audiobook_uri",
    "artist_name",
    "track_name",
    "album_name",
    "show_name",
    "episode_name",
    "audiobook_title",
    "chapter_title",
    "export_id",
    "member",
    "record_index",
    "sources",
]
PROVENANCE = ["export_id", "member", "record_index"]

_FIELDS = [f.name for f in schemas.STREAMS]
_BODY = [f for f in _FIELDS if f not in ("play_id", "sources")]
_ID = "export_id, member, record_index"


def merge_files(parts: list[Path], out: Path, provenance: bool = False) -> None:
    """Write one row per distinct play (ordered by ended_at, play_id) from Parquet ``parts``.

    Each part has the clean columns plus export_id/member/record_index, and ``sources`` lists
    the exports a row already stands for. With ``provenance`` the three id columns stay (the
    staged shape); without, the file has the clean ``streams`` shape. DuckDB streams the rows
    from disk to disk, so memory stays bounded however long the history.
    """
    keys = MERGE_SQL.replace("{key_columns}", ", ".join(KEY_COLUMNS))
    columns = ", ".join(f"t.{c}" for c in _BODY + (PROVENANCE if provenance else []))
    sql = f"""
        with keys as ({keys})
        select {columns}, keys.play_id, keys.sources
        from keys join read_parquet($parts) t using ({_ID})
        order by t.ended_at, keys.play_id
    """
    schema = schemas.STAGED_STREAMS if provenance else schemas.STREAMS
    stream_to_parquet(sql, {"parts": [str(p) for p in parts]}, out, schema)
