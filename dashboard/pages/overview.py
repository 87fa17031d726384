"""Overview: the headline numbers, a Wrapped-style card and the top 5s for the period."""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from dashboard import components as c
from dashboard import figures, queries
from dashboard.filters import Filters, describe
from dashboard.state import current_filters, is_lifetime
from etl.kpis import KPIS

dash.register_page(__name__, path="/", name="Overview", title="Overview · Spotify Lake", order=0)

ALBUMS = ("Distinct albums", "Different albums streamed (≥ 30 s).")
TOPS = (("artist", "Top artists", False), ("track", "Top tracks", True),
        ("album", "Top albums", True), ("show", "Top shows", False))  # fmt: skip


def layout(**query: str) -> html.Div:
    return c.page(
        "overview", query, "Overview",
        dcc.Loading(html.Div(id="overview-kpis", className="kpis"), delay_show=300),
        html.Div([html.Div(id="overview-wrapped-slot", className="contents"),
                  html.Div(id="overview-body",
                                                                  className="contents")],
                 className="grid"),
    )  # fmt: skip


def fmt(kpi_id: str, value: float) -> str:
    if kpi_id == "skip_rate":
        return f"{value:.1%}"
    if kpi_id == "avg_minutes_per_active_day":
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def delta(now: float, before: float) -> str:
    if not before:
        return "no data a year earlier"
    change = (now - before) / before
    return f"{'▲' if change >= 0 else '▼'} {abs(change):.0%} vs a year earlier"


def previous_kpis(f: Filters) -> dict[str, float]:
    """The KPIs a year earlier; known zeros (no query) when that is before the first play."""
    first = queries.date_bounds(f.user)[0]
    if f.previous_year().end < first:
        return dict.fromkeys(queries.KPI_IDS, 0.0)
    return queries.kpis(f.previous_year())


def kpi_tiles(f: Filters) -> list[html.Div]:
    now, before = queries.kpis(f, is_lifetime(f)), previous_kpis(f)
    tiles = []
    for k in queries.KPI_IDS:
        title, hint = (KPIS[k].title, KPIS[k].description) if k in KPIS else ALBUMS
        tiles.append(c.kpi_tile(k, title, fmt(k, now[k]), delta(now[k], before[k]), hint))
    streak, streak_before = queries.longest_streak(f), queries.longest_streak(f.previous_year())
    tiles.append(c.kpi_tile("streak", "Longest streak", f"{streak} days",
                            delta(streak, streak_before), "Most consecutive days with a play."))
    return tiles


@callback(
    Output("overview-period", "children"), Output("overview-kpis", "children"),
    Output("overview-wrapped-slot", "children"), Input("overview-filters", "data"),
)  # fmt: skip
def update_kpis(query: dict | None):
    """Headline KPIs with year-over-year deltas, and the Wrapped card (same numbers)."""
    f = current_filters(query)
    if f is None:
        return "", c.empty_state(), None
    if not queries.active_days(f):
        return describe(f), c.empty_state(c.NO_PLAYS), None
    return describe(f), kpi_tiles(f), wrapped(f)


def wrapped(f: Filters) -> html.Section:
    """The period in one card: minutes, top artist, top track, streak."""
    lifetime = is_lifetime(f)
    k = queries.kpis(f, lifetime)
    artist = queries.top_items(f, "artist", 5, lifetime).head(1)
    track = queries.top_items(f, "track", 5, lifetime).head(1)
    lines = [html.Div(f"{k['minutes_listened']:,.0f}", className="wrapped-big"),
             html.Div("minutes listened", className="wrapped-sub")]  # fmt: skip
    if not artist.empty:
        lines += [html.Div("Top artist", className="wrapped-sub"),
                  html.Div(str(artist["item_name"].iloc[0]), className="wrapped-name",
                           id="overview-wrapped-artist")]  # fmt: skip
    if not track.empty:
        lines += [html.Div("Top track", className="wrapped-sub"),
                  html.Div(str(track["item_name"].iloc[0]), className="wrapped-name",
                           id="overview-wrapped-track")]  # fmt: skip
    lines.append(html.Div(f"{k['distinct_artists']:,.0f} artists · {k['streams']:,.0f} streams"
                          f" · {queries.longest_streak(f)}-day streak", className="wrapped-sub"))
    return html.Section([html.H2("Your period, wrapped"), *lines], className="card wrapped",
                        id="overview-wrapped")  # fmt: skip


@callback(Output("overview-body", "children"), Input("overview-filters", "data"))
def update_body(query: dict | None):
    """Top 5 lists and the music/podcast split."""
    f = current_filters(query)
    if f is None or not queries.active_days(f):
        return None
    tops, lifetime = [], is_lifetime(f)
    for item_type, title, with_artist in TOPS:
        rows = queries.top_items(f, item_type, 5, lifetime)
        if not rows.empty:
            tops.append(c.card(title, c.ranked_list(f"overview-top-{item_type}", rows,
                                                    with_artist)))  # fmt: skip
    split = queries.content_split(f)
    return [*tops, c.card("Content", c.graph("overview-split", figures.content_split(split)))]
