"""Local wall-clock time of plays: one IANA zone per play, DST-correct.

The zone of a play is ``settings.country_timezones[country_code]`` when the play has a mapped
country, else ``settings.timezone`` (default UTC). Account data has no country, so it always
uses the default. A play at 01:30 UTC on 2024-03-31 is 03:30 in Europe/Berlin.

Arrow converts with the system's IANA database (/usr/share/zoneinfo). Slim container images
lack it; then ``zoneinfo`` (which also reads the ``tzdata`` package) computes the same offsets.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

NAIVE_US = pa.timestamp("us")
# Since 1970 every zone's offset and transition instants are whole multiples of 15 minutes.
_QUARTER_US = 15 * 60 * 1_000_000


def zone_per_play(countries: pa.Array, default: str, by_country: dict[str, str]) -> pa.Array:
    """The IANA zone name of every play: its country's mapped zone, else ``default``."""
    zones = pa.repeat(pa.scalar(default, pa.string()), len(countries))
    for code in sorted(by_country):
        mask = pc.fill_null(pc.equal(countries, pa.scalar(code)), False)
        zones = pc.if_else(mask, pa.scalar(by_country[code]), zones)
    return zones


def local_by_zoneinfo(utc: pa.Array, zone: str) -> pa.Array:
    """Naive local timestamps of naive-UTC ``utc`` via ``zoneinfo``: one offset look-up per
    distinct quarter hour, not per play."""
    micros = pc.cast(pc.cast(utc, NAIVE_US), pa.int64()).to_numpy(zero_copy_only=False)
    quarters, where = np.unique(micros // _QUARTER_US, return_inverse=True)
    tz = ZoneInfo(zone)
    offsets = np.array([
        dt.datetime.fromtimestamp(int(q) * 15 * 60, tz).utcoffset() // dt.timedelta(microseconds=1)
        for q in quarters
    ], dtype=np.int64)  # fmt: skip
    return pa.array(micros + offsets[where], NAIVE_US)


def _local(utc: pa.Array, zone: str) -> pa.Array:
    try:
        return pc.local_timestamp(utc.cast(pa.timestamp("us", tz=zone)))
    except pa.ArrowInvalid:  # no system tz database (e.g. a slim image): ask zoneinfo
        return local_by_zoneinfo(utc, zone)


def to_local(utc: pa.Array, zones: pa.Array) -> pa.Array:
    """Naive local timestamps for naive-UTC (or UTC-aware) ``utc`` instants, zone by zone."""
    utc = pc.cast(utc, NAIVE_US).cast(pa.timestamp("us", tz="UTC"))
    out = pa.nulls(len(utc), NAIVE_US)
    for zone in sorted(pc.unique(zones).to_pylist()):
        out = pc.if_else(pc.equal(zones, pa.scalar(zone)), _local(utc, zone), out)
    return out


def local_parts(local: pa.Array) -> dict[str, pa.Array]:
    """``local_date``, ``local_hour`` and ``weekday`` (0 = Monday) of naive local timestamps."""
    return {
        "local_date": pc.cast(local, pa.date32()),
        "local_hour": pc.cast(pc.hour(local), pa.int32()),
        "weekday": pc.cast(pc.day_of_week(local), pa.int32()),
    }
