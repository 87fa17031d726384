"""One artist: lifetime numbers, minutes per month, and top tracks in the period."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, callback, dcc, html

from dashboard import components as c
from dashboard import figures, queries
from dashboard.filters import describe
from dashboard.state import current_filters, is_lifetime

dash.register_page(
    __name__, path_template="/artist/<artist_id>", name="Artist",
    title="Artist · Spotify Lake", order=6,
)  # fmt: skip


def layout(artist_id: str | None = None, **query: str) -> html.Div:
    return c.page(
        "artist", query, "Artist",
        dcc.Store(id="artist-id", data=artist_id),
        dcc.Link("← All artists", href="/explore", className="note"),
        dcc.Loading(html.Div(id="artist-body"), delay_show=300),
    )  # fmt: skip


@callback(
    Output("artist-period", "children"), Output("artist-body", "children"),
    Input("artist-filters", "data"), Input("artist-id", "data"),
)  # fmt: skip
def update(query: dict | None, artist_id: str | None):
    """The artist's history over time and their most-played tracks in the period."""
    f = current_filters(query)
    if f is None:
        return "", c.empty_state()
    info = queries.artist(f.user, artist_id or "")
    if info is None:
        return describe(f), c.empty_state(f"{f.user} never played this artist — pick one "
                                          "from Explore.")  # fmt: skip
    history = queries.artist_history(f.user, artist_id)
    tracks = queries.artist_top_tracks(f, artist_id, 10, is_lifetime(f))
    tracks["minutes_played"] = tracks["minutes_played"].astype(float).round(1)
    since = pd.Timestamp(info["first_played_at"])
    lifetime = (f"{info['minutes_played']:,.0f} minutes · {info['plays']:,} plays · "
                f"{info['track_count']:,} tracks · since {since:%b %Y}")
    return describe(f), html.Div([
        html.H2(str(info["artist_name"]), id="artist-name"),
        html.P(lifetime, className="note"),
        c.card("History", c.graph("artist-history", figures.artist_history(history, f.start,
                                                                            f.end))),
        c.card("Top tracks in the period", c.table("artist-tracks", tracks, (
            ("track_name", "Track"), ("plays", "Plays"), ("streams", "Streams"),
            ("minutes_played", "Minutes"))) if not tracks.empty
            else c.empty_state("No plays of this artist in the period.")),
    ], className="stack")  # fmt: skip
