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

MIN_STREAMS, RATIO, RECENT_DAYS, BASELINE_DAYS, EPISODE_GAP_DAYS = 5, 3, 7, 90, 7
_GROUP_SPAN = 1_000_000  # days; keeps one subject's day numbers apart from the next one's


def _subject_days(plays: pa.Table) -> dict:
    """Per subject and day it was played: streams ``n`` and their ``ms``, ordered by
    (subject type, subject id, day); ``group`` numbers the subjects in that order and
    ``subjects[group]`` is its (type, id). Integer codes, so no string is sorted per play."""
    day = pc.cast(plays["local_date"], pa.int32()).to_numpy(zero_copy_only=False)
    stream = pc.fill_null(plays["is_stream"], False).to_numpy(zero_copy_only=False)
    ms = np.where(stream, pc.fill_null(plays["ms_played"], 0).to_numpy(zero_copy_only=False), 0)
    keys, rows, subjects = [], [], []
    for kind, col in (("artist", "artist_id"), ("track", "track_id")):
        codes = pc.dictionary_encode(plays[col].combine_chunks())
        by_name = pc.sort_indices(codes.dictionary).to_numpy()
        rank = np.empty(len(by_name), dtype=np.int64)
        rank[by_name] = np.arange(len(subjects), len(subjects) + len(by_name))
        idx = pc.fill_null(codes.indices, -1).to_numpy(zero_copy_only=False)
        rows.append(np.flatnonzero(idx >= 0))
        keys.append(rank[idx[rows[-1]]] * _GROUP_SPAN + day[rows[-1]])
        subjects += [(kind, v) for v in codes.dictionary.take(by_name).to_pylist()]
    key, row = np.concatenate(keys), np.concatenate(rows)
    order = np.argsort(key, kind="stable")
    key, row = key[order], row[order]
    firsts = np.flatnonzero(np.diff(key, prepend=-1))  # first row of each (subject, day)
    sums = {"n": stream[row].astype(np.int64), "ms": ms[row].astype(np.int64)}
    return {
        "group": key[firsts] // _GROUP_SPAN, "day": key[firsts] % _GROUP_SPAN,
        **{k: np.add.reduceat(v, firsts) if len(v) else v for k, v in sums.items()},
        "subjects": subjects,
    }  # fmt: skip


def _window_sum(cum: np.ndarray, key: np.ndarray, back_from: int, back_to: int) -> np.ndarray:
    """Per row: the sum over rows whose key lies in [key - back_from, key - back_to]."""
    lo = np.searchsorted(key, key - back_from, "left")
    hi = np.searchsorted(key, key - back_to, "right")
    return cum[hi] - cum[lo]


def _qualifying(days: dict[str, np.ndarray], first_day: int) -> tuple[np.ndarray, dict]:
    """Row numbers of episode starts, and the 7-day / 90-day numbers of every row."""
    group, day = days["group"], days["day"]
    key = group * _GROUP_SPAN + day
    n, ms = days["n"], days["ms"]
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
    days = _subject_days(plays)
    if len(days["day"]) == 0:  # plays, but none of music
        return []
    starts, stats = _qualifying(days, int(days["day"].min()))
    names, rows = _names(dims), []
    subjects = [days["subjects"][g] for g in days["group"][starts].tolist()]
    columns = [
        stats["n7"][starts].tolist(),
        stats["n90"][starts].tolist(),
        stats["ms7"][starts].tolist(),
        days["day"][starts].astype("datetime64[D]").tolist(),
    ]
    for (kind, sid), n7, n90, ms7, local_date in zip(subjects, *columns, strict=True):
        expected = n90 * RECENT_DAYS / BASELINE_DAYS
        r = {
            "user_id": user, "local_date": local_date, "kind": "new_obsession",
            "anomaly_id": derived_id("anomaly", "new_obsession", local_date, sid),
            "subject_type": kind, "subject_id": sid, "subject_name": names[(kind, sid)][0],
            "artist_name": names[(kind, sid)][1], "minutes_played": ms7 / 60000,
            "plays_7d": n7, "n90": n90, "rate_ratio": n7 / expected if expected else None,
        }  # fmt: skip
        rows.append({**r, "explanation": _text(r)})
    return rows
