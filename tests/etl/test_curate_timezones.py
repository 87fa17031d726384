"""Local time per play zone, across DST changes, with and without a system tz database."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from etl import timezones

L = dt.datetime.fromisoformat

# (UTC instant, zone, local wall-clock time)
CASES = [
    ("2024-03-31 00:59:59", "Europe/Berlin", "2024-03-31 01:59:59"),  # last CET second
    ("2024-03-31 01:00:00", "Europe/Berlin", "2024-03-31 03:00:00"),  # 02:xx never happens
    ("2024-10-27 00:59:59", "Europe/Berlin", "2024-10-27 02:59:59"),  # last CEST second
    ("2024-10-27 01:00:00", "Europe/Berlin", "2024-10-27 02:00:00"),  # 02:xx happens twice
    ("2024-03-10 06:59:00", "America/New_York", "2024-03-10 01:59:00"),
    ("2024-03-10 07:00:00", "America/New_York", "2024-03-10 03:00:00"),
    ("2024-06-01 00:00:00", "Asia/Kathmandu", "2024-06-01 05:45:00"),
    ("2024-06-01 00:00:00", "UTC", "2024-06-01 00:00:00"),
]


def _arrays():
    utc = pa.array([L(u) for u, _, _ in CASES], timezones.NAIVE_US)
    zones = pa.array([z for _, z, _ in CASES])
    return utc, zones, [L(local) for _, _, local in CASES]


def test_to_local_is_dst_correct_per_zone():
    utc, zones, expected = _arrays()
    assert timezones.to_local(utc, zones).to_pylist() == expected


def test_without_a_system_tz_database_zoneinfo_gives_the_same(monkeypatch):
    def no_tzdb(*args, **kwargs):
        raise pa.ArrowInvalid("Cannot locate or parse timezone: discover_tz_dir failed")

    monkeypatch.setattr(pc, "local_timestamp", no_tzdb)
    utc, zones, expected = _arrays()
    assert timezones.to_local(utc, zones).to_pylist() == expected


def test_zone_per_play_maps_countries_and_defaults():
    countries = pa.array(["US", "DE", None, "FR"])
    zones = timezones.zone_per_play(countries, "Europe/Berlin", {"US": "America/New_York"})
    assert zones.to_pylist() == ["America/New_York", "Europe/Berlin", "Europe/Berlin",
                                 "Europe/Berlin"]  # fmt: skip


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/St_Johns", "Australia/Lord_Howe"])
def test_zoneinfo_fallback_matches_arrow_hour_by_hour(zone):
    start = int(dt.datetime(2023, 1, 1, tzinfo=dt.UTC).timestamp()) * 1_000_000
    utc = pa.array(range(start, start + 2 * 366 * 24 * 3600 * 1_000_000, 1_800_000_000),
                   timezones.NAIVE_US)  # fmt: skip
    arrow = pc.local_timestamp(utc.cast(pa.timestamp("us", tz="UTC")).cast(
        pa.timestamp("us", tz=zone)))  # fmt: skip
    assert timezones.local_by_zoneinfo(utc, zone).equals(arrow)
