"""New obsessions: an artist or track suddenly streamed far more than usual.

Rule: on a day the subject was played, its streams in the 7 days ending that day are ≥ 5 and
≥ 3× what the 90 days before that window predict (7-day count ≥ 3 · count(days −96..−7) · 7/90;
never streamed in those 90 days counts as infinitely more). Judged only once the user's history
covers those 90 days. Qualifying days at most 7 days apart form one episode, reported once, on
its first day, with that day's numbers.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.model.keys import derived_id
from etl.sqlrun import run

MIN_STREAMS, RATIO, RECENT_DAYS, BASELINE_DAYS, EPISODE_GAP_DAYS = 5, 3, 7, 90, 7
_GROUP_SPAN = 1_000_000  # days; keeps one subject's day numbers apart from the next one's

_DAYS = """
select 'artist' as subject_type, artist_id as subject_id,
    local_date - date '1970-01-01' as day, count(*) filter (where is_stream) as n,
    coalesce(sum(ms_played) filter (where is_stream), 0) as ms
from plays where artist_id is not null group by artist_id, local_date
union all
select 'track', track_id, local_date - date '1970-01-01', count(*) filter (where is_stream),
    coalesce(sum(ms_played) filter (where is_stream), 0)
from plays where track_id is not null group by track_id, local_date
order by subject_type, subject_id, day
"""


def _window_sum(cum: np.ndarray, key: np.ndarray, back_from: int, back_to: int) -> np.ndarray:
    """Per row: the sum over rows whose key lies in [key - back_from, key - back_to]."""
    lo = np.searchsorted(key, key - back_from, "left")
    hi = np.searchsorted(key, key - back_to, "right")
    return cum[hi] - cum[lo]


def _qualifying(days: pa.Table, first_day: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Row numbers of episode starts, and the 7-day / 90-day numbers of every row."""
    changed = np.zeros(max(days.num_rows - 1, 0), dtype=bool)
    for col in ("subject_type", "subject_id"):
        values = days[col]
        changed |= pc.not_equal(values.slice(1), values.slice(0, len(values) - 1)).to_numpy(False)
    group = np.concatenate([[0], np.cumsum(changed)])
    day = days["day"].to_numpy()
    key = group * _GROUP_SPAN + day
    n, ms = days["n"].to_numpy(), days["ms"].to_numpy()
    cum_n, cum_ms = np.concatenate([[0], np.cumsum(n)]), np.concatenate([[0], np.cumsum(ms)])
    stats = {
        "n7": _window_sum(cum_n, key, RECENT_DAYS - 1, 0),
        "ms7": _window_sum(cum_ms, key, RECENT_DAYS - 1, 0),
        "n90": _window_sum(cum_n, key, BASELINE_DAYS + RECENT_DAYS - 1, RECENT_DAYS),
    }
    ok = (stats["n7"] >= MIN_STREAMS) & (stats["n7"] * BASELINE_DAYS >= RATIO * RECENT_DAYS
                                         * stats["n90"])  # fmt: skip
    ok &= day - (BASELINE_DAYS + RECENT_DAYS - 1) >= first_day
    rows = np.flatnonzero(ok)
    starts = np.ones(len(rows), dtype=bool)  # a new episode: other subject or a long gap
    starts[1:] = (group[rows[1:]] != group[rows[:-1]]) | (
        day[rows[1:]] - day[rows[:-1]] > EPISODE_GAP_DAYS
    )
    return rows[starts], stats


def _streams(n: int) -> str:
    return f"{n} stream" + ("" if n == 1 else "s")


def _text(r: dict) -> str:
    who = r["subject_name"]
    if r["subject_type"] == "track":
        who = f"'{who}'" + (f" by {r['artist_name']}" if r["artist_name"] else "")
    head = f"{who}: {_streams(r['plays_7d'])} in the 7 days to {r['local_date']:%Y-%m-%d}"
    if r["n90"] == 0:
        return head + ", none in the 90 days before"
    before = _streams(r["n90"])
    return f"{head}, {r['rate_ratio']:.1f}× its usual rate ({before} in the 90 days before)"


def _names(dims: dict[str, pa.Table]) -> dict[tuple[str, str], tuple[str, str | None]]:
    out = {("artist", a): (a_name, a_name) for a, a_name in zip(
        dims["dim_artists"]["artist_id"].to_pylist(),
        dims["dim_artists"]["artist_name"].to_pylist(), strict=True)}  # fmt: skip
    t = dims["dim_tracks"].select(["track_id", "track_name", "artist_name"]).to_pylist()
    out.update({("track", r["track_id"]): (r["track_name"], r["artist_name"]) for r in t})
    return out


def obsession_anomalies(plays: pa.Table, dims: dict[str, pa.Table], user: str) -> list[dict]:
    """One ``new_obsession`` anomaly row per subject and episode."""
    if plays.num_rows == 0:
        return []
    days = run(_DAYS, plays=plays)
    first_day = days["day"].to_numpy().min()
    starts, stats = _qualifying(days, int(first_day))
    names, rows = _names(dims), []
    for i in starts.tolist():
        kind, sid = days["subject_type"][i].as_py(), days["subject_id"][i].as_py()
        n7, n90 = int(stats["n7"][i]), int(stats["n90"][i])
        local_date = np.datetime64(int(days["day"][i].as_py()), "D").item()
        expected = n90 * RECENT_DAYS / BASELINE_DAYS
        r = {
            "user_id": user, "local_date": local_date, "kind": "new_obsession",
            "anomaly_id": derived_id("anomaly", "new_obsession", local_date, sid),
            "subject_type": kind, "subject_id": sid, "subject_name": names[(kind, sid)][0],
            "artist_name": names[(kind, sid)][1], "minutes_played": int(stats["ms7"][i]) / 60000,
            "plays_7d": n7, "n90": n90, "rate_ratio": n7 / expected if expected else None,
        }  # fmt: skip
        rows.append({**r, "explanation": _text(r)})
    return rows
