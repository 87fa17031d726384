"""Dashboard budget (DESIGN §9): 1,000,000 plays in PostgreSQL; every callback's p95 ≤ 150 ms and
each page's first full render ≤ 1 s in a headless browser. Prints the figures; asserts nothing.

    .venv/bin/python benchmarks/dashboard.py [--plays 1000000] [--keep] [--reuse]

Curated tables are generated with DuckDB SQL over random plays and loaded with the real
``load_user`` into a private database ``sl_bench_dashboard`` (dropped unless --keep).
"Cold" calls clear the query caches first (a first visit); "warm" calls repeat a view.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "dashboard")]
ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DB = "sl_bench_dashboard"
URL = f"postgresql://postgres@127.0.0.1:5432/{DB}"
BUDGET_CALLBACK_MS, BUDGET_PAGE_MS = 150, 1000

# Random plays for one user over six years: Zipf-like track popularity, 20% short plays.
PLAYS_SQL = """
create table fact_streams as
with r as (
  select i, random() as r1, random() as r2, random() as r3, random() as r4,
         floor(pow(random(), 3) * 20000)::bigint as t,
         timestamp '2019-01-01' + to_seconds((random() * 6 * 365 * 86400)::bigint) as s
  from range($n) g(i))
select 'p' || i as play_id, 'bench' as user_id,
  case when r1 < 0.05 then 'podcast' else 'music' end as content_type, 'audio' as media_type,
  case when r1 >= 0.05 then 't' || t end as track_id,
  case when r1 >= 0.05 then 'a' || (t % 2000) end as artist_id,
  case when r1 >= 0.05 then 'al' || (t // 8) end as album_id,
  case when r1 < 0.05 then 'e' || (t % 300) end as episode_id,
  case when r1 < 0.05 then 's' || (t % 12) end as show_id,
  'pf' || (i % 4) as platform_id,
  (s + to_milliseconds(ms))::timestamptz as ended_at, s::timestamptz as started_at,
  s + to_milliseconds(ms) as ended_at_local, s as started_at_local, s::date as local_date,
  hour(s)::int as local_hour, isodow(s)::int as weekday, 'UTC' as time_zone,
  ['DE', 'FR', 'US'][1 + (i % 3)] as country_code, ms as ms_played, ms / 60000.0 as minutes_played,
  ms >= 30000 as is_stream, r2 < 0.2 as is_skipped, 'flag' as skip_basis,
  ['clickrow', 'trackdone', 'fwdbtn', 'playbtn'][1 + (t % 4)::int] as reason_start,
  'trackdone' as reason_end, r3 < 0.5 as is_shuffle, false as is_offline, false as is_incognito,
  'second' as precision, null::varchar as session_id, 'extended' as record_family, 'x' as sources
from (select *, case when r2 < 0.2 then (r4 * 29000)::bigint
                     else 30000 + (r4 * 270000)::bigint end as ms from r)
"""
DERIVED = {
    "dim_tracks": """select user_id, track_id, 'Track ' || track_id as track_name, min(artist_id)
        as artist_id, 'Artist ' || min(artist_id) as artist_name, min(album_id) as album_id,
        'Album ' || min(album_id) as album_name, null as track_uri, {stats}
        from fact_streams where track_id is not null group by all""",
    "dim_artists": """select user_id, artist_id, 'Artist ' || artist_id, {stats},
        count(distinct track_id) from fact_streams where artist_id is not null group by all""",
    "dim_albums": """select user_id, album_id, 'Album ' || album_id, min(artist_id),
        'Artist ' || min(artist_id), {stats}, count(distinct track_id)
        from fact_streams where album_id is not null group by user_id, album_id""",
    "dim_episodes": """select user_id, episode_id, 'Episode ' || episode_id, min(show_id),
        'Show ' || min(show_id), 'podcast', null, {stats}
        from fact_streams where episode_id is not null group by user_id, episode_id""",
    "dim_platforms": """select user_id, platform_id, platform_id, ['android', 'ios', 'web',
        'desktop'][1 + right(platform_id, 1)::int], count(*), sum(ms_played)
        from fact_streams group by all""",
    "daily_listening": """select 'bench', d.local_date, c.content_type,
        coalesce(plays, 0), coalesce(streams, 0), coalesce(skips, 0), coalesce(ms, 0),
        coalesce(ms, 0) / 60000.0, coalesce(tracks, 0), coalesce(artists, 0)
        from (select range::date as local_date from range(date '2019-01-01', date '2025-01-01',
              interval 1 day)) d
        cross join (values ('music'), ('podcast')) c(content_type)
        left join (select local_date, content_type, count(*) as plays,
                   count(*) filter (is_stream) as streams, count(*) filter (is_skipped) as skips,
                   sum(ms_played) as ms, count(distinct track_id) as tracks,
                   count(distinct artist_id) as artists from fact_streams group by all) a
        using (local_date, content_type)""",
    "hourly_listening": """select user_id, local_date, local_hour, weekday, content_type,
        {sums} from fact_streams group by all""",
    "daily_item_listening": """
        select user_id, local_date, 'track', track_id, 'Track ' || track_id,
               'Artist ' || min(artist_id), 'music', {sums}
        from fact_streams where track_id is not null group by user_id, local_date, track_id
        union all select user_id, local_date, 'artist', artist_id, 'Artist ' || artist_id,
               'Artist ' || artist_id, 'music', {sums}
        from fact_streams where artist_id is not null group by all
        union all select user_id, local_date, 'album', album_id, 'Album ' || album_id,
               'Artist ' || min(artist_id), 'music', {sums}
        from fact_streams where album_id is not null group by user_id, local_date, album_id
        union all select user_id, local_date, 'show', show_id, 'Show ' || show_id, null,
               'podcast', {sums}
        from fact_streams where show_id is not null group by all""",
    "artist_monthly": """select user_id, month, artist_id, 'Artist ' || artist_id, plays,
        streams, ms, ms / 60000.0, rank() over (partition by month order by ms desc),
        month = min(month) over (partition by artist_id)
        from (select user_id, date_trunc('month', local_date)::date as month, artist_id,
              count(*) as plays, count(*) filter (is_stream) as streams, sum(ms_played) as ms
              from fact_streams where artist_id is not null group by all)""",
    "first_listens": """select user_id, 'artist', artist_id, 'Artist ' || artist_id,
        'Artist ' || artist_id, min(started_at), min(local_date), min(play_id)
        from fact_streams where artist_id is not null group by all
        union all select user_id, 'track', track_id, 'Track ' || track_id,
        'Artist ' || min(artist_id), min(started_at), min(local_date), min(play_id)
        from fact_streams where track_id is not null group by user_id, track_id""",
    "sessions": """select user_id, 'sess' || n, min(started_at), max(ended_at),
        min(started_at_local), min(local_date), {sums},
        date_diff('second', min(started_at), max(ended_at)) / 60.0, count(distinct track_id),
        'Artist ' || mode(artist_id)
        from (select *, sum(new) over (order by started_at) as n from (
              select *, coalesce(started_at - lag(ended_at) over (order by started_at)
                                 >= interval 30 minute, true)::int as new from fact_streams))
        group by user_id, n""",
    "playlists": """select 'bench', 'pl' || i, 'Playlist ' || i, null, date '2024-12-01', 0,
        100, 100, 'x' from range(20) g(i)""",
    "fact_playlist_items": """select 'bench', 'pl' || (i // 100), (i % 100)::int, 'track',
        't' || i, null, 'Track t' || i, 'Artist a' || (i % 2000), null, null, null, null, null,
        date '2023-01-01' from range(2000) g(i)""",
    "playlist_track_stats": """select 'bench', 'pl' || (i // 100), 'Playlist ' || (i // 100),
        (i % 100)::int, 't' || i, 'Track t' || i, 'Artist a' || (i % 2000),
        date '2023-01-01', date '2024-12-31', 730, i % 7, i % 5, i % 3, (i % 3) / 7.0,
        (i % 5) * 30 / 730.0, timestamptz '2024-06-01', 200, i % 10 = 0 from range(2000) g(i)""",
    "playlist_recommendations": """select 'bench', 'pl' || (i // 100),
        'Playlist ' || (i // 100), (i % 100)::int, 't' || i, 'Track t' || i,
        'Artist a' || (i % 2000), 'remove', 'Rarely played and often skipped.', 0.1, 0.6, 730,
        timestamptz '2024-06-01' from range(0, 2000, 10) g(i)""",
    "anomalies": """select 'bench', 'an' || i, date '2019-01-01' + (i * 11)::int, 'high_day',
        'day', null, null, 300.0, 60.0, 4.2, null, null, 'A long day: 300 min vs 60 usual'
        from range(200) g(i)""",
    "exports": """select 'bench', 'e0', 'bench.zip', timestamptz '2025-01-02', 1, 1,
        'extended', count(*), count(*), 0, 0 from fact_streams""",
    "reject_reasons": "select 'bench', 'e0', 'x.json', 'ts is missing', 3",
    "dim_date": """select d::date, year(d), quarter(d), month(d), monthname(d),
        strftime(d, '%Y-%m'), isoyear(d), week(d), (d - to_days(isodow(d)::int - 1))::date,
        day(d), dayofyear(d), isodow(d), dayname(d), isodow(d) >= 6
        from range(timestamp '2008-01-01', timestamp '2041-01-01', interval 1 day) t(d)""",
}
STATS = """min(started_at), max(started_at), count(*), count(*) filter (is_stream),
    count(*) filter (is_skipped), sum(ms_played), sum(ms_played) / 60000.0"""
SUMS = """count(*), count(*) filter (is_stream), count(*) filter (is_skipped), sum(ms_played),
    sum(ms_played) / 60000.0"""
QUERIES = (
    {"period": "all"}, {"period": "year"}, {"period": "2022"}, {"period": "last30"},
    {"period": "last7"}, {"period": "last90", "content": "music"},
    {"period": "2021", "content": "podcast"},
)  # fmt: skip
READY = {  # page → components that must show data for the page to count as rendered
    "/": ("overview-kpis", "overview-split", "overview-top-track"),
    "/trends": ("trends-minutes-graph", "trends-artists", "trends-platforms",
                "trends-countries", "trends-discoveries"),
    "/habits": ("habits-heatmap", "habits-skip-platform", "habits-session-lengths"),
    "/anomalies": ("anomalies-chart",), "/playlists": ("playlists-tracks",),
    "/explore": ("explore-table",), "/artist/a1": ("artist-history",),
    "/health": ("health-checks",),
}  # fmt: skip
def build(n: int) -> dict:
    """Every curated table for ``n`` random plays, as Arrow tables in the pinned schemas."""
    from etl.curated_schemas import CURATED

    con = duckdb.connect(config={"threads": 2})
    con.execute(PLAYS_SQL.replace("$n", str(int(n))))
    tables = {"fact_streams": con.sql("select * from fact_streams").to_arrow_table()}
    for name, sql in DERIVED.items():
        t = con.sql(sql.format(stats=STATS, sums=SUMS)).to_arrow_table()
        tables[name] = t.rename_columns(CURATED[name].names).cast(CURATED[name])
    tables["fact_streams"] = tables["fact_streams"].cast(CURATED["fact_streams"])
    return tables


def load(tables: dict, settings) -> None:
    """Recreate the benchmark database; curated Parquet → ``etl.warehouse.load_user``."""
    from dash_loader import load as load_curated

    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'drop database if exists "{DB}" with (force)')
        admin.execute(f'create database "{DB}"')
    load_curated(settings, tables)


def callbacks(pages) -> dict:
    """Every data callback of every page, as ``name → function(query)``."""
    return {
        "overview.update_kpis": pages["overview"].update_kpis,
        "overview.update_body": pages["overview"].update_body,
        "trends.update_minutes": lambda q: pages["trends"].update_minutes(q, "week"),
        "trends.update_body": pages["trends"].update_body,
        "habits.update_when": pages["habits"].update_when,
        "habits.update_sessions": pages["habits"].update_sessions,
        "anomalies.update": pages["anomalies"].update,
        "playlists.update_options": pages["playlists"].update_options,
        "playlists.update_tracks": lambda q: pages["playlists"].update_tracks(q, "pl1"),
        "playlists.download": lambda q: pages["playlists"].download(1, q, "pl1"),
        "explore.update_table": lambda q: pages["explore"].update_table(q, "track", "", 0, []),
        "explore.search": lambda q: pages["explore"].update_table(q, "artist", "a1", 0, []),
        "artist.update": lambda q: pages["artist"].update(q, "a1"),
        "health.update": pages["health"].update,
        "sync_filters": lambda q: pages["state"].sync_filters(
            "filters-period", "", "bench", q["period"], q.get("content", "all"), None, None),
    }


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def measure_callbacks(pages, repeats: int) -> None:
    from dashboard import queries

    print(f"\ncallbacks ({len(QUERIES)} filters × {repeats}; budget p95 ≤ {BUDGET_CALLBACK_MS} ms)")
    print(f"{'callback':28} {'cold p50':>9} {'cold p95':>9} {'warm p95':>9}")
    for name, fn in callbacks(pages).items():
        cold, warm = [], []
        for _ in range(repeats):
            for q in QUERIES:
                query = {"user": "bench", **q}
                queries.clear_caches()
                for bucket in (cold, warm):
                    t0 = time.perf_counter()
                    fn(query)
                    bucket.append((time.perf_counter() - t0) * 1000)
        flag = "" if p95(cold) <= BUDGET_CALLBACK_MS else "  over budget (cold)"
        print(f"{name:28} {statistics.median(cold):9.1f} {p95(cold):9.1f} {p95(warm):9.1f}{flag}")


def measure_pages(app) -> None:
    from chromium import CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright
    from test_browser import HAS_DATA
    from werkzeug.serving import make_server

    from dashboard import queries

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request log in the figures
    httpd = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_port}"
    print(f"\nfirst full render (budget ≤ {BUDGET_PAGE_MS} ms)")
    print(f"{'page':14} {'cold':>8} {'warm':>8}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.goto(f"{base}/health?user=bench")  # load the JS bundles once, as a returning visitor
        tab.wait_for_function(HAS_DATA, arg="health-checks", timeout=60_000)
        for path, ready in READY.items():
            times = []
            for cold in (True, False):
                if cold:
                    queries.clear_caches()
                tab.goto("about:blank")
                t0 = time.perf_counter()
                tab.goto(f"{base}{path}?user=bench&period=all")
                for component in ready:
                    tab.wait_for_function(HAS_DATA, arg=component, timeout=60_000)
                times.append((time.perf_counter() - t0) * 1000)
            flag = "" if times[0] <= BUDGET_PAGE_MS else "  over budget (cold)"
            print(f"{path:14} {times[0]:8.0f} {times[1]:8.0f}{flag}")
        browser.close()
    httpd.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plays", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept benchmark database")
    opts = parser.parse_args()
    import importlib

    from dashboard.app import create_app
    from etl import config
    from etl.warehouse import Warehouse

    lake = tempfile.TemporaryDirectory()
    settings = config.load({"DATABASE_URL": URL, "SPOTIFY_LAKE_ROOT": lake.name})
    if not opts.reuse:
        t0 = time.perf_counter()
        load(build(opts.plays), settings)
        print(f"generated and loaded {opts.plays:,} plays in {time.perf_counter() - t0:.0f} s")
    app = create_app(Warehouse.from_settings(settings))
    pages = {name: importlib.import_module(f"dashboard.pages.{name}") for name in (
        "overview", "trends", "habits", "anomalies", "playlists", "explore", "artist", "health")}
    pages["state"] = importlib.import_module("dashboard.state")
    try:
        measure_callbacks(pages, opts.repeats)
        measure_pages(app)
    finally:
        lake.cleanup()
        if not opts.keep:
            with psycopg.connect(ADMIN, autocommit=True) as admin:
                admin.execute(f'drop database if exists "{DB}" with (force)')


if __name__ == "__main__":
    main()
