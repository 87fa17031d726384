"""The dashboard in headless Chromium over a lake built from two real exports by the pipeline.

The exports are picked by content, not by name: the smallest one whose playlists hold tracks,
and the smallest extended streaming history. Screenshots of real data stay in the temp dir:
nothing derived from ../shared/real_exports goes into the repository.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from dashboard import db, queries
from etl import config, pipeline
from etl.warehouse import Warehouse
from tests.dashboard.test_browser import PAGES, TRACES, choose, wait_bars, wait_data

pytestmark = pytest.mark.browser


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def pick_exports(root: Path) -> dict[str, Path]:
    """``{"playlists": folder, "extended": folder}``: the smallest of each kind."""
    people = sorted((p for p in root.iterdir() if p.is_dir()), key=_size)
    with_tracks = [p for p in people if any(
        "trackName" in f.read_text(errors="ignore") for f in p.rglob("Playlist*.json"))]
    extended = [p for p in people if any(p.rglob("Streaming_History_Audio_*.json"))
                or any(p.rglob("endsong_*.json"))]  # fmt: skip
    assert with_tracks and extended, f"{root} lacks an export with playlists or extended history"
    return {"playlists": with_tracks[0], "extended": extended[0]}


@pytest.fixture(scope="module")
def real_server(real_exports, tmp_path_factory, dash_app):
    """Two real exports ingested and published into a DuckDB lake; the app serving it."""
    settings = config.load({"SPOTIFY_LAKE_ROOT": str(tmp_path_factory.mktemp("real-lake"))})
    users = {}
    for kind, folder in pick_exports(real_exports).items():
        user = f"real-{kind}"
        result = pipeline.ingest_export(folder, user, settings)
        assert result["status"] == "ingested", result
        pipeline.publish_user(user, settings)
        users[kind] = user
    db.use(Warehouse.from_settings(settings))
    queries.clear_caches()
    httpd = make_server("127.0.0.1", 0, dash_app.server, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}", users
    httpd.shutdown()
    db.use(None)
    queries.clear_caches()


@pytest.fixture
def tab(page):
    return page


@pytest.mark.parametrize("name", [n for n in PAGES if n not in ("artist", "playlists")])
def test_every_page_shows_the_extended_history(real_server, tab, name, tmp_path):
    base, users = real_server
    path, component = PAGES[name]
    tab.goto(f"{base}{path}?user={users['extended']}")
    wait_data(tab, component)
    tab.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)  # not into the repo


def test_artist_page_from_explore(real_server, tab):
    base, users = real_server
    tab.goto(f"{base}/explore?user={users['extended']}")
    wait_data(tab, "explore-table")
    tab.click("#explore-table td >> nth=0")
    tab.wait_for_function("() => document.querySelector('#explore-artist-link')"
                          "?.getAttribute('href')?.startsWith('/artist/')")  # fmt: skip
    tab.click("#explore-artist-link")
    tab.wait_for_url("**/artist/**")
    wait_data(tab, "artist-history")
    assert tab.inner_text("#artist-name")


def test_period_and_user_change_the_figures(real_server, tab):
    base, users = real_server
    tab.goto(f"{base}/trends?user={users['extended']}&granularity=week")
    wait_data(tab, "trends-minutes-graph")
    weeks = len(tab.evaluate(TRACES, "trends-minutes-graph")[0])
    choose(tab, "filters-period", "Last 90 days")
    tab.wait_for_url("**period=last90**")
    assert "granularity=week" in tab.url  # the page's own parameters survive
    wait_bars(tab, f"!== {weeks}")
    assert len(tab.evaluate(TRACES, "trends-minutes-graph")[0]) in (13, 14)
    tab.evaluate(f"() => {{ window.before = JSON.stringify(({TRACES})('trends-minutes-graph')); }}")
    choose(tab, "filters-user", users["playlists"])
    tab.wait_for_url(f"**user={users['playlists']}**")
    tab.wait_for_function(f"() => {{ const t = ({TRACES})('trends-minutes-graph');"
                          " return !!t && t[0].length > 0"
                          " && JSON.stringify(t) !== window.before; }")


def test_playlist_csv_of_a_real_export(real_server, tab, tmp_path):
    base, users = real_server
    tab.goto(f"{base}/playlists?user={users['playlists']}")
    wait_data(tab, "playlists-tracks")
    with tab.expect_download() as download:
        tab.click("#playlists-download-button")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    lines = saved.read_text().splitlines()
    assert lines[0].startswith("position,track_name,artist_name,added_date")
    assert len(lines) > 1
