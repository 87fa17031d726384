"""High / low listening days (robust z against the 28 days before) and new obsessions."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from etl.curate import curate_user
from etl.model.anomalies import day_anomalies, robust_z
from etl.model.keys import derived_id, stable_id
from tests.etl.fixtures_clean import song, write_lake

D = dt.date.fromisoformat
MIN20 = 1_200_000


def anomalies(lake) -> list[dict]:
    cols = ["anomaly_id", "local_date", "kind", "subject_type", "subject_id", "subject_name",
            "minutes_played", "baseline_minutes", "robust_z", "plays_7d", "rate_ratio",
            "explanation"]  # fmt: skip
    return pq.read_table(lake.curated_file("anomalies", "alice"), columns=cols).to_pylist()


def spike_plays() -> list[dict]:
    """Jan 1 .. Feb 15: 20 min on even days, 40 on odd days; Feb 15 adds 80 min of 'Banger'."""
    rows = []
    for i in range(46):
        day = D("2024-01-01") + dt.timedelta(days=i)
        for k in range(1 + i % 2):
            rows.append(song(f"b{i}_{k}", f"{day} {18 + k}:00:00", MIN20, "Base", "Long Song"))
    rows += [song(f"s{h}", f"2024-02-15 {h:02d}:00:00", MIN20, "Spike Artist", "Banger")
             for h in range(8, 12)]  # fmt: skip
    return rows


def test_a_high_day_names_what_drove_it(lake, settings):
    write_lake(lake, "alice", spike_plays())
    curate_user(lake, "alice", settings)
    day = D("2024-02-15")
    # the 28 days before: 14 × 20 min and 14 × 40 min → median 30, MAD 10
    assert anomalies(lake) == [{
        "anomaly_id": derived_id("anomaly", "high_day", day), "local_date": day,
        "kind": "high_day", "subject_type": "day", "subject_id": None, "subject_name": None,
        "minutes_played": 120.0, "baseline_minutes": 30.0, "robust_z": 0.6745 * 90 / 10,
        "plays_7d": None, "rate_ratio": None,
        "explanation": "120 min vs a usual 30 min (robust z +6.1): mostly Spike Artist "
        "(80 min, 67% of the day), top track 'Banger'",
    }]  # fmt: skip


def test_a_low_day_and_the_mad_floor():
    days = [D("2024-01-01") + dt.timedelta(days=i) for i in range(30)]
    minutes = [100, 110] * 14 + [0, 108]
    daily = pa.table({"local_date": days, "ms_played": [m * 60000 for m in minutes]})
    items = pa.table({"local_date": days[:1], "item_type": ["artist"], "item_id": ["x"],
                      "item_name": ["X"], "artist_name": ["X"], "ms_played": [1]})  # fmt: skip
    (row,) = day_anomalies(daily, lambda days: items, "alice")
    assert (row["local_date"], row["kind"], row["baseline_minutes"]) == (days[28], "low_day", 105)
    # MAD is 5, exactly the floor
    assert row["robust_z"] == 0.6745 * -105 / 5
    assert row["explanation"] == "0 min vs a usual 105 min (robust z -14.2): no listening at all"
    # 28 silent days: MAD 0 is floored at 5 min, so 30 min stands out and 20 min does not
    med, z = robust_z(np.array([0.0] * 28 + [30.0]))
    assert (med[0], z[0]) == (0.0, 0.6745 * 30 / 5)
    assert abs(robust_z(np.array([0.0] * 28 + [20.0]))[1][0]) < 3.5


def obsession_plays() -> list[dict]:
    def daily(tag, artist, track, first, n):
        start = D(first)
        return [song(f"{tag}{k}", f"{start + dt.timedelta(days=k)} 12:00:00", 180_000, artist,
                     track) for k in range(n)]  # fmt: skip

    return [
        song("intro", "2024-01-01 10:00:00", 60_000, "Filler", "Intro"),
        # a burst before the history covers 90 days: not judged
        *daily("early", "Early Band", "Jan Song", "2024-01-02", 5),
        song("e1", "2024-02-10 12:00:00", 180_000, "Obsession Band", "Earworm"),
        song("e2", "2024-03-20 12:00:00", 180_000, "Obsession Band", "Earworm"),
        *daily("apr", "Obsession Band", "Earworm", "2024-04-14", 7),
        *daily("new", "Fresh Band", "New Song", "2024-05-10", 5),
        *daily("jul", "Obsession Band", "Earworm", "2024-07-15", 7),
    ]


EARWORM = ("track", stable_id("Obsession Band", "Earworm"), "'Earworm' by Obsession Band")
BAND = ("artist", stable_id("Obsession Band"), "Obsession Band")
FRESH_SONG = ("track", stable_id("Fresh Band", "New Song"), "'New Song' by Fresh Band")
FRESH = ("artist", stable_id("Fresh Band"), "Fresh Band")


def test_new_obsessions_once_per_episode(lake, settings):
    write_lake(lake, "alice", obsession_plays())
    curate_user(lake, "alice", settings)
    got = [
        (str(r["local_date"]), r["subject_type"], r["subject_id"], r["plays_7d"],
         r["minutes_played"], r["rate_ratio"], r["explanation"])
        for r in anomalies(lake)
    ]  # fmt: skip
    before = "streams in the 90 days before"
    april = f"5 streams in the 7 days to 2024-04-18, 32.1× its usual rate (2 {before})"
    may = "5 streams in the 7 days to 2024-05-14, none in the 90 days before"
    july = f"5 streams in the 7 days to 2024-07-19, 9.2× its usual rate (7 {before})"
    # 7-day streams vs 3 × (streams on days -96..-7) × 7/90; April 19-20 extend the first
    # episode, July starts a new one; the January burst comes before 90 days of history
    expected = (
        [
            ("2024-04-18", *subject[:2], 5, 15.0, 5 / (2 * 7 / 90), f"{subject[2]}: {april}")
            for subject in (BAND, EARWORM)
        ]
        + [
            ("2024-05-14", *subject[:2], 5, 15.0, None, f"{subject[2]}: {may}")
            for subject in (FRESH, FRESH_SONG)
        ]
        + [
            ("2024-07-19", *subject[:2], 5, 15.0, 5 / (7 * 7 / 90), f"{subject[2]}: {july}")
            for subject in (BAND, EARWORM)
        ]
    )
    # rows of one day are ordered by subject id
    assert got == sorted(expected, key=lambda r: (r[0], r[2]))
    assert {r["kind"] for r in anomalies(lake)} == {"new_obsession"}
