"""The vectorised helpers agree with their one-value twins on awkward inputs."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from etl import timezones
from etl.model.keys import ids, stable_id
from etl.model.obsessions import obsession_anomalies

ARTISTS = ["Radiohead", " radiohead ", "RADIOHEAD", None, "", "  ", "Björk", "björk", "A|B"]
TRACKS = ["Creep", "creep ", None, "Creep", "Solo", "Solo", "Jóga", None, "C"]


def test_ids_match_stable_id_row_by_row():
    # whitespace, case, nulls, empty names and the separator itself inside a name
    artists, tracks = pa.array(ARTISTS), pa.array(TRACKS)
    assert ids(artists).to_pylist() == [stable_id(a) for a in ARTISTS]
    expected = [stable_id(a, t) for a, t in zip(ARTISTS, TRACKS, strict=True)]
    assert ids(artists, tracks).to_pylist() == expected
    chunked = pa.chunked_array([ARTISTS[:4], ARTISTS[4:]])
    assert ids(chunked).to_pylist() == [stable_id(a) for a in ARTISTS]
    assert ids(pa.array([], pa.string())).to_pylist() == []


def test_to_local_scatters_each_zone_back_to_its_rows_and_keeps_nulls():
    L = dt.datetime.fromisoformat
    utc = pa.array([L("2024-07-01 12:00"), None, L("2024-07-01 12:00"), L("2024-01-01 00:00")],
                   timezones.NAIVE_US)  # fmt: skip
    zones = pa.array(["America/New_York", "Europe/Berlin", "Europe/Berlin", "America/New_York"])
    assert timezones.to_local(utc, zones).to_pylist() == [
        L("2024-07-01 08:00"), None, L("2024-07-01 14:00"), L("2023-12-31 19:00")
    ]  # fmt: skip
    one_zone = pa.array(["Asia/Kolkata"] * 4)
    assert timezones.to_local(utc, one_zone).to_pylist()[:3] == [
        L("2024-07-01 17:30"), None, L("2024-07-01 17:30")
    ]  # fmt: skip


def test_no_obsessions_without_music():
    plays = pa.table({
        "artist_id": pa.array([None, None], pa.string()),
        "track_id": pa.array([None, None], pa.string()),
        "local_date": pa.array([dt.date(2024, 1, 1), dt.date(2024, 6, 1)], pa.date32()),
        "is_stream": [True, True],
        "ms_played": pa.array([60_000, 60_000], pa.int64()),
    })  # fmt: skip
    assert obsession_anomalies(plays, {}, "alice") == []
