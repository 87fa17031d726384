"""Listening sessions: when they start (a daily rhythm, weekly and seasonal swings, holidays and
binge days), how long they are, and what is fixed per session (device, country, network,
shuffle, offline, incognito)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from etl.synth.devices import pick_devices

DAY_S = 86_400
# Relative listening per local hour: quiet nights, a morning commute, a long evening.
_HOURS = np.array(
    [
        1.0,
        0.5,
        0.3,
        0.2,
        0.2,
        0.4,
        1.2,
        3.0,
        4.0,
        3.0,
        2.5,
        2.5,
        3.0,
        2.8,
        2.5,
        2.6,
        3.0,
        4.0,
        4.5,
        4.5,
        4.0,
        3.5,
        2.8,
        1.8,
    ]
)
HOMES = (
    ("DE", 1),
    ("FR", 1),
    ("PL", 1),
    ("US", -5),
    ("BR", -3),
    ("IN", 5),
    ("VN", 7),
    ("JP", 9),
    ("GB", 0),
    ("SE", 1),
    ("MX", -6),
    ("ES", 1),
)
_TRAVEL = ("ES", "IT", "PT", "GR", "US", "GB", "FR", "DE", "NL", "TH", "JP", "HR", "MA", "CA")
COUNTRIES = tuple(sorted({c for c, _ in HOMES} | set(_TRAVEL) | {"ZZ"}))
IPS = (
    "192.0.2.1",
    "192.0.2.17",
    "198.51.100.4",
    "198.51.100.23",
    "203.0.113.9",
    "2001:db8::1",
    "2001:db8:85a3::8a2e:370:7334",
    "203.0.113.200",
)
USER_AGENTS = ("unknown", None, "", "redacted-ua-1", "redacted-ua-2")


@dataclass
class Sessions:
    start_s: np.ndarray  # wished-for start, epoch seconds (UTC), ascending
    length: np.ndarray  # plays per session
    mode: np.ndarray  # 0 music, 1 podcast, 2 audiobook
    device: np.ndarray  # device category, see devices.platform_table
    country: np.ndarray  # index into COUNTRIES
    ip: np.ndarray  # index into IPS
    user_agent: np.ndarray  # index into USER_AGENTS
    shuffle: np.ndarray
    offline: np.ndarray
    incognito: np.ndarray

    def __len__(self) -> int:
        return len(self.length)


def _lengths(rng: np.random.Generator, plays: int, modes: tuple[float, ...]):
    """(plays per session, mode per session): music sessions ~10 plays, talk ones 1-3."""
    size = plays // 9 + 50
    mode = rng.choice(3, size=size, p=modes).astype(np.int8)
    lengths = np.where(mode == 0, rng.geometric(0.1, size=size), rng.integers(1, 4, size))
    while lengths.sum() < plays:  # rare: draw more sessions
        more, more_mode = _lengths(rng, plays, modes)
        lengths, mode = np.concatenate([lengths, more]), np.concatenate([mode, more_mode])
    cut = int(np.searchsorted(np.cumsum(lengths), plays))
    lengths, mode = lengths[: cut + 1].copy(), mode[: cut + 1]
    lengths[-1] -= int(lengths.sum()) - plays
    for m in np.flatnonzero(modes).tolist():  # every kind of listening shows up, lately too
        recent = mode[len(mode) * 19 // 20 :]
        if not (recent == m).any():
            recent[int(rng.integers(len(recent)))] = m
    return lengths, mode


def _day_weights(rng: np.random.Generator, days: int) -> np.ndarray:
    """Day weights: more listening over the years, seasons, a few holidays off, binge days."""
    d = np.arange(days)
    w = (0.4 + 0.6 * d / max(days - 1, 1)) * (1 + 0.2 * np.sin(2 * np.pi * d / 365.25))
    w *= rng.lognormal(0, 0.35, days)
    for _ in range(max(1, days // 200)):
        start = int(rng.integers(0, days))
        w[start : start + int(rng.integers(4, 15))] *= 0.05
    binge = rng.random(days) < 0.01
    w[binge] *= rng.uniform(3, 5, int(binge.sum()))
    return w / w.sum()


def _trip_days(rng: np.random.Generator, days: int, home: str) -> np.ndarray:
    """Country index per day: home, except a few trips a year."""
    out = np.full(days, COUNTRIES.index(home), dtype=np.int16)
    away = [c for c in _TRAVEL if c != home]
    for _ in range(max(1, days * 3 // 365)):
        start, length = int(rng.integers(0, days)), int(rng.integers(3, 15))
        out[start : start + length] = COUNTRIES.index(away[int(rng.integers(len(away)))])
    return out


def _starts(rng: np.random.Generator, n: int, first_day_s: int, days: int, offset_h: int):
    day = np.sort(rng.choice(days, size=n, p=_day_weights(rng, days)))
    weekend = ((first_day_s // DAY_S + day + 3) % 7) >= 5  # 1970-01-01 was a Thursday
    hour = rng.choice(24, size=n, p=_HOURS / _HOURS.sum())
    hour = np.where(weekend, (hour + 1) % 24, hour)  # weekends start a little later
    local = first_day_s + day * DAY_S + hour * 3600 + rng.integers(0, 3600, n)
    order = np.argsort(local, kind="stable")
    return (local - offset_h * 3600)[order], day[order]


def _some(rng: np.random.Generator, n: int, rate: float) -> np.ndarray:
    """A random mask with about ``rate * n`` true values, never none."""
    mask = rng.random(n) < rate
    mask[int(rng.integers(n))] = True
    return mask


def build_sessions(
    rng: np.random.Generator,
    plays: int,
    first_day_s: int,
    days: int,
    home: tuple[str, int],
    modes: tuple[float, float, float],
) -> Sessions:
    """Sessions holding ``plays`` plays in total, spread over ``days`` days from ``first_day_s``."""
    lengths, mode = _lengths(rng, plays, modes)
    n = len(lengths)
    start_s, day = _starts(rng, n, first_day_s, days, home[1])
    country = _trip_days(rng, days, home[0])[day]
    country[_some(rng, n, 0.01)] = COUNTRIES.index("ZZ")
    return Sessions(
        start_s=start_s,
        length=lengths,
        mode=mode,
        device=pick_devices(rng, n),
        country=country,
        ip=rng.integers(0, len(IPS), n).astype(np.int8),
        user_agent=rng.choice(len(USER_AGENTS), size=n, p=[0.72, 0.14, 0.1, 0.03, 0.01]),
        shuffle=rng.random(n) < 0.45,
        offline=rng.random(n) < 0.06,
        incognito=_some(rng, n, 0.008),
    )
