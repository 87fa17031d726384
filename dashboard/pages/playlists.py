"""Playlists: every track's play rate, skip rate and last play; removal candidates; CSV."""

from __future__ import annotations

import re

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboard import components as c
from dashboard import queries
from dashboard.state import current_filters

dash.register_page(
    __name__, path="/playlists", name="Playlists", title="Playlists · Spotify Lake", order=4
)

NOTE = ("As of the latest export with playlists; the period filter does not apply. A removal "
        "candidate has been in the playlist 60+ days, is rarely played, and is skipped or "
        "forgotten.")  # fmt: skip
COLUMNS = (
    ("position", "#"), ("track_name", "Track"), ("artist_name", "Artist"),
    ("added_date", "Added"), ("play_rate_30d", "Plays / 30 days"), ("skip_rate", "Skip rate"),
    ("starts", "Starts"), ("last_played", "Last played"), ("reason", "Removal reason"),
)  # fmt: skip
CANDIDATE_COLUMNS = (("position", "#"), ("track_name", "Track"), ("artist_name", "Artist"),
                     ("reason", "Why remove it"))  # fmt: skip


def layout(**query: str) -> html.Div:
    return c.page(
        "playlists", query, "Playlists", html.P(NOTE, className="note"),
        html.Div([
            dcc.Dropdown(id="playlists-select", clearable=False, className="playlist-select",
                         placeholder="Pick a playlist"),
            html.Button("Download CSV", id="playlists-download-button", className="button"),
            dcc.Download(id="playlists-download"),
        ], className="toolbar"),
        dcc.Loading(html.Div(id="playlists-body"), delay_show=300),
    )  # fmt: skip


@callback(
    Output("playlists-period", "children"), Output("playlists-select", "options"),
    Output("playlists-select", "value"), Input("playlists-filters", "data"),
)  # fmt: skip
def update_options(query: dict | None):
    """The user's playlists; the URL's ``playlist`` or the first one is selected."""
    f = current_filters(query)
    if f is None:
        return "", [], None
    lists = queries.playlists(f.user)
    options = [{"value": r.playlist_id, "label": f"{r.playlist_name} ({r.track_count:,} tracks)"}
               for r in lists.itertuples()]  # fmt: skip
    ids = lists["playlist_id"].tolist()
    wanted = (query or {}).get("playlist")
    if wanted not in ids:  # default: the biggest playlist, the likeliest to need a clean-up
        wanted = lists.sort_values("track_count", ascending=False, kind="stable")[
            "playlist_id"].iloc[0] if ids else None
    return f"{f.user} · {len(ids)} playlists", options, wanted


def tracks_frame(user: str, playlist_id: str) -> pd.DataFrame:
    """The playlist's tracks, formatted for the table and the CSV."""
    df = queries.playlist_tracks(user, playlist_id)
    df["added_date"] = df["added_date"].astype(str).str[:10].replace("NaT", "")
    df["last_played"] = df["last_played_at"].astype(str).str[:10].replace("NaT", "never")
    df["play_rate_30d"] = df["play_rate_30d"].round(2)
    df["skip_rate"] = df["skip_rate"].round(2)
    df["reason"] = df["reason"].fillna("")
    return df


@callback(
    Output("playlists-body", "children"), Input("playlists-filters", "data"),
    Input("playlists-select", "value"),
)  # fmt: skip
def update_tracks(query: dict | None, playlist_id: str | None):
    """Every track of the playlist, then the removal candidates with their reasons."""
    f = current_filters(query)
    if f is None:
        return c.empty_state()
    if not playlist_id:
        return c.empty_state("No playlists in this user's exports — playlists come from the "
                             "account data export (Playlist1.json).")  # fmt: skip
    df, recs = tracks_frame(f.user, playlist_id), queries.removal_candidates(f.user, playlist_id)
    return html.Div([
        c.card(f"Removal candidates ({len(recs)})",
               c.table("playlists-candidates", recs, CANDIDATE_COLUMNS) if not recs.empty
               else c.empty_state("Nothing to remove: every track earns its place.")),
        c.card("Tracks", c.table("playlists-tracks", df, COLUMNS, sort_action="native",
                                 page_size=50)),
    ], className="stack")  # fmt: skip


_FORMULA = re.compile(r"^[=+\-@\t\r]")


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe."""
    out = df.copy()
    for col in out.select_dtypes(include=["object", "string"]).columns:
        out[col] = out[col].map(lambda v: f"'{v}" if isinstance(v, str) and _FORMULA.match(v)
                                else v)  # fmt: skip
    return out


@callback(
    Output("playlists-download", "data"), Input("playlists-download-button", "n_clicks"),
    State("playlists-filters", "data"), State("playlists-select", "value"),
    prevent_initial_call=True,
)  # fmt: skip
def download(n_clicks: int | None, query: dict | None, playlist_id: str | None):
    """The playlist's track table as CSV."""
    f = current_filters(query)
    if not n_clicks or f is None or not playlist_id:
        return dash.no_update
    df = csv_safe(tracks_frame(f.user, playlist_id)[[col for col, _ in COLUMNS]])
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{f.user}-{playlist_id}").strip("-")
    return dcc.send_data_frame(df.to_csv, f"playlist-{name}.csv", index=False)
