"""Anomalies: unusually high or low listening days, and "new obsessions".

High / low day: a day's minutes (all content) against the 28 days before it. robust z =
0.6745 · (x − median) / MAD; |z| > 3.5 flags the day. MAD is floored at 5 minutes: with
MAD = 0 (over half of the 28 days had the same minutes, typically none) a z would be infinite
for any change, and a light listener's 3-minute day is not news. So a day must differ from the
median by at least 26 minutes (3.5 · 5 / 0.6745) to count. Days with fewer than 28 days of
history before them are not judged.

New obsessions: see ``etl.model.obsessions``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.lib.stride_tricks import sliding_window_view

from etl.curated_schemas import CURATED
from etl.model import listening
from etl.model.keys import derived_id
from etl.model.obsessions import obsession_anomalies
from etl.sqlrun import run

WINDOW_DAYS, Z_LIMIT, MAD_K, MIN_MAD_MINUTES = 28, 3.5, 0.6745, 5.0


def robust_z(minutes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(baseline median, robust z) for days WINDOW_DAYS.. of a zero-filled daily series."""
    if len(minutes) <= WINDOW_DAYS:
        return np.empty(0), np.empty(0)
    windows = sliding_window_view(minutes[:-1], WINDOW_DAYS)
    med = np.median(windows, axis=1)
    mad = np.median(np.abs(windows - med[:, None]), axis=1)
    return med, MAD_K * (minutes[WINDOW_DAYS:] - med) / np.maximum(mad, MIN_MAD_MINUTES)


_DAY_TOTALS = """
select local_date, cast(sum(ms_played) as bigint) as ms_played from daily_listening
group by local_date order by local_date
"""

_DRIVERS = """
select local_date, item_type, item_name, artist_name, ms_played from daily_item_listening
where item_type in ('artist', 'show', 'track')
    and list_contains(cast($days as date[]), local_date)
qualify row_number() over (partition by local_date, item_type = 'track'
    order by ms_played desc, item_id) = 1
"""


def _explain(minutes: float, usual: float, z: float, drivers: dict) -> str:
    """ "412 min vs a usual 60 min (robust z +8.1): mostly X (300 min, 73% of the day), …"."""
    head = f"{minutes:.0f} min vs a usual {usual:.0f} min (robust z {z:+.1f})"
    who = drivers.get("who")
    if minutes == 0 or who is None:
        return head + (": no listening at all" if minutes == 0 else "")
    share = who["ms_played"] / (minutes * 60000)
    text = (
        f"{head}: {'mostly' if share >= 0.5 else 'led by'} {who['item_name']} "
        f"({who['ms_played'] / 60000:.0f} min, {share:.0%} of the day)"
    )
    track = drivers.get("track")
    return text + (f", top track '{track['item_name']}'" if track else "")


def day_anomalies(
    daily: pa.Table, items_on: Callable[[list[dt.date]], pa.Table], user: str
) -> list[dict]:
    """High and low days of the zero-filled ``daily`` listening; ``items_on(days)`` gives
    those days' ``daily_item_listening`` rows, to name what drove each one."""
    totals = run(_DAY_TOTALS, daily_listening=daily)
    minutes = np.array(totals["ms_played"].to_pylist(), dtype=np.float64) / 60000
    med, z = robust_z(minutes)
    dates = totals["local_date"].to_pylist()[WINDOW_DAYS:]
    hits = [i for i in range(len(z)) if abs(z[i]) > Z_LIMIT]
    days = [dates[i] for i in hits]
    found: dict[dt.date, dict] = {d: {} for d in days}
    drivers = run(_DRIVERS, {"days": days}, daily_item_listening=items_on(days)) if days else None
    for r in drivers.to_pylist() if drivers else []:
        found[r["local_date"]]["track" if r["item_type"] == "track" else "who"] = r
    rows = []
    for i in hits:
        day, kind = dates[i], "high_day" if z[i] > 0 else "low_day"
        x = float(minutes[WINDOW_DAYS + i])
        rows.append({
            "user_id": user, "anomaly_id": derived_id("anomaly", kind, day), "local_date": day,
            "kind": kind, "subject_type": "day", "minutes_played": x,
            "baseline_minutes": float(med[i]), "robust_z": float(z[i]),
            "explanation": _explain(x, float(med[i]), float(z[i]), found[day]),
        })  # fmt: skip
    return rows


def build_anomalies(
    plays: pa.Table, dims: dict[str, pa.Table], daily: pa.Table, user: str
) -> pa.Table:
    """High / low days and new obsessions, one row each, ordered by day."""

    def items_on(days: list[dt.date]) -> pa.Table:
        those = plays.filter(pc.is_in(plays["local_date"], pa.array(days, pa.date32())))
        return listening.item_days(those, dims, user)

    rows = day_anomalies(daily, items_on, user) + obsession_anomalies(plays, dims, user)
    rows.sort(key=lambda r: (r["local_date"], r["kind"], r.get("subject_id") or ""))
    return pa.Table.from_pylist(rows, schema=CURATED["anomalies"])
