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

import pyarrow as pa

from etl import schemas
from etl.sqlrun import run

_NULL = "chr(8709)"  # '∅' keeps null apart from the empty string inside hash keys

MERGE_SQL = f"""
with s as (
    select *,
        case content_type when 'music' then artist_name when 'podcast' then show_name
             when 'audiobook' then audiobook_title end as n1,
        case content_type when 'music' then track_name when 'podcast' then episode_name
             when 'audiobook' then chapter_title end as n2,
        row_number() over () as rid
    from staged
), x as (
    select *, md5(concat_ws(chr(31), user_id, 'x', epoch_us(ended_at), ms_played,
        coalesce(track_uri, episode_uri, chapter_uri, audiobook_uri,
                 concat_ws(chr(31), coalesce(n1, {_NULL}), coalesce(n2, {_NULL}),
                           coalesce(album_name, {_NULL}))))) as k
    from s where record_family = 'extended'
), a as (
    select *, md5(concat_ws(chr(31), user_id, 'a', epoch_us(ended_at), ms_played,
        coalesce(n1, {_NULL}), coalesce(n2, {_NULL}))) as k
    from s where record_family = 'account'
), xr as (
    select *, row_number() over (partition by k order by export_id, member, record_index) as rn
    from x
), ar as (
    select *, row_number() over (partition by k order by export_id, member, record_index) as rn
    from a
), xp as (select * from xr where rn = 1),
ap as (select * from ar where rn = 1),
m1 as (
    select ap.k as ak, min(xp.k) as xk
    from ap join xp
      on date_trunc('minute', xp.ended_at) = ap.ended_at and xp.ms_played = ap.ms_played
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
), matched as (select * from m1 union all select * from m2),
src as (
    select k, export_id from x
    union all
    select matched.xk as k, a.export_id from a join matched on a.k = matched.ak
    union all
    select a.k, a.export_id from a where a.k not in (select ak from matched)
), sources as (
    select k, list_sort(list_distinct(list(export_id))) as sources from src group by k
), plays as (
    select * from xp
    union all by name
    select * from ap where k not in (select ak from matched)
)
select substr(p.k, 1, 16) as play_id, p.* exclude (k, n1, n2, rid, rn, export_id, member,
       record_index), sources.sources, p.rid
from plays p join sources using (k)
order by p.ended_at, play_id
"""

_FIELDS = [f.name for f in schemas.STREAMS]


def merge(staged: pa.Table) -> tuple[pa.Table, pa.Array]:
    """Clean ``streams`` rows from staged rows, and the staged row numbers (0-based) kept.

    A staged row not in the second result is a duplicate of a kept one.
    """
    out = run(MERGE_SQL, staged=staged)
    kept = pa.compute.subtract(out["rid"], 1)
    return out.select(_FIELDS).cast(schemas.STREAMS), kept
