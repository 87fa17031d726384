"""The extended streaming history: rows in the era's schema (E1–E3, FORMATS.md §4) and the
era's files (§2): ``endsong_N``/``endvideo`` (minified, random order), range-named sorted parts
``Streaming_History_Audio_YYYY-YYYY_N`` (~15–19k rows each) or one file per (local) year with a
few out-of-order blocks. Exact duplicate rows are inserted as Spotify ships them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from etl.synth import columns, flags
from etl.synth.devices import PLATFORMS
from etl.synth.history import History
from etl.synth.plays import REASONS
from etl.synth.sessions import COUNTRIES, IPS, USER_AGENTS

_BOOL3 = (False, True, None)  # codes 0, 1, -1
PART_ROWS = (15_000, 19_000)


@dataclass
class Part:
    path: str
    kind: str  # extended_audio | extended_video
    idx: np.ndarray  # plays, in file order (a duplicated play appears twice)
    minified: bool


def _session_columns(h: History, idx: np.ndarray) -> dict[str, list]:
    sid = h.sessions
    s = h.sid[idx]
    blank = h.blank[idx]
    ip = np.where(blank, -1, sid.ip[s]).tolist()
    ua = np.where(blank, -1, sid.user_agent[s]).tolist()
    ips, uas = (*IPS, None), (*USER_AGENTS, None)
    return {
        "conn_country": [COUNTRIES[c] for c in sid.country[s].tolist()],
        "ip": [ips[i] for i in ip],
        "user_agent": [uas[i] for i in ua],
        "shuffle": sid.shuffle[s].tolist(),
        "incognito_mode": sid.incognito[s].tolist(),
    }


def rows(h: History, lk: columns.Lookups, idx: np.ndarray) -> list[dict]:
    """The JSON objects of plays ``idx``, keys in the era's order."""
    n = columns.names(lk, h, idx)
    s = _session_columns(h, idx)
    c = {
        "ts": columns.iso_seconds(h.ts[idx]),
        "username": [h.username] * len(idx),
        "platform": [PLATFORMS[p] for p in h.platform[idx].tolist()],
        "ms_played": h.ms[idx].tolist(),
        "conn_country": s["conn_country"],
        "ip_addr_decrypted": s["ip"],
        "ip_addr": s["ip"],
        "user_agent_decrypted": s["user_agent"],
        "master_metadata_track_name": n["track"],
        "master_metadata_album_artist_name": n["artist"],
        "master_metadata_album_album_name": n["album"],
        "spotify_track_uri": n["track_uri"],
        "episode_name": n["episode"],
        "episode_show_name": n["show"],
        "spotify_episode_uri": n["episode_uri"],
        "audiobook_title": n["book"],
        "audiobook_uri": n["book_uri"],
        "audiobook_chapter_uri": n["chapter_uri"],
        "audiobook_chapter_title": n["chapter"],
        "reason_start": [REASONS[r] for r in h.reason_start[idx].tolist()],
        "reason_end": [REASONS[r] for r in h.reason_end[idx].tolist()],
        "shuffle": s["shuffle"],
        "skipped": [_BOOL3[v] for v in h.skipped[idx].tolist()],
        "offline": [_BOOL3[v] for v in h.offline[idx].tolist()],
        "offline_timestamp": [None if v < 0 else v for v in h.offline_ts[idx].tolist()],
        "incognito_mode": s["incognito_mode"],
    }
    keys = h.era.extended_keys
    return [
        dict(zip(keys, values, strict=True)) for values in zip(*(c[k] for k in keys), strict=True)
    ]


def _chunks(rng, rows_: np.ndarray) -> list[np.ndarray]:
    cuts, at = [], 0
    while at + PART_ROWS[1] < len(rows_):
        at += int(rng.integers(PART_ROWS[0], PART_ROWS[1] + 1))
        cuts.append(at)
    return np.split(rows_, cuts)


def _span(h: History, idx: np.ndarray) -> str:
    y0, y1 = columns.years(h.ts[idx[[0, -1]]]).tolist()
    return f"{y0}" if y0 == y1 else f"{y0}-{y1}"


def _rotated(rng, idx: np.ndarray) -> np.ndarray:
    """Sorted blocks concatenated out of order: the first row is not the earliest."""
    if len(idx) < 20:
        return idx
    cuts = np.sort(rng.choice(np.arange(1, len(idx)), size=2, replace=False))
    blocks = np.split(idx, cuts)
    return np.concatenate(blocks[1:] + blocks[:1])


def _per_year(rng, h: History, base: str, media: str, rows_: np.ndarray) -> Iterator[Part]:
    year = columns.years(h.ts[rows_], h.offset_h)
    for y in np.unique(year).tolist():
        part = _rotated(rng, rows_[year == y])
        yield Part(
            f"{base}/Streaming_History_{media}_{y}.json", f"extended_{media.lower()}", part, False
        )


def plan(rng, h: History) -> tuple[list[Part], int]:
    """The extended files of the era and how many duplicate rows they hold."""
    dups = flags.duplicates(rng, len(h))
    all_rows = np.sort(np.concatenate([np.arange(len(h)), dups]), kind="stable")
    video = h.video[all_rows]
    audio, vid = all_rows[~video], all_rows[video]
    base, layout = h.era.extended_dir, h.era.layout
    if layout == "endsong":
        parts = [
            Part(f"{base}/endsong_{i}.json", "extended_audio", chunk, True)
            for i, chunk in enumerate(_chunks(rng, rng.permutation(audio)))
        ]
        parts.append(Part(f"{base}/endvideo.json", "extended_video", rng.permutation(vid), True))
    elif layout == "range":
        parts = [
            Part(
                f"{base}/Streaming_History_Audio_{_span(h, c)}_{i}.json", "extended_audio", c, False
            )
            for i, c in enumerate(_chunks(rng, audio))
        ]
        parts.append(
            Part(
                f"{base}/Streaming_History_Video_{_span(h, vid)}.json", "extended_video", vid, False
            )
        )
    else:
        parts = [*_per_year(rng, h, base, "Audio", audio), *_per_year(rng, h, base, "Video", vid)]
    return parts, len(dups)
