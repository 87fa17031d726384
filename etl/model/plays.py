"""``plays``: every clean play with its keys, local time and session; ``fact_streams`` is a subset.

Built with Arrow and numpy (vectorised, one pass per column) because it touches every play.
Internal timestamps are naive UTC (DuckDB here has no time-zone extension); the writer attaches
UTC again when it casts to the pinned schema.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl import timezones
from etl.config import Settings
from etl.model.keys import derived_id, encode, ids_of, map_distinct

SESSION_GAP_US = 30 * 60 * 1_000_000
STREAM_MS = 30_000

CLEAN_COLUMNS = (
    "play_id", "content_type", "media_type", "ended_at", "started_at", "ms_played",
    "track_name", "artist_name", "album_name", "track_uri", "episode_name", "show_name",
    "episode_uri", "audiobook_title", "audiobook_uri", "chapter_title", "chapter_uri",
    "platform", "country_code", "reason_start", "reason_end", "is_shuffle", "is_skipped",
    "skip_basis", "is_offline", "is_incognito", "precision", "record_family", "sources",
)  # fmt: skip

#: plain names a play carries until the dimensions are built from them
NAME_COLUMNS = (
    "track_name", "artist_name", "album_name", "track_uri", "show_name", "episode_name",
    "episode_uri", "platform",
)  # fmt: skip
NULL_S = pa.scalar(None, pa.string())
_AUDIOBOOK = ("audiobook_title", "audiobook_uri", "chapter_title", "chapter_uri")


def _when(mask: pa.Array, values: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.if_else(mask, values, NULL_S)


def _pick(ctype: pa.ChunkedArray, podcast: pa.ChunkedArray, audiobook: pa.ChunkedArray):
    """Podcast episodes and audiobook chapters share one shape: a show and an episode."""
    return pc.if_else(
        pc.equal(ctype, "podcast"), podcast, _when(pc.equal(ctype, "audiobook"), audiobook)
    )


def session_ids(
    play_id: pa.ChunkedArray, started: np.ndarray, ended: np.ndarray, order: np.ndarray
) -> pa.Array:
    """Session of each play: a new one after a gap of 30 min or more (``order``: by start).

    The gap is measured from the latest end so far, not the previous play's end, so plays that
    overlap (two devices) never split a session.
    """
    if len(started) == 0:
        return pa.array([], pa.string())
    started, ended = started[order], ended[order]
    latest_end = np.maximum.accumulate(ended)
    new = np.ones(len(started), dtype=bool)
    new[1:] = started[1:] >= latest_end[:-1] + SESSION_GAP_US
    firsts = pc.take(play_id, pa.array(order[np.flatnonzero(new)])).to_pylist()
    labels = pa.array([derived_id("session", p) for p in firsts], pa.string())
    number = np.empty(len(order), dtype=np.int64)
    number[order] = np.cumsum(new) - 1
    return pc.take(labels, pa.array(number))


def play_order(plays: pa.Table) -> np.ndarray:
    """Row numbers of ``plays`` in play order (start, then play_id)."""
    rank = plays["play_rank"].to_numpy()
    order = np.empty(len(rank), dtype=np.int64)
    order[rank] = np.arange(len(rank))
    return order


def first_rows(keys: pa.ChunkedArray, order: np.ndarray) -> np.ndarray:
    """Row numbers of the first play (in play ``order``) of each non-null key."""
    codes = pc.fill_null(pc.dictionary_encode(keys.combine_chunks()).indices, -1).to_numpy()
    values, first = np.unique(codes[order], return_index=True)
    return order[first[values >= 0]]


def _sources(sources: pa.ChunkedArray) -> pa.Array:
    joined = pc.binary_join(sources, "\x1f")
    return map_distinct(joined, lambda v: ",".join(sorted(v.split("\x1f"))))


def _columns(s: pa.Table, order: np.ndarray) -> dict[str, pa.Array]:
    ctype = s["content_type"]
    music = pc.equal(ctype, "music")
    show = _pick(ctype, s["show_name"], s["audiobook_title"])
    episode = _pick(ctype, s["episode_name"], s["chapter_title"])
    ended = pc.cast(s["ended_at"], timezones.NAIVE_US)
    started = pc.cast(s["started_at"], timezones.NAIVE_US)
    ms = s["ms_played"]
    artist, show_names = encode(s["artist_name"]), encode(show)
    return {
        "track_id": _when(music, ids_of(artist, encode(s["track_name"]))),
        "artist_id": _when(music, ids_of(artist)),
        "album_id": _when(music, ids_of(artist, encode(s["album_name"]))),
        "episode_id": ids_of(show_names, encode(episode)),
        "show_id": ids_of(show_names),
        "platform_id": ids_of(encode(s["platform"])),
        "ended_at": ended,
        "started_at": started,
        "minutes_played": pc.divide(pc.cast(ms, pa.float64()), 60000.0),
        "is_stream": pc.greater_equal(ms, STREAM_MS),
        "is_skipped": pc.fill_null(s["is_skipped"], False),
        "session_id": session_ids(
            s["play_id"],
            pc.cast(started, pa.int64()).to_numpy(),
            pc.cast(ended, pa.int64()).to_numpy(),
            order,
        ),
        "sources": _sources(s["sources"]),
        "show_name": show,
        "episode_name": episode,
        "episode_uri": _pick(
            ctype, s["episode_uri"], pc.coalesce(s["chapter_uri"], s["audiobook_uri"])
        ),
    }


def _sorted(table: pa.Table, keys: list[str]) -> pa.Table:
    """``table`` ordered by ``keys`` (clean streams already are: then no copy is made)."""
    idx = pc.sort_indices(table, [(k, "ascending") for k in keys]).to_numpy()
    return table if np.array_equal(idx, np.arange(len(idx))) else table.take(idx)


def build_plays(streams: pa.Table, user: str, settings: Settings) -> pa.Table:
    """One row per clean play, ordered by (end, play_id): ids, flags, session, local time."""
    s = _sorted(streams.select(list(CLEAN_COLUMNS)), ["ended_at", "play_id"])
    order = pc.sort_indices(s, [("started_at", "ascending"), ("play_id", "ascending")])
    order = order.to_numpy().astype(np.int64)
    cols = {name: s[name] for name in s.column_names if name not in _AUDIOBOOK}
    cols.update(_columns(s, order))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    cols["play_rank"] = pa.array(rank)
    cols["user_id"] = pa.repeat(pa.scalar(user, pa.string()), s.num_rows)
    zones = timezones.zone_per_play(
        s["country_code"], settings.timezone, settings.country_timezones
    )
    cols["ended_at_local"] = timezones.to_local(cols["ended_at"], zones)
    cols["started_at_local"] = timezones.to_local(cols["started_at"], zones)
    cols.update(timezones.local_parts(cols["started_at_local"]))
    cols["time_zone"] = zones
    return pa.table(cols)
