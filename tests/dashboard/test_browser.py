"""A real headless Chromium against the served app: every page, filters, CSV, XSS, phone width.

Screenshots of every page go to docs/screenshots/ (the README shows them).
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from dashboard import db, queries
from tests.dashboard.dash_fixture import XSS

pytestmark = pytest.mark.browser

# docs/screenshots/ (the README shows them) when SPOTIFY_LAKE_SCREENSHOTS=1 (`make screenshots`);
# otherwise a temp folder, so a plain test run leaves the checkout untouched.
SHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("SPOTIFY_LAKE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "spotify-lake-screenshots"
)

#: page path → a figure (or table) id that must show data there
PAGES = {
    "overview": ("/", "overview-split"), "trends": ("/trends", "trends-minutes-graph"),
    "habits": ("/habits", "habits-heatmap"), "anomalies": ("/anomalies", "anomalies-chart"),
    "playlists": ("/playlists", "playlists-tracks"), "explore": ("/explore", "explore-table"),
    "artist": ("/artist/ax", "artist-history"), "health": ("/health", "health-checks"),
}  # fmt: skip
# plotly keeps the decoded arrays (typed arrays) in _fullData; data holds the wire format
TRACES = """id => {
    const el = document.querySelector('#' + id + ' .js-plotly-plot');
    return el && el._fullData ? el._fullData.map(t => Array.from(t.y || t.values || t.z || []))
                              : null;
}"""
HAS_DATA = """id => {
    const el = document.getElementById(id);
    if (!el) return false;
    const plot = el.querySelector('.js-plotly-plot');
    if (plot) return !!plot._fullData && plot._fullData.some(
        t => Array.from(t.y || t.values || t.z || []).length > 0);
    return el.querySelectorAll('td, li, .kpi-value').length > 0;
}"""


@pytest.fixture(scope="module")
def server(loaded_duckdb, dash_app):
    """The app on a free port of 127.0.0.1, over the fixture warehouse (DuckDB)."""
    db.use(loaded_duckdb)
    queries.clear_caches()
    httpd = make_server("127.0.0.1", 0, dash_app.server, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    db.use(None)
    queries.clear_caches()


def wait_data(tab, component_id: str) -> None:
    tab.wait_for_function(HAS_DATA, arg=component_id, timeout=15_000)


def wait_bars(tab, condition: str) -> None:
    """Wait until the trends bar count satisfies ``condition`` (e.g. ``"=== 12"``)."""
    tab.wait_for_function(f"() => {{ const t = ({TRACES})('trends-minutes-graph');"
                          f" return !!t && !!t[0] && t[0].length {condition}; }}")


def choose(tab, dropdown_id: str, option: str) -> None:
    tab.click(f"#{dropdown_id}")
    tab.get_by_role("option", name=option, exact=True).click()


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_data_and_is_screenshotted(server, page, name):
    path, component = PAGES[name]
    page.goto(f"{server}{path}?user=alice")
    wait_data(page, component)
    page.wait_for_timeout(300)  # let the other cards of the page finish drawing
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_period_control_changes_url_and_figures(server, page):
    page.goto(f"{server}/trends?user=alice")
    wait_data(page, "trends-minutes-graph")
    weeks_all = page.evaluate(TRACES, "trends-minutes-graph")[0]
    choose(page, "filters-period", "This year (2024)")
    page.wait_for_url("**period=year**")
    wait_bars(page, f"!== {len(weeks_all)}")
    weeks_2024 = page.evaluate(TRACES, "trends-minutes-graph")[0]
    assert len(weeks_2024) < len(weeks_all)
    assert round(sum(weeks_2024), 3) == 43.417
    page.go_back()  # the previous view is a bookmarkable URL too
    wait_bars(page, f"=== {len(weeks_all)}")


def test_user_and_content_controls_change_the_numbers(server, page):
    page.goto(f"{server}/?user=alice")
    page.wait_for_selector("#overview-kpi-plays")
    assert page.inner_text("#overview-kpi-plays") == "9"
    page.get_by_role("radio", name="Music", exact=True).check()
    page.wait_for_url("**content=music**")
    page.wait_for_function("() => document.querySelector('#overview-kpi-plays')?.innerText"
                           " === '8'")  # fmt: skip
    choose(page, "filters-user", "bob")
    page.wait_for_url("**user=bob**")
    page.wait_for_function("() => document.querySelector('#overview-kpi-plays')?.innerText"
                           " === '2'")  # fmt: skip
    assert page.inner_text("#overview-wrapped-artist") == "Artist W"
    page.click("#nav-trends")  # nav links keep the filters
    page.wait_for_url("**/trends?user=bob**")
    wait_data(page, "trends-minutes-graph")


def test_playlist_csv_downloads(server, page, tmp_path):
    page.goto(f"{server}/playlists?user=alice")
    wait_data(page, "playlists-tracks")
    with page.expect_download() as download:
        page.click("#playlists-download-button")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    lines = saved.read_text().splitlines()
    assert saved.name == "playlist-alice-pl1.csv"
    assert lines[0].startswith("position,track_name,artist_name,added_date")
    assert lines[2].startswith(f"1,{XSS},Artist Y")


def test_a_track_named_like_html_renders_as_text(server, page):
    for path, component in (("/", "overview-top-track"), ("/playlists", "playlists-tracks"),
                            ("/anomalies", "anomalies-obsession-table")):  # fmt: skip
        page.goto(f"{server}{path}?user=alice")
        page.wait_for_selector(f"#{component}")
        wait_data(page, component) if component != "overview-top-track" else None
        assert XSS in page.inner_text(f"#{component}")
        assert page.query_selector_all("img[src='x']") == []
    wait_data(page, "anomalies-obsessions")
    labels = page.evaluate("() => Array.from(document.querySelectorAll("
                           "'#anomalies-obsessions text')).map(t => t.textContent)")
    assert XSS in labels  # plotly shows the escaped label as the original text


@pytest.mark.parametrize("name", ["overview", "trends", "playlists", "health"])
def test_phone_width_has_no_horizontal_scroll(server, browser, name):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    path, component = PAGES[name]
    tab.goto(f"{server}{path}?user=alice")
    wait_data(tab, component)
    tab.wait_for_timeout(300)
    width = tab.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if name == "overview":
        tab.screenshot(path=str(SHOTS / "overview-phone.png"), full_page=True)
    context.close()
    assert width[0] <= width[1]
