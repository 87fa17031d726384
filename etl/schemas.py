"""Pinned Arrow schemas of the clean and curated layers.

pandas dtypes are not a schema: every Parquet file the lake writes is cast to one of these first,
so a column never changes type because of the data that happened to arrive.
"""

from __future__ import annotations

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")
LOCAL_TS = pa.timestamp("us")  # wall-clock time in the person's zone, no zone attached
S = pa.string()
I64 = pa.int64()
I32 = pa.int32()
F64 = pa.float64()
B = pa.bool_()
D = pa.date32()


def schema(*cols: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(name, typ) for name, typ in cols])


# ------------------------------------------------------------------------------------------
# clean layer: one row per event, UTC, no IPs / user agents / usernames
# ------------------------------------------------------------------------------------------

#: content_type values; media_type is audio or video (account data: audio).
CONTENT_TYPES = ("music", "podcast", "audiobook", "unknown")
MEDIA_TYPES = ("audio", "video")
SKIP_BASES = ("flag", "reason", "duration")
PRECISIONS = ("minute", "second")
RECORD_FAMILIES = ("extended", "account")

STREAMS = schema(
    ("play_id", S),
    ("user_id", S),
    ("content_type", S),
    ("media_type", S),
    ("ended_at", TS),
    ("started_at", TS),
    ("ms_played", I64),
    ("track_name", S),
    ("artist_name", S),
    ("album_name", S),
    ("track_uri", S),
    ("episode_name", S),
    ("show_name", S),
    ("episode_uri", S),
    ("audiobook_title", S),
    ("audiobook_uri", S),
    ("chapter_title", S),
    ("chapter_uri", S),
    ("author_name", S),
    ("platform", S),
    ("country_code", S),
    ("reason_start", S),
    ("reason_end", S),
    ("is_shuffle", B),
    ("is_skipped", B),
    ("skip_basis", S),
    ("is_offline", B),
    ("offline_at", TS),
    ("is_incognito", B),
    ("precision", S),
    ("record_family", S),
    ("sources", pa.list_(S)),
)

#: Staged per export: its distinct plays, with the record each one was kept from.
STAGED_STREAMS = pa.schema(
    list(STREAMS) + [pa.field("export_id", S), pa.field("member", S), pa.field("record_index", I64)]
)

PLAYLIST_ITEMS = schema(
    ("user_id", S),
    ("export_id", S),
    ("playlist_id", S),
    ("playlist_name", S),
    ("playlist_description", S),
    ("last_modified_date", D),
    ("follower_count", I64),
    ("position", I32),
    ("item_type", S),  # track | episode | audiobook | local
    ("track_name", S),
    ("artist_name", S),
    ("album_name", S),
    ("track_uri", S),
    ("episode_name", S),
    ("show_name", S),
    ("episode_uri", S),
    ("audiobook_name", S),
    ("audiobook_uri", S),
    ("local_uri", S),
    ("added_date", D),
)

LIBRARY_ITEMS = schema(
    ("user_id", S),
    ("export_id", S),
    (
        "item_type",
        S,
    ),  # track | album | show | episode | artist | banned_track | banned_artist | other
    ("name", S),
    ("artist_name", S),
    ("album_name", S),
    ("show_name", S),
    ("publisher", S),
    ("uri", S),
)

SEARCH_QUERIES = schema(
    ("search_id", S),
    ("user_id", S),
    ("export_id", S),
    ("searched_at", TS),
    ("platform", S),
    ("query", S),
    ("interaction_uris", pa.list_(S)),
)

REJECTS = schema(
    ("user_id", S),
    ("export_id", S),
    ("member", S),  # path inside the export
    ("record_index", I64),  # -1: the whole member
    ("reason", S),
    ("record", S),  # the record as JSON, PII fields removed
)

CLEAN = {
    "streams": STREAMS,
    "playlist_items": PLAYLIST_ITEMS,
    "library_items": LIBRARY_ITEMS,
    "search_queries": SEARCH_QUERIES,
    "_rejects": REJECTS,
}
