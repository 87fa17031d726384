"""History columns as the Python values a JSON row holds, for a slice of plays.

Lookup lists end with ``None`` so that index -1 ("this play has no track/episode/chapter")
reads as null without a branch per row.
"""

from __future__ import annotations

import numpy as np

from etl.synth.history import History
from etl.synth.plays import CHAPTER, EPISODE, TRACK


class Lookups:
    """Names and URIs of every catalog item, flattened per track/episode/chapter."""

    def __init__(self, h: History) -> None:
        cat = h.catalog
        artist = cat.track_artist.tolist()
        album = cat.track_album.tolist()
        show = cat.episode_show.tolist()
        book = cat.chapter_book.tolist()
        self.track = [*cat.track_names, None]
        self.artist = [*(cat.artist_names[a] for a in artist), None]
        self.album = [*(cat.album_names[a] for a in album), None]
        self.track_uri = [*cat.track_uris, None]
        self.episode = [*cat.episode_names, None]
        self.show = [*(cat.show_names[s] for s in show), None]
        self.episode_uri = [*cat.episode_uris, None]
        self.chapter = [*cat.chapter_titles, None]
        self.chapter_uri = [*cat.chapter_uris, None]
        self.book = [*(cat.book_titles[b] for b in book), None]
        self.book_uri = [*(cat.book_uris[b] for b in book), None]
        self.author = [*(cat.book_authors[b] for b in book), None]


def _of(kind: np.ndarray, item: np.ndarray, which: int) -> list[int]:
    return np.where(kind == which, item, -1).tolist()


def names(lk: Lookups, h: History, idx: np.ndarray) -> dict[str, list]:
    """Content columns of the plays ``idx`` (null where a play is of another kind)."""
    kind, item = h.kind[idx], h.item[idx]
    t, e, c = _of(kind, item, TRACK), _of(kind, item, EPISODE), _of(kind, item, CHAPTER)
    return {
        "track": [lk.track[i] for i in t],
        "artist": [lk.artist[i] for i in t],
        "album": [lk.album[i] for i in t],
        "track_uri": [lk.track_uri[i] for i in t],
        "episode": [lk.episode[i] for i in e],
        "show": [lk.show[i] for i in e],
        "episode_uri": [lk.episode_uri[i] for i in e],
        "book": [lk.book[i] for i in c],
        "book_uri": [lk.book_uri[i] for i in c],
        "chapter": [lk.chapter[i] for i in c],
        "chapter_uri": [lk.chapter_uri[i] for i in c],
        "author": [lk.author[i] for i in c],
    }


def iso_seconds(ts: np.ndarray) -> list[str]:
    """``YYYY-MM-DDTHH:MM:SSZ``."""
    return [f"{s}Z" for s in np.datetime_as_string(ts.astype("datetime64[s]"), unit="s").tolist()]


def minutes(ts: np.ndarray) -> list[str]:
    """``YYYY-MM-DD HH:MM``: the UTC time truncated to the minute, as account data has it."""
    text = np.datetime_as_string(ts.astype("datetime64[s]").astype("datetime64[m]"), unit="m")
    return [s.replace("T", " ") for s in text.tolist()]


def years(ts: np.ndarray, offset_h: int = 0) -> np.ndarray:
    return (ts + offset_h * 3600).astype("datetime64[s]").astype("datetime64[Y]").astype(
        np.int64
    ) + 1970
