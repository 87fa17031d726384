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
    if isinstance(countries, pa.ChunkedArray):
        countries = countries.combine_chunks()
    codes = pc.dictionary_encode(countries)  # look up each distinct country once
    zones = [by_country.get(c, default) for c in codes.dictionary.to_pylist()]
    return pc.fill_null(pc.take(pa.array(zones, pa.string()), codes.indices), default)


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
    if isinstance(utc, pa.ChunkedArray):
        utc = utc.combine_chunks()
    if isinstance(zones, pa.ChunkedArray):
        zones = zones.combine_chunks()
    codes = pc.dictionary_encode(zones)
    names = codes.dictionary.to_pylist()
    if len(names) == 1 and codes.null_count == 0:  # one zone: no scatter needed
        return _local(utc, names[0])
    zone_of = pc.fill_null(codes.indices, -1).to_numpy(zero_copy_only=False)
    out = np.zeros(len(utc), dtype=np.int64)
    for k, zone in enumerate(names):  # each play converted once, in its own zone
        rows = np.flatnonzero(zone_of == k)
        local = _local(utc.take(pa.array(rows)), zone)
        out[rows] = pc.fill_null(pc.cast(local, pa.int64()), 0).to_numpy(zero_copy_only=False)
    mask = (zone_of < 0) | pc.is_null(utc).to_numpy(zero_copy_only=False)
    return pa.array(out, NAIVE_US, mask=mask)


def local_parts(local: pa.Array) -> dict[str, pa.Array]:
    """``local_date``, ``local_hour`` and ``weekday`` (0 = Monday) of naive local timestamps."""
    return {
        "local_date": pc.cast(local, pa.date32()),
        "local_hour": pc.cast(pc.hour(local), pa.int32()),
        "weekday": pc.cast(pc.day_of_week(local), pa.int32()),
    }
