"""Quality checks on one user's curated tables; run after every build, before any load.

Not-null and unique keys, relationships fact → dims, accepted values, and reconciliation: the
plays and their total ``ms_played`` agree across clean streams, ``fact_streams`` and every
aggregate that sums them. The contracts themselves live in ``etl.model.contracts``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from etl.curated_schemas import CURATED, PER_USER_TABLES
from etl.model.contracts import ACCEPTED, KEYS, NOT_NULL, RELATIONSHIPS
from etl.paths import Lake

SAMPLES = 3


class QualityCheckError(Exception):
    """A quality check failed; the message names each check and what it found."""


@dataclass(frozen=True)
class CheckResult:
    check: str  # not_null | unique | relationships | accepted_values | reconciliation | exists
    target: str  # e.g. "fact_streams.track_id -> dim_tracks.track_id"
    passed: bool
    message: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.check, "target": self.target, "message": self.message}


@dataclass
class CheckReport:
    scope: str  # "user 'alice'" or where a reconciliation ran
    results: list[CheckResult] = field(default_factory=list)

    @property
    def failures(self) -> list[CheckResult]:
        return [r for r in self.results if not r.passed]

    @property
    def passed(self) -> bool:
        return not self.failures

    def raise_for_failures(self) -> CheckReport:
        """Raise :class:`QualityCheckError` naming every failed check; else return ``self``."""
        if self.failures:
            lines = [f"{r.check} {r.target}: {r.message}" for r in self.failures]
            raise QualityCheckError(
                f"{len(self.failures)} of {len(self.results)} quality checks failed for "
                f"{self.scope}:\n  " + "\n  ".join(lines)
            )
        return self

    def as_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "checks": len(self.results),
            "passed": len(self.results) - len(self.failures),
            "failed": len(self.failures),
            "failures": [r.as_dict() for r in self.failures],
        }


def _samples(rows: list[tuple]) -> str:
    shown = ", ".join(repr(r[0] if len(r) == 1 else r) for r in rows[:SAMPLES])
    return f" (e.g. {shown})" if shown else ""


class _Checker:
    """Runs checks as SQL over the user's curated Parquet files (lazily scanned)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, report: CheckReport) -> None:
        self.con, self.report = con, report

    def count_and_samples(self, sql: str, params: list | None = None) -> tuple[int, list]:
        """How many rows ``sql`` returns, and the first few (never all of them)."""
        rows = self.con.execute(
            f"select *, count(*) over () as n_rows__ from ({sql}) order by all limit {SAMPLES}",
            params or [],
        ).fetchall()
        return (rows[0][-1] if rows else 0), [r[:-1] for r in rows]

    def add(self, check: str, target: str, bad: int, rows: list, what: str) -> None:
        message = f"{bad} {what}{_samples(rows)}" if bad else ""
        self.report.results.append(CheckResult(check, target, bad == 0, message))

    def not_null(self, table: str, col: str) -> None:
        bad = self.con.execute(f'select count(*) from "{table}" where "{col}" is null').fetchone()
        self.add("not_null", f"{table}.{col}", bad[0], [], "null value(s)")

    def unique(self, table: str, cols: tuple[str, ...]) -> None:
        key = ", ".join(f'"{c}"' for c in cols)
        n, rows = self.count_and_samples(
            f'select {key} from "{table}" group by {key} having count(*) > 1'
        )
        self.add("unique", f"{table}({', '.join(cols)})", n, rows, "duplicated key(s)")

    def relationship(self, child, ccols, parent, pcols, where) -> None:
        on = " and ".join(f'c."{a}" = p."{b}"' for a, b in zip(ccols, pcols, strict=True))
        present = " and ".join(f'c."{a}" is not null' for a in ccols)
        key = ", ".join(f'c."{a}"' for a in ccols)
        sql = (
            f'select distinct {key} from "{child}" c anti join "{parent}" p on {on} '
            f"where {present} {'and ' + where if where else ''}"
        )
        n, rows = self.count_and_samples(sql)
        target = f"{child}.{'+'.join(ccols)} -> {parent}.{'+'.join(pcols)}"
        if where:
            target += f" where {where}"
        self.add("relationships", target, n, rows, f"key(s) missing in {parent}")

    def accepted(self, table: str, col: str, values: tuple) -> None:
        sql = (
            f'select distinct "{col}" from "{table}" where "{col}" is not null '
            f'and not list_contains(?, "{col}")'
        )
        n, rows = self.count_and_samples(sql, [list(values)])
        self.add("accepted_values", f"{table}.{col}", n, rows, "value(s) not accepted")


def _open(lake: Lake, user: str, report: CheckReport) -> duckdb.DuckDBPyConnection | None:
    missing = [t for t in CURATED if not lake.curated_file(t, user).exists()]
    for table in missing:
        report.results.append(
            CheckResult("exists", table, False, f"{lake.curated_file(table, user)} is missing: "
                        "run `spotify-lake rebuild` (or the publish step) to curate again")
        )  # fmt: skip
    if missing:
        return None
    con = duckdb.connect(":memory:", config={"threads": 2})
    for table in CURATED:
        con.register(table, ds.dataset(lake.curated_file(table, user), format="parquet"))
    return con


def _compare(report: CheckReport, target: str, expected: dict, actual: dict) -> None:
    """One reconciliation result per key of ``expected``."""
    for key in sorted(expected):
        want, got = expected[key], actual.get(key)
        report.results.append(
            CheckResult(
                "reconciliation", f"{target} {key}".strip(), want == got,
                "" if want == got else f"expected {want!r}, found {got!r}",
            )
        )  # fmt: skip


def reconcile(
    expected: dict[str, Any], actual: dict[str, Any], where: str, *, raise_on_failure: bool = True
) -> CheckReport:
    """Compare totals (e.g. curated vs warehouse row counts and ``ms_played``), key by key.

    Every key of ``expected`` must be in ``actual`` with an equal value. Raises
    :class:`QualityCheckError` naming the differing keys unless ``raise_on_failure`` is false.
    """
    report = CheckReport(where)
    _compare(report, "", expected, actual)
    return report.raise_for_failures() if raise_on_failure else report


def curated_totals(lake: Lake, user: str) -> dict[str, int]:
    """Rows of every per-user curated table plus ``fact_streams.ms_played``: what a warehouse
    load of ``user`` must hold (feed it to :func:`reconcile`)."""
    totals = {t: pq.read_metadata(lake.curated_file(t, user)).num_rows for t in PER_USER_TABLES}
    ms = pq.read_table(lake.curated_file("fact_streams", user), columns=["ms_played"])
    totals["fact_streams.ms_played"] = int(ms["ms_played"].to_numpy().sum()) if len(ms) else 0
    return totals


_SUMS = {
    "fact_streams": "select count(*), coalesce(sum(ms_played), 0) from fact_streams",
    "daily_listening": "select coalesce(sum(plays), 0), coalesce(sum(ms_played), 0) "
    "from daily_listening",
    "hourly_listening": "select coalesce(sum(plays), 0), coalesce(sum(ms_played), 0) "
    "from hourly_listening",
    "sessions": "select coalesce(sum(plays), 0), coalesce(sum(ms_played), 0) from sessions",
}


def _reconciliation(chk: _Checker, lake: Lake, user: str) -> None:
    path = lake.clean_file("streams", user)
    clean = {"plays": 0, "ms_played": 0}
    if path.exists():
        chk.con.register("clean_streams", ds.dataset(path, format="parquet"))
        n, ms = chk.con.execute(
            "select count(*), coalesce(sum(ms_played), 0) from clean_streams"
        ).fetchone()
        clean = {"plays": int(n), "ms_played": int(ms)}
    for table, sql in _SUMS.items():
        n, ms = chk.con.execute(sql).fetchone()
        _compare(chk.report, f"clean streams vs {table}", clean,
                 {"plays": int(n), "ms_played": int(ms)})  # fmt: skip
    n_stats, n_recs = chk.con.execute(
        "select (select count(*) from playlist_track_stats where is_removal_candidate), "
        "(select count(*) from playlist_recommendations)"
    ).fetchone()
    _compare(chk.report, "removal candidates vs playlist_recommendations",
             {"rows": n_stats}, {"rows": n_recs})  # fmt: skip


def _user_scope(chk: _Checker, user: str) -> None:
    for table in PER_USER_TABLES:
        n, rows = chk.count_and_samples(
            f'select distinct user_id from "{table}" where user_id is distinct from ?', [user]
        )
        chk.add("accepted_values", f"{table}.user_id", n, rows, f"user id(s) other than {user!r}")


def check_curated(lake: Lake, user: str) -> CheckReport:
    """Run every check on ``user``'s curated tables; never raises for a failed check."""
    report = CheckReport(f"user {user!r}")
    con = _open(lake, user, report)
    if con is None:
        return report
    chk = _Checker(con, report)
    try:
        for table, key in KEYS.items():
            for col in (*key, *NOT_NULL.get(table, ())):
                chk.not_null(table, col)
            chk.unique(table, key)
        for rel in RELATIONSHIPS:
            chk.relationship(*rel)
        for (table, col), values in ACCEPTED.items():
            chk.accepted(table, col, values)
        _user_scope(chk, user)
        _reconciliation(chk, lake, user)
    finally:
        con.close()
    return report
