"""Habits: when you listen (local time), your sessions, and what makes you skip."""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from dashboard import components as c
from dashboard import figures, queries
from dashboard.filters import describe
from dashboard.state import current_filters

dash.register_page(__name__, path="/habits", name="Habits", title="Habits · Spotify Lake", order=2)

SKIP_DIMENSIONS = (("platform", "Skip rate by platform"), ("shuffle", "Skip rate by shuffle"),
                   ("reason_start", "Skip rate by how the play started"))  # fmt: skip


def layout(**query: str) -> html.Div:
    return c.page(
        "habits", query, "Habits",
        dcc.Loading(html.Div(id="habits-when", className="grid"), delay_show=300),
        dcc.Loading(html.Div(id="habits-sessions", className="grid"), delay_show=300),
    )  # fmt: skip


@callback(
    Output("habits-period", "children"), Output("habits-when", "children"),
    Input("habits-filters", "data"),
)  # fmt: skip
def update_when(query: dict | None):
    """Hour × weekday heatmap and skip rates by hour, platform, shuffle and start reason."""
    f = current_filters(query)
    if f is None:
        return "", c.empty_state()
    if not queries.active_days(f):
        return describe(f), c.empty_state(c.NO_PLAYS)
    by = queries.skip_by(f)
    cards = [
        c.card("Hour × weekday", c.graph("habits-heatmap",
               figures.heatmap(queries.hour_weekday(f))), class_name="wide"),
        c.card("Skips by hour", c.graph("habits-skip-hour", figures.skip_rates(
            queries.skip_by_hour(f), "local_hour", "Skip rate by local hour"))),
    ]  # fmt: skip
    for dim, title in SKIP_DIMENSIONS:
        cards.append(c.card(title, c.graph(f"habits-skip-{dim}", figures.skip_rates(
            by[by["dimension"] == dim], "value", title))))  # fmt: skip
    return describe(f), cards


@callback(Output("habits-sessions", "children"), Input("habits-filters", "data"))
def update_sessions(query: dict | None):
    """Session count, length distribution and the longest sessions (all content types)."""
    f = current_filters(query)
    if f is None or not queries.active_days(f):
        return None
    s = queries.session_summary(f)
    summary = html.Div([
        html.Div([html.Div("Sessions", className="kpi-label"),
                  html.Div(f"{s['sessions']:,.0f}", className="kpi-value",
                           id="habits-session-count")], className="kpi"),
        html.Div([html.Div("Average length", className="kpi-label"),
                  html.Div(f"{s['avg_minutes']:,.0f} min", className="kpi-value")],
                 className="kpi"),
        html.Div([html.Div("Longest", className="kpi-label"),
                  html.Div(f"{s['max_minutes']:,.0f} min", className="kpi-value")],
                 className="kpi"),
    ], className="kpis")  # fmt: skip
    longest = queries.longest_sessions(f, 5)
    longest["started"] = longest["started_at_local"].astype(str).str[:16]
    longest["minutes"] = longest["duration_minutes"].round(0)
    return [
        c.card("Sessions", summary, html.P("A session ends after 30 minutes without a play.",
                                           className="note"), class_name="wide"),
        c.card("Session length", c.graph("habits-session-lengths", figures.bars(
            queries.session_lengths(f), "bucket", "sessions", "Sessions by length"))),
        c.card("Longest sessions", c.table("habits-longest", longest, (
            ("started", "Started (local)"), ("minutes", "Minutes"), ("plays", "Plays"),
            ("top_artist_name", "Mostly")))),
    ]  # fmt: skip
