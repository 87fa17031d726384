"""Data health: exports ingested, rows per table, rejects with reasons, last load, checks."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, callback, dcc, html

from dashboard import components as c
from dashboard import queries
from dashboard.state import current_filters

dash.register_page(
    __name__, path="/health", name="Data health", title="Data health · Spotify Lake", order=7
)

EXPORT_COLUMNS = (
    ("received", "Received"), ("source_name", "Source"), ("export_id", "Export"),
    ("families", "Families"), ("records_read", "Records read"), ("rows_clean", "Clean rows"),
    ("duplicates", "Duplicates"), ("rejects", "Rejects"),
)  # fmt: skip


def layout(**query: str) -> html.Div:
    return c.page("health", query, "Data health",
                  dcc.Loading(html.Div(id="health-body", className="stack"), delay_show=300))


def checks(user: str) -> pd.DataFrame:
    """Cross-table agreements a consistent load must satisfy."""
    n = queries.consistency(user)
    rows = [
        ("Exports ingested", n["exports"] > 0, f"{n['exports']} export(s)"),
        ("Daily totals match plays", n["daily_plays"] == n["fact_plays"],
         f"{n['daily_plays']:,} vs {n['fact_plays']:,} plays"),
        ("Hourly totals match plays", n["hourly_plays"] == n["fact_plays"],
         f"{n['hourly_plays']:,} vs {n['fact_plays']:,} plays"),
        ("Every play is in a session", n["session_plays"] == n["fact_plays"],
         f"{n['session_plays']:,} vs {n['fact_plays']:,} plays"),
        ("Warehouse holds every curated play", n["warehouse_plays"] == n["fact_plays"],
         f"{n['warehouse_plays']:,} in the warehouse vs {n['fact_plays']:,} loaded"),
    ]  # fmt: skip
    return pd.DataFrame(
        [(name, "pass" if ok else "FAIL", detail) for name, ok, detail in rows],
        columns=["check", "status", "detail"],
    )


def last_load_text(user: str) -> str:
    load = queries.last_load(user)
    if load is None:
        return "Last load: not recorded by this warehouse."
    at = pd.Timestamp(load["loaded_at"])
    return (f"Last load: {at:%Y-%m-%d %H:%M:%S} UTC (load #{load['load_number']}, "
            f"{load['fact_rows']:,} plays, {load['engine']}, {load['seconds']:.1f} s)")


@callback(
    Output("health-period", "children"), Output("health-body", "children"),
    Input("health-filters", "data"),
)  # fmt: skip
def update(query: dict | None):
    """Everything about the user's data, whatever the period."""
    f = current_filters(query)
    if f is None:
        return "", c.empty_state()
    exports = queries.exports(f.user)
    exports["received"] = exports["received_at"].astype(str).str[:19]
    rejects = queries.rejects(f.user)
    return f"{f.user} · all data", [
        html.P(last_load_text(f.user), id="health-last-load", className="note"),
        c.card("Exports", c.table("health-exports", exports, EXPORT_COLUMNS)),
        c.card("Checks", c.table("health-checks", checks(f.user), (
            ("check", "Check"), ("status", "Status"), ("detail", "Detail")))),
        c.card("Rows per table", c.table("health-rows", queries.table_rows(f.user), (
            ("table_name", "Table"), ("row_count", "Rows")))),
        c.card("Rejected records", c.table("health-rejects", rejects, (
            ("export_id", "Export"), ("member", "File"), ("reason", "Reason"),
            ("record_count", "Records"))) if not rejects.empty
            else c.empty_state("No record was rejected.")),
    ]  # fmt: skip
