"""Anomalies: unusual listening days and new obsessions, each with its one-line explanation."""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from dashboard import components as c
from dashboard import figures, queries
from dashboard.filters import describe, replace_content
from dashboard.state import current_filters

dash.register_page(
    __name__, path="/anomalies", name="Anomalies", title="Anomalies · Spotify Lake", order=3
)

NOTE = ("A day is unusual when its minutes are more than 3.5 robust z-scores away from the "
        "rolling 28-day median; an obsession is an artist or track at 3× its 90-day rate "
        "with 5+ plays in 7 days.")  # fmt: skip


def layout(**query: str) -> html.Div:
    return c.page(
        "anomalies", query, "Anomalies", html.P(NOTE, className="note"),
        dcc.Loading(html.Div(id="anomalies-body", className="grid"), delay_show=300),
    )  # fmt: skip


def _table(table_id: str, df) -> object:
    df = df.assign(date=df["local_date"].astype(str).str[:10],
                   minutes=df["minutes_played"].round(1))  # fmt: skip
    return c.table(table_id, df, (("date", "Date"), ("kind", "Kind"),
                                  ("subject_name", "What"), ("minutes", "Minutes"),
                                  ("explanation", "Why")), sort_action="native")  # fmt: skip


def _obsessions(found, f) -> html.Section:
    if found.empty:
        return c.card("New obsessions", c.empty_state("No new obsession in this period."),
                      class_name="wide")  # fmt: skip
    timeline = figures.obsession_timeline(found, f.start, f.end)
    return c.card("New obsessions", c.graph("anomalies-obsessions", timeline),
                  _table("anomalies-obsession-table", found), class_name="wide")  # fmt: skip


@callback(
    Output("anomalies-period", "children"), Output("anomalies-body", "children"),
    Input("anomalies-filters", "data"),
)  # fmt: skip
def update(query: dict | None):
    """Daily minutes with unusual days marked, their table, and the obsession timeline."""
    f = current_filters(query)
    if f is None:
        return "", c.empty_state()
    every = replace_content(f, "all")  # day anomalies are computed on all listening
    daily, days = queries.daily_minutes(every), queries.day_anomalies(f)
    if not daily["plays"].sum():
        return describe(f), c.empty_state(c.NO_PLAYS)
    chart = c.graph("anomalies-chart", figures.anomalies(daily, days))
    explained = (_table("anomalies-table", days) if not days.empty
                 else c.empty_state("No unusual days in this period."))  # fmt: skip
    cards = [c.card("Unusual days", chart, class_name="wide"),
             c.card("Unusual days, explained", explained, class_name="wide"),
             _obsessions(queries.obsessions(f), f)]  # fmt: skip
    return describe(f), cards
