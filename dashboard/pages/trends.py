"""Trends: minutes over time, top artists over time, discoveries, platforms and countries."""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from dashboard import components as c
from dashboard import figures, queries
from dashboard.filters import describe
from dashboard.state import current_filters

dash.register_page(__name__, path="/trends", name="Trends", title="Trends · Spotify Lake", order=1)

GRANULARITIES = (("day", "Day"), ("week", "Week"), ("month", "Month"))


def layout(**query: str) -> html.Div:
    return c.page(
        "trends", query, "Trends",
        dcc.RadioItems(id="trends-granularity", value=query.get("granularity", "week"),
                       inline=True, className="segmented",
                       options=[{"value": v, "label": lbl} for v, lbl in GRANULARITIES]),
        dcc.Loading(html.Div(id="trends-minutes"), delay_show=300),
        dcc.Loading(html.Div(id="trends-body", className="grid"), delay_show=300),
    )  # fmt: skip


@callback(
    Output("trends-period", "children"), Output("trends-minutes", "children"),
    Input("trends-filters", "data"), Input("trends-granularity", "value"),
)  # fmt: skip
def update_minutes(query: dict | None, granularity: str):
    """Minutes per day, week or month with a rolling mean."""
    f = current_filters(query)
    if f is None:
        return "", c.empty_state()
    daily = queries.daily_minutes(f)
    if daily.empty or not daily["plays"].sum():
        return describe(f), c.empty_state(c.NO_PLAYS)
    fig = figures.minutes_over_time(daily, granularity if granularity in dict(GRANULARITIES)
                                    else "week")  # fmt: skip
    return describe(f), c.graph("trends-minutes-graph", fig)


@callback(Output("trends-body", "children"), Input("trends-filters", "data"))
def update_body(query: dict | None):
    """Top artists over time, discoveries per month, platform and country breakdowns."""
    f = current_filters(query)
    if f is None or not queries.active_days(f):
        return None
    artists, found = queries.artist_months(f), queries.discoveries(f)
    music_only = "Artists are music: switch content to All or Music."
    return [
        c.card("Top artists", c.graph("trends-artists", figures.artist_area(artists)
               if not artists.empty else figures.empty(music_only))),
        c.card("Discoveries", c.graph("trends-discoveries", figures.discoveries(found)
               if not found.empty else figures.empty("Nothing new in this period."))),
        c.card("Platforms", c.graph("trends-platforms", figures.breakdown(
            queries.platforms(f), "platform", "Minutes per platform"))),
        c.card("Countries", c.graph("trends-countries", figures.breakdown(
            queries.countries(f), "country_code", "Minutes per country"))),
    ]  # fmt: skip
