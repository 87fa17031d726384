"""Fixtures for the GoodData tests: a copy of the layout, the warehouse DDL, the contract stub."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from etl import config
from etl.gooddata.layout import LAYOUT_DIR
from tests.gooddata.stub_server import GoodDataStub

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # gooddata-sdk honours HTTP(S)_PROXY; the stub lives on 127.0.0.1 and must be hit directly.
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def layout_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped layout that a test may edit."""
    return Path(shutil.copytree(LAYOUT_DIR, tmp_path / "layout"))


def apply_ddl(url: str) -> None:
    """Bring the database to the current schema with the real migrations (sql/)."""
    from etl import migrations
    from etl.warehouse import Warehouse

    migrations.forget()
    migrations.upgrade(Warehouse("postgres", url=url))


@pytest.fixture
def warehouse(pg_url: str) -> str:
    """The session's private PostgreSQL database with the curated schema created from sql/."""
    apply_ddl(pg_url)
    return pg_url


@pytest.fixture
def stub() -> Iterator[GoodDataStub]:
    with GoodDataStub() as server:
        yield server


@pytest.fixture
def gd_settings(stub: GoodDataStub, tmp_path: Path) -> config.Settings:
    """Settings pointing at the stub, with a warehouse URL whose password must stay out of files."""
    return config.load({
        "SPOTIFY_LAKE_ROOT": str(tmp_path / "lake"),
        "GOODDATA_HOST": stub.url,
        "GOODDATA_TOKEN": "test-token",
        "DATABASE_URL": "postgresql://lake:s3cret-pw@warehouse.internal:5433/spotify_lake",
    })
