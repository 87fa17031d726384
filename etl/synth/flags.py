"""Per-play fields whose spelling depends on the export era (FORMATS.md §4): ``skipped``
(null in E1, coerced to false before 2022 in E2/E3), ``offline`` (null in many video rows),
``offline_timestamp`` (seconds, milliseconds, 0 or null, ≈ the start of playback), the E1
stretch whose reason_end/IP/user agent/skipped are null, and which plays were videos."""

from __future__ import annotations

import numpy as np

from etl.synth.catalog import Catalog
from etl.synth.eras import Era
from etl.synth.plays import EPISODE, TRACK, pick

Y2021_S = 1_609_459_200  # 2021-01-01T00:00:00Z
Y2022_S = 1_640_995_200  # 2022-01-01T00:00:00Z
NULL = -1


def videos(rng, cat: Catalog, kind: np.ndarray, item: np.ndarray) -> np.ndarray:
    """Music videos (tracks that have one) and video podcasts; at least three of them."""
    n = len(kind)
    safe = np.maximum(item, 0)
    track_video = cat.track_has_video[np.minimum(safe, len(cat.track_ms) - 1)]
    has_video = np.where(kind == TRACK, track_video, False)
    show = cat.episode_show[np.minimum(safe, len(cat.episode_show) - 1)]
    video_show = np.where(kind == EPISODE, cat.show_is_video[show], False)
    video = (has_video & (rng.random(n) < 0.15)) | (video_show & (rng.random(n) < 0.5))
    if video.sum() < 3:  # small histories still show both kinds of video
        tracks = np.flatnonzero((kind == TRACK) & ~video)
        video[rng.choice(tracks, size=min(3, len(tracks)), replace=False)] = True
    if not (video & (kind == EPISODE)).any() and (kind == EPISODE).any():
        video[rng.choice(np.flatnonzero(kind == EPISODE))] = True
    return video


def skipped(rng, era: Era, ts: np.ndarray, skip: np.ndarray) -> np.ndarray:
    """1 true, 0 false, -1 null."""
    flag = skip.astype(np.int8)
    if era.schema == "E1":
        unknown = (ts < Y2021_S) | (~skip & (rng.random(len(ts)) < 0.3))
        return np.where(unknown, NULL, flag).astype(np.int8)
    return np.where(ts < Y2022_S, 0, flag).astype(np.int8)


def offline(rng, era: Era, session_offline: np.ndarray, video: np.ndarray) -> np.ndarray:
    null_rate = 1.0 if era.schema == "E1" else 0.8
    flag = session_offline.astype(np.int8)
    return np.where(video & (rng.random(len(video)) < null_rate), NULL, flag).astype(np.int8)


def offline_timestamps(rng, era: Era, ts, ms, video) -> np.ndarray:
    """Epoch seconds or milliseconds near the start of playback, 0 (unknown) or -1 (null)."""
    n = len(ts)
    start_ms = ts * 1000 - ms
    near = rng.random(n) < 0.82
    drift = np.where(near, rng.integers(-3_000, 3_000, n), -rng.integers(60_000, 3 * 86_400_000, n))
    value_ms = start_ms + drift
    # unit per row: 0 null, 1 zero, 2 seconds, 3 milliseconds
    if era.schema == "E1":
        audio_p, video_p = (0, 0.15, 0.2, 0.65), (0.5, 0.5, 0, 0)
    else:
        audio_p, video_p = (0.43, 0, 0.55, 0.02), (0.85, 0, 0.15, 0)
    unit = np.where(video, rng.choice(4, n, p=video_p), rng.choice(4, n, p=audio_p))
    return np.select([unit == 0, unit == 1, unit == 2], [NULL, 0, value_ms // 1000], value_ms)


def null_stretch(rng, era: Era, ts: np.ndarray) -> np.ndarray:
    """E1 only: ~60 days (in the older half) logged without reason_end, IP, agent and skipped."""
    blank = np.zeros(len(ts), dtype=bool)
    if era.schema != "E1" or ts[-1] - ts[0] < 2 * 365 * 86_400:
        return blank
    start = int(rng.integers(ts[0], (ts[0] + ts[-1]) // 2))
    blank[(ts >= start) & (ts < start + 60 * 86_400)] = True
    return blank


def duplicates(rng, n: int, rate: float = 0.003) -> np.ndarray:
    """Plays that Spotify ships twice (exact duplicate rows, FORMATS.md §4)."""
    return pick(rng, n, rate, 3)
