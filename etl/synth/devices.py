"""Devices and the ``platform`` field's two vocabularies (FORMATS.md §4): descriptive strings in
older rows (``Android OS 11 API 30 (realme, RMX2002)``), lower-case tokens later (``android``).
A person upgrades their phone and computer every few years."""

from __future__ import annotations

import numpy as np

FAMILIES: dict[str, tuple[tuple[str, str], ...]] = {
    "android": (
        ("Android OS 7.0 API 24 (samsung, SM-G930F)", "android"),
        ("Android OS 9 API 28 (samsung, SM-G960F)", "android"),
        ("Android OS 11 API 30 (realme, RMX2002)", "android"),
        ("Android OS 12 API 31 (Google, Pixel 6 Pro)", "android"),
        ("Android OS 14 API 34 (Google, Pixel 8)", "android"),
    ),
    "ios": (
        ("iOS 10.2.1 (iPhone8,1)", "ios"),
        ("iOS 12.4 (iPhone10,4)", "ios"),
        ("iOS 13.6 (iPhone11,2)", "ios"),
        ("iOS 15.6.1 (iPhone13,2)", "ios"),
        ("iOS 16.1.2 (iPhone14,5)", "ios"),
    ),
    "windows": (
        ("Windows 7 (6.1.7601; x64)", "windows"),
        ("Windows 10 (10.0.18362; x64; AppX)", "windows"),
        ("Windows 10 (10.0.22000; x64; AppX)", "windows"),
    ),
    "osx": (
        ("OS X 10.13.6 [x86 8]", "osx"),
        ("OS X 10.15.7 [x86 8]", "osx"),
        ("OS X 12.6.1 [arm 2]", "osx"),
    ),
    "web": (
        ("WebPlayer (websocket RFC6455)", "not_applicable"),
        ("web_player windows 10;chrome 103.0.0.0;desktop", "not_applicable"),
    ),
    "cast": (("Partner google cast_voice;Google_Home;;5.15.0--1.56.500000", "cast"),),
    "tv": (
        ("Partner SCEI sony_tv;ps4;;", "playstation"),
        ("Partner samsung_tv Samsung;QE55Q70;;tpapi", "tizen"),
    ),
    "other": (
        ("Android-tablet OS 11 API 30 (SAMSUNG, SM-T870)", "android"),
        ("Linux [x86-64 0]", "unknown"),
    ),
}
# Device categories per session: phone, computer, web player, cast, TV/console, other.
_CATEGORY_P = (0.58, 0.27, 0.05, 0.06, 0.02, 0.02)
PLATFORMS = tuple(sorted({s for fam in FAMILIES.values() for pair in fam for s in pair}))
_BUCKETS = 12  # time resolution of device generations


def pick_devices(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.choice(len(_CATEGORY_P), size=n, p=_CATEGORY_P).astype(np.int8)


def platform_table(phone: str, computer: str) -> np.ndarray:
    """``table[category, time bucket, vocabulary]`` → index into ``PLATFORMS``."""
    families = (phone, computer, "web", "cast", "tv", "other")
    table = np.zeros((len(families), _BUCKETS, 2), dtype=np.int16)
    for c, fam in enumerate(families):
        gens = FAMILIES[fam]
        for b in range(_BUCKETS):
            descriptive, token = gens[min(len(gens) - 1, b * len(gens) // _BUCKETS)]
            table[c, b] = (PLATFORMS.index(descriptive), PLATFORMS.index(token))
    return table


def platform_codes(
    table: np.ndarray, category: np.ndarray, t: np.ndarray, t0: int, t1: int, switch_s: float
) -> np.ndarray:
    """Platform per session: its device's generation at time ``t``, in the vocabulary of then."""
    bucket = np.clip((t - t0) * _BUCKETS // max(t1 - t0, 1), 0, _BUCKETS - 1)
    return table[category, bucket, (t >= switch_s).astype(np.int8)]
