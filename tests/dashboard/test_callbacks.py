"""Page callbacks called as plain functions: the filters change what they return."""

import re

import pytest

from dashboard import components
from dashboard.state import sync_filters
from tests.dashboard.dash_fixture import XSS
from tests.dashboard.dash_tree import find, ids, text

YEAR = {"user": "alice", "period": "year"}


def kpi(tiles, kpi_id):
    return find(tiles, f"overview-kpi-{kpi_id}").children


def test_overview_kpis_follow_period_content_and_user(duck, pages):
    label, tiles, _ = pages.overview.update_kpis(YEAR)
    assert label == "1 Jan 2024 – 31 Mar 2024"
    assert [kpi(tiles, k) for k in ("minutes_listened", "plays", "streams", "skip_rate",
                                    "streak")] == ["43", "7", "6", "14.3%", "3 days"]
    assert "no data a year earlier" in text(tiles)
    assert kpi(pages.overview.update_kpis({"user": "alice"})[1], "plays") == "9"
    assert kpi(pages.overview.update_kpis({**YEAR, "content": "music"})[1], "plays") == "6"
    assert kpi(pages.overview.update_kpis({"user": "bob"})[1], "plays") == "2"


def test_overview_year_over_year_delta(duck, pages):
    june = {"user": "alice", "period": "custom", "start": "2023-06-01", "end": "2023-06-30"}
    _, tiles, _ = pages.overview.update_kpis(june)
    assert kpi(tiles, "plays") == "2"
    assert "no data a year earlier" in text(tiles)
    later = {**june, "start": "2024-01-01", "end": "2024-06-30"}  # 7 plays; a year before: 2
    assert "Plays 7 ▲ 250% vs a year earlier" in text(pages.overview.update_kpis(later)[1])


def test_overview_wrapped_card_and_tops(duck, pages):
    card = pages.overview.update_kpis(YEAR)[2]
    assert find(card, "overview-wrapped-artist").children == "Artist X"
    assert find(card, "overview-wrapped-track").children == "Song D"
    assert "3 artists · 6 streams · 3-day streak" in text(card)
    body = pages.overview.update_body(YEAR)
    tracks = find(body, "overview-top-track")
    assert len(tracks.children) == 4 and XSS in text(tracks)
    split = find(body, "overview-split").figure
    assert split["data"][0]["labels"] == ["podcast", "music"]
    only_bob = pages.overview.update_kpis({"user": "bob"})[2]
    assert find(only_bob, "overview-wrapped-artist").children == "Artist W"
    lifetime = pages.overview.update_body({"user": "alice"})  # read from the dimensions
    assert find(lifetime, "overview-top-artist").children[0].children[0].children == "Artist X"


def test_overview_empty_period(duck, pages):
    query = {"user": "alice", "period": "custom", "start": "2030-01-01", "end": "2030-02-01"}
    assert components.NO_PLAYS in text(pages.overview.update_kpis(query)[1])
    assert pages.overview.update_body(query) is None


def test_trends_granularity_and_content(duck, pages):
    _, graph = pages.trends.update_minutes(YEAR, "month")
    bars = graph.figure["data"][0]
    assert [round(v, 4) for v in bars["y"]] == [3.3333, 0.0, 40.0833]
    assert bars["x"] == ["2024-01-01", "2024-02-01", "2024-03-01"]
    _, daily = pages.trends.update_minutes(YEAR, "day")
    assert len(daily.figure["data"][0]["y"]) == 91
    _, weekly = pages.trends.update_minutes(YEAR, "week")
    assert round(sum(weekly.figure["data"][0]["y"]), 4) == 43.4167
    assert weekly.figure["data"][0]["x"][0] == "2024-01-01"  # weeks start on Monday
    cards = pages.trends.update_body(YEAR)
    artists = find(cards, "trends-artists").figure["data"]
    assert [t["name"] for t in artists] == ["Artist X", "Artist Y", "O'Brien"]
    assert artists[0]["x"] == ["2024-01-01", "2024-02-01", "2024-03-01"]  # February filled in
    assert [round(v, 4) for v in artists[0]["y"]] == [3.3333, 0.0, 3.0833]
    podcast = pages.trends.update_body({**YEAR, "content": "podcast"})
    assert find(podcast, "trends-artists").figure["data"] == []
    platforms = find(cards, "trends-platforms").figure["data"][0]
    assert platforms["y"] == ["web", "ios"]


def test_habits(duck, pages):
    _, cards = pages.habits.update_when(YEAR)
    z = find(cards, "habits-heatmap").figure["data"][0]["z"]
    assert round(sum(map(sum, z)), 4) == 43.4167
    assert len(z) == 7 and len(z[0]) == 24
    shuffle = find(cards, "habits-skip-shuffle").figure["data"][0]
    assert (shuffle["x"], shuffle["y"]) == (["shuffle off", "shuffle on"], [1 / 6, 0.0])
    sessions = pages.habits.update_sessions(YEAR)
    assert find(sessions, "habits-session-count").children == "6"
    last7 = pages.habits.update_sessions({"user": "alice", "period": "last7"})
    assert find(last7, "habits-session-count").children == "2"


def test_anomalies(duck, pages):
    _, cards = pages.anomalies.update(YEAR)
    chart = find(cards, "anomalies-chart").figure
    assert len(chart["data"]) == 2 and chart["data"][1]["y"] == [30.0]
    assert chart["data"][1]["text"] == ["30 min vs a usual 4 min: mostly Pod Show (30 min)"]
    assert find(cards, "anomalies-table").data[0]["explanation"].startswith("30 min vs")
    timeline = find(cards, "anomalies-obsessions").figure["data"][0]
    assert timeline["text"] == ["&lt;img src=x onerror=alert(1)&gt;"]  # escaped for plotly
    assert find(cards, "anomalies-obsession-table").data[0]["subject_name"] == XSS
    _, quiet = pages.anomalies.update({**YEAR, "period": "last7"})
    assert "anomalies-table" not in ids(quiet) and "No unusual days" in text(quiet)


def test_playlists_tables_and_csv(duck, pages):
    label, options, value = pages.playlists.update_options({"user": "alice"})
    assert (label, [o["value"] for o in options], value) == ("alice · 2 playlists",
                                                            ["pl2", "pl1"], "pl1")
    body = pages.playlists.update_tracks({"user": "alice"}, "pl1")
    assert [r["track_name"] for r in find(body, "playlists-tracks").data] == [
        "Song A", XSS, "Song D"]
    assert find(body, "playlists-candidates").data[0]["reason"].startswith("Played 0.20 times")
    sent = pages.playlists.download(1, {"user": "alice"}, "pl1")
    lines = sent["content"].splitlines()
    assert sent["filename"] == "playlist-alice-pl1.csv"
    assert lines[0] == ("position,track_name,artist_name,added_date,play_rate_30d,skip_rate,"
                        "starts,last_played,reason")
    assert lines[2].startswith(f"1,{XSS},Artist Y,2023-06-01,0.2,0.0,2,2024-03-27,Played 0.20")
    assert pages.playlists.update_options({"user": "bob"})[2] is None
    assert "No playlists" in text(pages.playlists.update_tracks({"user": "bob"}, None))


def test_csv_cells_that_look_like_formulas_are_defused(pages, dash_app):
    import pandas as pd

    df = pd.DataFrame({"name": ["=HYPERLINK(1)", "+1", "plain", "-x"], "n": [1, 2, 3, 4]})
    assert pages.playlists.csv_safe(df)["name"].tolist() == ["'=HYPERLINK(1)", "'+1", "plain",
                                                             "'-x"]


def test_explore_table_search_sort_page_and_artist_link(duck, pages):
    out = pages.explore.update_table(YEAR, "track", "song", 0,
                                     [{"column_id": "plays", "direction": "desc"}])
    label, data, columns, page_count, note = out
    assert [r["name"] for r in data] == ["Song A", "Song B", "Song D"]
    assert (page_count, note) == (1, "3 tracks")
    assert [c["id"] for c in columns] == ["name", "artist_name", "plays", "streams", "skips",
                                          "minutes_played"]
    lifetime = pages.explore.update_table({"user": "alice"}, "artist", "", 0, [])
    assert lifetime[4] == "3 artists (lifetime totals)"
    assert [r["name"] for r in lifetime[1]] == ["Artist X", "O'Brien", "Artist Y"]
    link = pages.explore.artist_link({"row": 0, "column": 0}, lifetime[1], "artist",
                                     {"user": "alice", "tab": "artist"})
    assert link == ("Open Artist X →", "/artist/ax?user=alice")
    shows = pages.explore.update_table({**YEAR, "content": "music"}, "show", "", 0, [])
    assert (shows[1], shows[4]) == ([], "Switch content to All to see this table.")


def test_artist_page(duck, pages):
    _, body = pages.artist.update(YEAR, "ax")
    assert find(body, "artist-name").children == "Artist X"
    assert [r["track_name"] for r in find(body, "artist-tracks").data] == ["Song A", "Song B"]
    assert find(body, "artist-history").figure["data"][0]["x"] == [
        "2023-06-01", "2024-01-01", "2024-03-01"]
    _, missing = pages.artist.update(YEAR, "nope")
    assert "never played this artist" in text(missing)


def test_health(duck, pages):
    label, body = pages.health.update({"user": "alice"})
    assert label == "alice · all data"
    assert re.fullmatch(r"Last load: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC "
                        r"\(load #1, 9 plays, duckdb, \d+\.\d s\)",
                        find(body, "health-last-load").children)
    assert [r["status"] for r in find(body, "health-checks").data] == ["pass"] * 5
    assert find(body, "health-rejects").data[0] == {
        "export_id": "abc123def456", "member": "Streaming_History_Audio_2024.json",
        "reason": "ms_played < 0", "record_count": 1}


@pytest.mark.parametrize("page, call", [
    ("overview", lambda p: p.update_kpis({})[1]),
    ("trends", lambda p: p.update_minutes({}, "day")[1]),
    ("habits", lambda p: p.update_when({})[1]), ("anomalies", lambda p: p.update({})[1]),
    ("playlists", lambda p: p.update_tracks({}, None)), ("artist", lambda p: p.update({}, "x")[1]),
    ("health", lambda p: p.update({})[1]),
])  # fmt: skip
def test_every_page_says_how_to_ingest_when_empty(empty_warehouse, pages, page, call):
    assert components.INGEST_HINT in text(call(getattr(pages, page)))


def test_sync_filters_control_change_writes_the_url(duck, dash_app):
    out = sync_filters("filters-period", "?user=alice&tab=track", "alice", "last7", "all", None,
                       None)
    assert out["_pages_location.search"] == "?user=alice&period=last7&content=all&tab=track"
    assert (out["filters-range.start_date"], out["filters-range.end_date"]) == (
        "2024-03-25", "2024-03-31")
    dates = sync_filters("filters-range", "", "alice", "all", "music", "2024-03-01",
                         "2024-03-02T00:00:00")
    assert dates["_pages_location.search"] == (
        "?user=alice&period=custom&content=music&start=2024-03-01&end=2024-03-02")


def test_sync_filters_url_sets_the_controls(duck, dash_app):
    out = sync_filters("_pages_location", "?user=bob&period=year", None, None, None, None, None)
    assert "_pages_location.search" not in out  # a URL is never rewritten under the reader
    assert (out["filters-user.value"], out["filters-period.value"]) == ("bob", "year")
    assert (out["filters-range.start_date"], out["filters-range.end_date"]) == (
        "2022-01-01", "2022-05-06")
    assert [o["value"] for o in out["filters-user.options"]] == ["alice", "bob"]
    assert [o["label"] for o in out["filters-period.options"]][3] == "This year (2022)"
    alice = sync_filters(None, "?period=2023", None, None, None, None, None)
    assert (alice["filters-user.value"], alice["filters-period.value"]) == ("alice", "2023")
