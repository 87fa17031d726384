"""Shared fixtures: the real exports, a temp lake, and a private PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from etl import config
from etl.paths import Lake

REPO = Path(__file__).resolve().parents[1]
REAL_EXPORTS = REPO.parent / "shared" / "real_exports"
PG_ADMIN_URL = os.environ.get("SPOTIFY_LAKE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def real_exports() -> Path:
    if not REAL_EXPORTS.is_dir():
        pytest.fail(f"{REAL_EXPORTS} is missing: the real-export tests need ../shared/real_exports")
    return REAL_EXPORTS


def real_export_people() -> list[str]:
    """Slugs of the people in ../shared/real_exports (empty when the folder is missing)."""
    if not REAL_EXPORTS.is_dir():
        return ["<missing ../shared/real_exports>"]
    return sorted(p.name for p in REAL_EXPORTS.iterdir() if p.is_dir())


@pytest.fixture
def settings(tmp_path: Path) -> config.Settings:
    """Settings for a fresh lake in a temp dir, embedded warehouse, UTC."""
    env = {"SPOTIFY_LAKE_ROOT": str(tmp_path / "lake")}
    return config.load(env)


@pytest.fixture
def lake(settings: config.Settings) -> Lake:
    return Lake(settings.lake_root)


def _pg_connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    """A PostgreSQL database created for this test session and dropped after it."""
    name = f"sl_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = _pg_connect(PG_ADMIN_URL)
    except Exception as exc:  # noqa: BLE001 - say plainly what is missing
        pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is not reachable ({exc}); start it first")
    admin.execute(f'create database "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        admin.execute(f'drop database if exists "{name}" with (force)')
        admin.close()


@pytest.fixture
def pg_url(pg_server_url: str) -> str:
    """The session database, emptied of the warehouse schema before each test."""
    with _pg_connect(pg_server_url) as conn:
        conn.execute("drop schema if exists curated cascade")
        conn.execute("drop schema if exists spotify_lake_meta cascade")
    return pg_server_url
