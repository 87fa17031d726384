"""One synthetic person's whole listening history, as columns (one numpy array per field).

Plays are in time order and their ``ts`` (whole UTC seconds, end of playback) strictly
increase, so two generated plays are never one play under the lake's same-play rule; only the
duplicates the writers insert on purpose are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from etl.synth import flags
from etl.synth.catalog import Catalog, build_catalog
from etl.synth.devices import platform_codes, platform_table
from etl.synth.eras import Era
from etl.synth.names import Namer, base62_ids
from etl.synth.plays import NULL_REASON, content, endings, pick, starts
from etl.synth.sessions import DAY_S, HOMES, Sessions, build_sessions

ACCOUNT_WINDOW_DAYS = 365
_SESSION_GAP_MS = 35 * 60_000
_DEVICE_YEARS = (1_325_376_000, 1_767_225_600)  # 2012 .. 2026: device generations by calendar


@dataclass
class History:
    era: Era
    catalog: Catalog
    sessions: Sessions
    home: str
    offset_h: int  # the home country's UTC offset: file years follow local time
    username: str
    ts: np.ndarray  # epoch seconds, end of play
    ms: np.ndarray
    kind: np.ndarray  # plays.TRACK/EPISODE/CHAPTER/NONE
    item: np.ndarray  # index into the catalog's tracks/episodes/chapters (-1: none)
    sid: np.ndarray  # session of each play
    video: np.ndarray
    reason_start: np.ndarray
    reason_end: np.ndarray
    skipped: np.ndarray  # 1/0/-1 (null)
    offline: np.ndarray  # 1/0/-1 (null)
    offline_ts: np.ndarray  # -1: null
    platform: np.ndarray  # index into devices.PLATFORMS
    blank: np.ndarray  # E1 rows without reason_end, IP, user agent and skipped

    def __len__(self) -> int:
        return len(self.ts)

    @property
    def window_start_s(self) -> int:
        """Start of the account data's "last year" window."""
        return epoch(self.era.export_date) - ACCOUNT_WINDOW_DAYS * DAY_S


def epoch(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def _timestamps(rng, s: Sessions, sid: np.ndarray, ms: np.ndarray, last_s: int) -> np.ndarray:
    """End of each play: sessions start when wished unless the previous one still runs."""
    step = 1_000 + rng.exponential(1_500, len(ms)).astype(np.int64) + ms  # >= 1 s apart
    pauses = pick(rng, len(ms), 0.03)
    step[pauses] += rng.integers(60_000, 1_200_000, len(pauses))
    cum = np.cumsum(step)
    first = np.cumsum(s.length) - s.length
    end_offset = cum - (cum[first] - step[first])[sid]
    duration = end_offset[first + s.length - 1]
    before = np.concatenate([[0], np.cumsum(duration + _SESSION_GAP_MS)[:-1]])
    begin = np.maximum.accumulate(s.start_s * 1000 - before) + before
    ts = (begin[sid] + end_offset) // 1000
    return ts - max(0, int(ts[-1]) - last_s)  # a busy history is moved back, never cut


def _username(rng) -> str:
    if rng.random() < 0.5:
        return str(int(rng.integers(1_000_000_000, 99_999_999_999)))
    return base62_ids(rng, 1, length=28)[0].lower()


def build_history(seed: int, plays: int, era: Era, account_only: bool) -> History:
    """``plays`` plays ending the day before the era's export date.

    The extended history spans 400 days to 15 years (more plays, longer); an account-only
    history spans exactly the account window.
    """
    rng = np.random.default_rng(seed)
    catalog = build_catalog(rng, Namer(seed), plays)
    home = HOMES[int(rng.integers(len(HOMES)))]
    days = ACCOUNT_WINDOW_DAYS - 1 if account_only else int(np.clip(plays // 40, 400, 15 * 365))
    last_s = epoch(era.export_date) - DAY_S
    first_s = last_s - days * DAY_S
    modes = (0.92, 0.06, 0.02) if era.has_audiobooks else (0.94, 0.06, 0.0)
    s = build_sessions(rng, plays, first_s, days, home, modes)
    kind, item, sid, pos = content(rng, catalog, s, first_s, 0.0 if account_only else 0.0006)
    ms, reason_end, skip = endings(rng, catalog, kind, item, pos, s.length[sid], s.shuffle[sid])
    reason_start = starts(rng, reason_end, pos)
    ts = _timestamps(rng, s, sid, ms, last_s)
    return _finish(
        rng, era, catalog, s, home, ts, ms, kind, item, sid, reason_start, reason_end, skip
    )


def _finish(rng, era, catalog, s, home, ts, ms, kind, item, sid, reason_start, reason_end, skip):
    video = flags.videos(rng, catalog, kind, item)
    blank = flags.null_stretch(rng, era, ts)
    skipped = flags.skipped(rng, era, ts, skip)
    skipped[blank] = flags.NULL
    reason_end[blank] = NULL_REASON
    switch = np.inf if rng.random() < 0.15 else rng.uniform(1_614_556_800, 1_672_444_800)
    table = platform_table(rng.choice(["android", "ios"]), rng.choice(["windows", "osx"]))
    session_platform = platform_codes(table, s.device, s.start_s, *_DEVICE_YEARS, switch)
    return History(
        era=era,
        catalog=catalog,
        sessions=s,
        home=home[0],
        offset_h=home[1],
        username=_username(rng),
        ts=ts,
        ms=ms,
        kind=kind,
        item=item,
        sid=sid,
        video=video,
        reason_start=reason_start,
        reason_end=reason_end,
        skipped=skipped,
        offline=flags.offline(rng, era, s.offline[sid], video),
        offline_ts=flags.offline_timestamps(rng, era, ts, ms, video),
        platform=session_platform[sid],
        blank=blank,
    )
