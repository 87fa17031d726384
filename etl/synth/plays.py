"""What is played in each session and for how long: Zipf picks with periods of favourites
("new obsessions"), whole-album sessions, podcast and audiobook sessions, skips with their
reasons, and the reason a play started (which follows from how the previous one ended)."""

from __future__ import annotations

import numpy as np

from etl.synth.catalog import Catalog
from etl.synth.sessions import DAY_S, Sessions

TRACK, EPISODE, CHAPTER, NONE = 0, 1, 2, 3
REASONS = (
    "trackdone",
    "fwdbtn",
    "backbtn",
    "endplay",
    "logout",
    "unknown",
    "unexpected-exit-while-paused",
    "remote",
    "unexpected-exit",
    "clickrow",
    "playbtn",
    "appload",
    "trackerror",
    "popup",
    "persisted",
    "click-row",
    "nextbtn",
    "",
    None,
)
R = {name: code for code, name in enumerate(REASONS)}
NULL_REASON = R[None]
# How a play starts given how the previous one in the session ended.
_NEXT_START = np.full(len(REASONS), R["clickrow"], dtype=np.int8)
for _end, _start in (
    ("trackdone", "trackdone"),
    ("fwdbtn", "fwdbtn"),
    ("backbtn", "backbtn"),
    ("remote", "remote"),
    ("unknown", "unknown"),
    ("trackerror", "trackerror"),
    ("popup", "popup"),
    ("endplay", "playbtn"),
    ("", ""),
):
    _NEXT_START[R[_end]] = R[_start]
_FIRST_STARTS = tuple(
    R[r]
    for r in (
        "clickrow",
        "playbtn",
        "appload",
        "remote",
        "persisted",
        "unknown",
        "click-row",
        "nextbtn",
    )
)
_FIRST_P = (0.42, 0.25, 0.14, 0.1, 0.01, 0.075, 0.0025, 0.0025)


def positions(lengths: np.ndarray) -> np.ndarray:
    """0, 1, …, len-1 for each group, concatenated."""
    return np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)


def pick(rng: np.random.Generator, n: int, rate: float, minimum: int = 0) -> np.ndarray:
    """Sorted distinct indexes of about ``rate * n`` rows, at least ``minimum`` (if n allows)."""
    count = min(n, max(minimum, int(rng.binomial(n, rate)) if n else 0))
    return np.sort(rng.choice(n, size=count, replace=False)) if count else np.zeros(0, np.int64)


def _music(rng, cat: Catalog, s: Sessions, sid, pos, first_s: int) -> np.ndarray:
    n, n_s = len(sid), len(s)
    period = (s.start_s - first_s) // (60 * DAY_S)
    n_periods = int(period.max()) + 1
    # Each 60-day period has its favourites: mostly popular tracks, some deep cuts.
    favs = np.concatenate(
        [
            cat.sample_tracks(rng, n_periods * 10).reshape(n_periods, 10),
            rng.integers(0, len(cat.track_names), (n_periods, 5)),
        ],
        axis=1,
    )
    track = np.where(
        rng.random(n) < 0.25, favs[period[sid], rng.integers(0, 15, n)], cat.sample_tracks(rng, n)
    )
    album = cat.track_album[cat.sample_tracks(rng, n_s)]
    in_album = (rng.random(n_s) < 0.12)[sid]
    album_track = cat.album_first[album[sid]] + pos % cat.album_len[album[sid]]
    return np.where(in_album, album_track, track)


def _series(rng, first: np.ndarray, lens: np.ndarray, which: np.ndarray, sid, pos) -> np.ndarray:
    """Episodes/chapters in order, from a random point of each session's show/book."""
    offset = rng.integers(0, 1_000_000, len(which))
    return first[which[sid]] + (offset[sid] + pos) % lens[which[sid]]


def content(rng, cat: Catalog, s: Sessions, first_s: int, all_null_rate: float):
    """(kind, item, session id, position in session) of every play."""
    sid = np.repeat(np.arange(len(s)), s.length)
    pos = positions(s.length)
    mode = s.mode[sid]
    track = _music(rng, cat, s, sid, pos, first_s)
    episode = _series(rng, cat.show_first, cat.show_len, cat.sample_shows(rng, len(s)), sid, pos)
    books = rng.integers(0, len(cat.book_titles), len(s))
    chapter = _series(rng, cat.book_first, cat.book_len, books, sid, pos)
    kind = mode.astype(np.int8)  # session modes 0/1/2 are TRACK/EPISODE/CHAPTER
    item = np.select([mode == 0, mode == 1], [track, episode], chapter).astype(np.int64)
    blank = pick(rng, len(sid), all_null_rate, 2 if all_null_rate else 0)
    kind[blank], item[blank] = NONE, -1
    return kind, item, sid, pos


def _full_length(rng, cat: Catalog, kind: np.ndarray, item: np.ndarray) -> np.ndarray:
    safe = np.maximum(item, 0)
    return np.select(
        [kind == TRACK, kind == EPISODE, kind == CHAPTER],
        [
            cat.track_ms[np.minimum(safe, len(cat.track_ms) - 1)],
            cat.episode_ms[np.minimum(safe, len(cat.episode_ms) - 1)],
            cat.chapter_ms[np.minimum(safe, len(cat.chapter_ms) - 1)],
        ],
        rng.integers(1, 600_000, len(kind)),
    ).astype(np.int64)


def _choice(rng, n: int, names: tuple[str, ...], p: tuple[float, ...]) -> np.ndarray:
    return np.asarray([R[x] for x in names], dtype=np.int8)[rng.choice(len(names), n, p=p)]


def endings(rng, cat: Catalog, kind, item, pos, length, shuffle):
    """(ms_played, reason_end, skipped-by-the-user) of every play."""
    n = len(kind)
    full = _full_length(rng, cat, kind, item)
    talk = (kind == EPISODE) | (kind == CHAPTER)
    skip = rng.random(n) < np.where(talk, 0.1, np.where(shuffle, 0.3, 0.18))
    last = pos == length - 1
    end_last = _choice(
        rng,
        n,
        ("endplay", "logout", "unexpected-exit-while-paused", "unexpected-exit", "trackdone"),
        (0.45, 0.2, 0.15, 0.05, 0.15),
    )
    end_mid = _choice(
        rng,
        n,
        ("trackdone", "remote", "unknown", "clickrow", "trackerror", "popup", "endplay", ""),
        (0.9, 0.02, 0.03, 0.02, 0.003, 0.007, 0.0199, 0.0001),
    )
    end_talk = _choice(rng, n, ("endplay", "trackdone", "logout"), (0.6, 0.3, 0.1))
    end_skip = _choice(rng, n, ("fwdbtn", "backbtn"), (0.9, 0.1))
    reason = np.select([skip, talk, last], [end_skip, end_talk, end_last], end_mid)
    u = rng.random(n)
    partial = (full * rng.uniform(0.05, 0.95, n)).astype(np.int64)
    skip_ms = np.where(
        u < 0.08,
        0,
        np.where(
            u < 0.9, rng.integers(300, 30_000, n), rng.integers(30_000, np.maximum(full, 30_001))
        ),
    )
    ms = np.select(
        [skip, reason == R["trackdone"], reason == R["trackerror"], kind == NONE],
        [skip_ms, np.maximum(full - rng.integers(0, 1_200, n), 0), rng.integers(0, 3_000, n), full],
        partial,
    )
    return ms.astype(np.int64), reason.astype(np.int8), skip


def starts(rng, reason_end: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """reason_start: the session's opening action, then whatever the previous play's end implies."""
    opening = rng.choice(len(_FIRST_P), len(pos), p=_FIRST_P)
    first = np.asarray(_FIRST_STARTS, dtype=np.int8)[opening]
    follow = _NEXT_START[np.roll(reason_end, 1)]
    out = np.where(pos == 0, first, follow)
    out[pick(rng, len(pos), 0.0002)] = R[""]
    return out.astype(np.int8)
