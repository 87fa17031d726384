"""Reusable pieces of the layout: header, filter bar, cards, tables, empty states.

Everything from the data is passed as plain component children or DataTable cells, so it is
rendered as text: no Markdown, no raw HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
import pandas as pd
from dash import dash_table, dcc, html

from dashboard.filters import CONTENT_OPTIONS

NAV = (
    ("overview", "Overview", "/"), ("trends", "Trends", "/trends"),
    ("habits", "Habits", "/habits"), ("anomalies", "Anomalies", "/anomalies"),
    ("playlists", "Playlists", "/playlists"), ("explore", "Explore", "/explore"),
    ("health", "Data health", "/health"),
)  # fmt: skip
INGEST_HINT = "spotify-lake ingest <your export.zip>"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def header() -> html.Header:
    links = [dcc.Link(label, href=path, id=f"nav-{name}", className="nav-link")
             for name, label, path in NAV]  # fmt: skip
    return html.Header(
        [html.Div("Spotify Lake", className="brand"), html.Nav(links, className="nav")],
        className="header",
    )


def filter_bar() -> html.Div:
    """The global filters; their values live in the URL query string."""
    return html.Div(
        [
            _labelled("User", dcc.Dropdown(id="filters-user", clearable=False, searchable=False)),
            _labelled(
                "Period",
                dcc.Dropdown(id="filters-period", clearable=False, searchable=False),
            ),
            _labelled(
                "Dates",
                dcc.DatePickerRange(id="filters-range", display_format="YYYY-MM-DD",
                                    first_day_of_week=1, updatemode="bothdates"),  # fmt: skip
            ),
            _labelled(
                "Content",
                dcc.RadioItems(id="filters-content", value="all", inline=True,
                               options=[{"value": v, "label": lbl}
                                        for v, lbl in CONTENT_OPTIONS]),  # fmt: skip
            ),
        ],
        className="filter-bar",
        id="filters",
    )


def _labelled(label: str, control: Any) -> html.Div:
    # a Div, not a Label: a label around a radio group would make the whole group one target
    return html.Div([html.Span(label, className="filter-label"), control], className="filter")


def page(name: str, query: dict[str, Any], title: str, *children: Any) -> html.Div:
    """A page: its title, the URL's filters in a store its callbacks read, then its body."""
    return html.Div(
        [
            # a repeated query key arrives as a list: the last one wins, as in parse_search
            dcc.Store(id=f"{name}-filters",
                      data={k: v[-1] if isinstance(v, list) else v for k, v in query.items()}),
            html.H1(title, className="page-title"),
            html.Div(id=f"{name}-period", className="page-period"),
            *children,
        ],
        className="page",
        id=f"{name}-page",
    )


def empty_state(message: str | None = None) -> html.Div:
    """What to do when there is nothing to show."""
    if message:
        return html.Div(html.P(message), className="empty-state")
    return html.Div(
        [
            html.P("No data yet — run ", className="empty-inline"),
            html.Code(INGEST_HINT),
            html.P(" then reload this page.", className="empty-inline"),
        ],
        className="empty-state",
    )


NO_PLAYS = "No plays in this period — pick a longer period or “All time”."


def card(title: str, *children: Any, class_name: str = "") -> html.Section:
    return html.Section([html.H2(title), *children], className=f"card {class_name}".strip())


def kpi_tile(kpi_id: str, label: str, value: str, delta: str | None, hint: str) -> html.Div:
    parts = [html.Div(label, className="kpi-label"),
             html.Div(value, className="kpi-value", id=f"overview-kpi-{kpi_id}")]  # fmt: skip
    if delta is not None:
        parts.append(html.Div(delta, className="kpi-delta"))
    return html.Div(parts, className="kpi", title=hint)


def graph(graph_id: str, figure: Any) -> dcc.Graph:
    return dcc.Graph(
        id=graph_id, figure=figure, className="graph",
        config={"displaylogo": False},
    )  # fmt: skip


def table(
    table_id: str, df: pd.DataFrame, columns: Sequence[tuple[str, str]], **kwargs: Any
) -> dash_table.DataTable:
    """A DataTable of ``df`` with ``(column, header)`` pairs; cells are plain text."""
    return dash_table.DataTable(
        id=table_id,
        columns=[{"id": c, "name": h} for c, h in columns],
        data=df[[c for c, _ in columns]].to_dict("records"),
        style_table={"overflowX": "auto"},
        style_cell={"textAlign": "left", "whiteSpace": "normal", "height": "auto",
                    "fontFamily": FONT, "padding": "4px 8px"},  # fmt: skip
        style_header={"fontWeight": "600"},
        **kwargs,
    )


def ranked_list(list_id: str, rows: pd.DataFrame, with_artist: bool) -> html.Ol:
    """Top items as an ordered list: name, artist, minutes."""
    items = []
    for row in rows.itertuples():
        parts = [html.Span(str(row.item_name), className="item-name")]
        if with_artist and isinstance(row.artist_name, str):
            parts.append(html.Span(f" — {row.artist_name}", className="item-artist"))
        parts.append(html.Span(f" · {row.minutes_played:,.0f} min", className="item-minutes"))
        items.append(html.Li(parts))
    return html.Ol(items, id=list_id, className="ranked")


def nav_hrefs(search: str) -> list[str]:
    """Nav link targets that keep the current filters."""
    return [dash.get_relative_path(path) + (search or "") for _, _, path in NAV]
