"""Fixtures of the dashboard tests: the hand-built warehouse on PostgreSQL and on DuckDB.

The dashboard only reads, so each engine is loaded once per session: DuckDB in a temp lake,
PostgreSQL in a database of its own (created here, dropped at the end) so that other areas'
``pg_url`` resets cannot empty it between two dashboard tests.
"""

from __future__ import annotations

import importlib
import os
import uuid

import psycopg
import pytest

from dashboard import db, queries
from etl import config
from tests.dashboard import dash_fixture_tables, dash_loader
from tests.dashboard.chromium import CHROMIUM_ARGS

PG_ADMIN_URL = os.environ.get("SPOTIFY_LAKE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def fixture_tables():
    return dash_fixture_tables.all_tables()


@pytest.fixture(scope="session")
def loaded_duckdb(tmp_path_factory, fixture_tables):
    settings = config.load({"SPOTIFY_LAKE_ROOT": str(tmp_path_factory.mktemp("duck-lake"))})
    return dash_loader.load(settings, fixture_tables)


@pytest.fixture(scope="session")
def loaded_postgres(tmp_path_factory, fixture_tables):
    name = f"sl_dash_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is not reachable ({exc}); start it first")
    admin.execute(f'create database "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    root = tmp_path_factory.mktemp("pg-lake")
    settings = config.load({"SPOTIFY_LAKE_ROOT": str(root), "DATABASE_URL": url})
    try:
        yield dash_loader.load(settings, fixture_tables)
    finally:
        from etl import warehouse_pg

        warehouse_pg.engine(url).dispose()  # let go of pooled connections before the drop
        admin.execute(f'drop database if exists "{name}" with (force)')
        admin.close()


def _use(wh):
    db.use(wh)
    queries.clear_caches()
    yield wh
    db.use(None)
    queries.clear_caches()


@pytest.fixture(params=["postgres", "duckdb"])
def warehouse(request):
    """The fixture warehouse, on each engine in turn, wired into the dashboard."""
    yield from _use(request.getfixturevalue(f"loaded_{request.param}"))


@pytest.fixture
def duck(loaded_duckdb):
    """The fixture warehouse on DuckDB only (for tests about the app, not the SQL)."""
    yield from _use(loaded_duckdb)


@pytest.fixture
def empty_warehouse(settings):
    """A DuckDB warehouse with nothing loaded (no file at all)."""
    from etl.warehouse import Warehouse

    yield from _use(Warehouse.from_settings(settings, migrate=False))


@pytest.fixture(scope="session")
def dash_app():
    """The one Dash app of the test session (Dash pages and callbacks are process-global)."""
    from dashboard.app import create_app

    return create_app()


@pytest.fixture
def pages(dash_app):
    """The page modules, imported the way Dash imports them."""

    class Pages:
        def __getattr__(self, name: str):
            return importlib.import_module(f"dashboard.pages.{name}")

    return Pages()




@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh tab that records console errors, page errors and dialogs (an XSS would alert)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    tab.problems = []
    tab.on("console", lambda m: tab.problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.problems.append(f"page error: {e}"))
    tab.on("dialog", lambda d: (tab.problems.append(f"dialog: {d.message}"), d.dismiss()))
    yield tab
    assert tab.problems == []
    context.close()
