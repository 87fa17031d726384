"""Explore: searchable, sortable tables of artists, tracks, albums and shows."""

from __future__ import annotations

import math
from urllib.parse import quote

import dash
from dash import Input, Output, State, callback, dash_table, dcc, html

from dashboard import components as c
from dashboard import queries
from dashboard.filters import describe, to_search
from dashboard.state import current_filters, is_lifetime

dash.register_page(
    __name__, path="/explore", name="Explore", title="Explore · Spotify Lake", order=5
)

TABS = (("artist", "Artists"), ("track", "Tracks"), ("album", "Albums"), ("show", "Shows"))
NAME = {"artist": "Artist", "track": "Track", "album": "Album", "show": "Show"}
STATS = (("plays", "Plays"), ("streams", "Streams"), ("skips", "Skips"),
         ("minutes_played", "Minutes"))  # fmt: skip


def columns(tab: str) -> list[dict]:
    cols = [("name", NAME.get(tab, "Name"))]
    if tab in ("track", "album"):
        cols.append(("artist_name", "Artist"))
    return [{"id": i, "name": n} for i, n in (*cols, *STATS)]


def layout(**query: str) -> html.Div:
    tab = query.get("tab") if query.get("tab") in NAME else "artist"
    return c.page(
        "explore", query, "Explore",
        dcc.Tabs(id="explore-tab", value=tab, className="tabs",
                 children=[dcc.Tab(label=lbl, value=v) for v, lbl in TABS]),
        html.Div([
            dcc.Input(id="explore-search", type="search", debounce=True,
                      placeholder="Search names…", className="search"),
            html.Span(id="explore-count", className="note"),
            dcc.Link(id="explore-artist-link", href="", className="button link"),
        ], className="toolbar"),
        dash_table.DataTable(
            id="explore-table", columns=columns(tab), data=[], page_action="custom",
            page_current=0, page_size=queries.PAGE_SIZE, sort_action="custom",
            sort_mode="single", sort_by=[], style_table={"overflowX": "auto"},
            style_cell={"textAlign": "left", "fontFamily": c.FONT, "padding": "4px 8px"},
        ),
    )  # fmt: skip


@callback(
    Output("explore-period", "children"), Output("explore-table", "data"),
    Output("explore-table", "columns"), Output("explore-table", "page_count"),
    Output("explore-count", "children"),
    Input("explore-filters", "data"), Input("explore-tab", "value"),
    Input("explore-search", "value"), Input("explore-table", "page_current"),
    Input("explore-table", "sort_by"),
)  # fmt: skip
def update_table(query, tab, search, page, sort_by):
    """One page of the selected table, filtered by the search box and sorted by a column."""
    f = current_filters(query)
    if f is None:
        return "", [], columns(tab), 0, "No data yet — run spotify-lake ingest <export.zip>"
    sort = (sort_by or [{}])[0]
    df = queries.item_table(
        f, tab, (search or "").strip(), sort.get("column_id", "minutes_played"),
        sort.get("direction", "desc") == "desc", int(page or 0), is_lifetime(f),
    )
    total = int(df["total"].iloc[0]) if not df.empty else 0
    if not queries.applies(tab, f.content):
        note = "Switch content to All to see this table."
    else:
        note = f"{total:,} {NAME[tab].lower()}s" + (" (lifetime totals)" if is_lifetime(f) else "")
    df["minutes_played"] = df["minutes_played"].astype(float).round(1)
    records = df.drop(columns="total").to_dict("records")
    return (describe(f), records, columns(tab),
            max(1, math.ceil(total / queries.PAGE_SIZE)), note)  # fmt: skip


@callback(
    Output("explore-artist-link", "children"), Output("explore-artist-link", "href"),
    Input("explore-table", "active_cell"), State("explore-table", "data"),
    State("explore-tab", "value"), State("explore-filters", "data"),
)  # fmt: skip
def artist_link(active_cell, rows, tab, query):
    """Clicking an artist row offers that artist's page (filters kept)."""
    if tab != "artist" or not active_cell or not rows or active_cell["row"] >= len(rows):
        return "Click an artist to open their page", dash.no_update
    row = rows[active_cell["row"]]
    keep = {k: v for k, v in (query or {}).items() if k in ("user", "period", "content",
                                                             "start", "end")}  # fmt: skip
    href = dash.get_relative_path(f"/artist/{quote(str(row['item_id']), safe='')}")
    return f"Open {row['name']} →", href + to_search(keep)
