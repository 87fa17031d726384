"""The account data's streaming history (FORMATS.md §3): the plays of the last year with
``endTime`` = ``ts`` truncated to the minute and ``msPlayed`` = ``ms_played``, names as in the
extended history, so the lake's same-play rule merges the two families into one play.

Like the real files: no URIs, no exact duplicates, sorted, parts of at most 10,000 rows, legacy
``StreamingHistoryN`` (podcasts mixed in, artist = show) or ``_music_``/``_podcast_``/
``_audiobook_`` files. A few rows carry ``Unknown Artist``/``Unknown Track`` placeholders or
names that drifted since (``… (feat. X)`` → ``…``); those rows are chosen where no other play has
the same minute and ms_played, so the lake's fallback (minute, ms) match still pairs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from etl.synth import columns
from etl.synth.eras import ACCOUNT_KEYS
from etl.synth.history import History
from etl.synth.plays import CHAPTER, EPISODE, NONE, TRACK, pick

PART_ROWS = 10_000
UNKNOWN_ARTIST, UNKNOWN_TRACK = "Unknown Artist", "Unknown Track"


@dataclass
class AccountFile:
    path: str
    kind: str  # account_legacy | account_music | account_podcast | account_audiobook
    records: list[dict]


@dataclass
class AccountPlan:
    files: list[AccountFile] = field(default_factory=list)
    unknown: int = 0
    drifted: int = 0

    @property
    def rows(self) -> int:
        return sum(len(f.records) for f in self.files)


def drift(name: str) -> str:
    """How a track title changes between exports."""
    if " (feat. " in name:
        return name.split(" (feat. ")[0]
    if " - " in name:
        return name.rsplit(" - ", 1)[0]
    return f"{name} - Single Version"


def eligible(h: History, window_only: bool) -> np.ndarray:
    """Plays the account history lists: named content (videos too), in the window."""
    keep = h.kind != NONE
    if window_only:
        keep &= h.ts >= h.window_start_s
    return np.flatnonzero(keep)


def _lonely(h: History, idx: np.ndarray, window_only: bool) -> np.ndarray:
    """Of plays ``idx``: those no other play of the window shares (minute, ms_played) with."""
    scope = np.flatnonzero(h.ts >= h.window_start_s) if window_only else np.arange(len(h))
    key = (h.ts[scope] // 60) * 100_000_000 + h.ms[scope]
    uniq, counts = np.unique(key, return_counts=True)
    mine = (h.ts[idx] // 60) * 100_000_000 + h.ms[idx]
    return counts[np.searchsorted(uniq, mine)] == 1


def _quirks(rng, h: History, idx: np.ndarray, window_only: bool) -> tuple[np.ndarray, np.ndarray]:
    """Positions (into ``idx``) of rows with placeholders, and of rows with drifted names."""
    ok = np.flatnonzero((h.kind[idx] == TRACK) & (h.ms[idx] > 0) & _lonely(h, idx, window_only))
    chosen = ok[pick(rng, len(ok), 0.002, 4)]
    half = len(chosen) // 2
    return chosen[:half], chosen[half:]


def _records(rng, h: History, lk, idx, window_only: bool, plan: AccountPlan) -> list[tuple]:
    n = columns.names(lk, h, idx)
    kind = h.kind[idx].tolist()
    end, ms = columns.minutes(h.ts[idx]), h.ms[idx].tolist()
    # Legacy files list an episode as artist = show, track = episode (FORMATS.md §3).
    first = {TRACK: n["artist"], EPISODE: n["show"], CHAPTER: n["book"]}
    second = {TRACK: n["track"], EPISODE: n["episode"], CHAPTER: n["chapter"]}
    artist = [first[k][i] for i, k in enumerate(kind)]
    title = [second[k][i] for i, k in enumerate(kind)]
    unknown, drifted = _quirks(rng, h, idx, window_only)
    for i in unknown.tolist():
        artist[i] = UNKNOWN_ARTIST
        title[i] = UNKNOWN_TRACK if i % 5 else title[i]  # usually both, not always
    for i in drifted.tolist():
        title[i] = drift(title[i])
    plan.unknown, plan.drifted = len(unknown), len(drifted)
    # Spotify's account files hold no exact duplicates: equal records collapse.
    return list(dict.fromkeys(zip(kind, end, artist, title, n["author"], ms, strict=True)))


def _files(base: str, stem: str, kind: str, keys: tuple[str, ...], recs: list[tuple]):
    out = []
    for part, start in enumerate(range(0, max(len(recs), 1), PART_ROWS)):
        chunk = recs[start : start + PART_ROWS]
        out.append(
            AccountFile(f"{base}/{stem}{part}.json", kind, [_record(keys, r) for r in chunk])
        )
    return out


def _record(keys: tuple[str, ...], r: tuple) -> dict:
    _, end, a, t, author, ms = r
    values = (end, a, t, author, ms) if len(keys) == 5 else (end, a, t, ms)
    return dict(zip(keys, values, strict=True))


def plan(rng, h: History, lk: columns.Lookups, window_only: bool) -> AccountPlan:
    """The account streaming files: the whole history, or (``window_only``) its last year."""
    result = AccountPlan()
    recs = _records(rng, h, lk, eligible(h, window_only), window_only, result)
    base = h.era.account_dir
    if h.era.account_style == "legacy":
        result.files = _files(
            base, "StreamingHistory", "account_legacy", ACCOUNT_KEYS["music"], recs
        )
        return result
    for kind, family in ((TRACK, "music"), (EPISODE, "podcast"), (CHAPTER, "audiobook")):
        mine = [r for r in recs if r[0] == kind]
        if mine or family == "music":  # no podcast file for someone without podcasts
            result.files += _files(
                base, f"StreamingHistory_{family}_", f"account_{family}", ACCOUNT_KEYS[family], mine
            )
    return result
