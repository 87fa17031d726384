"""What the DAGs share: the clean asset, the landing sensor, settings, small result helpers.

Settings come from Airflow (Variable ``spotify_lake_root``, Connection ``spotify_warehouse``),
else from the environment. They are read inside tasks only, never at DAG parse time: Variables
and Connections are served by the Airflow API to a running task.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from airflow.sdk import Asset, BaseSensorOperator, PokeReturnValue

from etl import config

#: Updated by spotify_ingest when the clean layer changed; spotify_publish is scheduled on it.
CLEAN = Asset(name="spotify_lake_clean", uri="spotify-lake://lake/clean")
LAKE_ROOT_VARIABLE = "spotify_lake_root"
WAREHOUSE_CONN_ID = "spotify_warehouse"
#: One slot: warehouse loads never overlap (setup/airflow_standalone.sh creates it).
WAREHOUSE_POOL = "spotify_warehouse"

#: Retries with exponential backoff, shared by both DAGs.
DEFAULT_ARGS = {
    "owner": "spotify-lake",
    "retries": 2,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=10),
}


def lake_settings() -> config.Settings:
    """``config.load`` with the Variable ``spotify_lake_root`` and Connection ``spotify_warehouse``
    taking precedence over ``SPOTIFY_LAKE_ROOT`` and ``DATABASE_URL``."""
    merged = dict(os.environ)
    root = _variable(LAKE_ROOT_VARIABLE)
    if root:
        merged["SPOTIFY_LAKE_ROOT"] = root
    url = warehouse_url()
    if url:
        merged["DATABASE_URL"] = url
    return config.load(merged)


def _variable(key: str) -> str | None:
    from airflow.sdk import Variable

    return Variable.get(key, default=None) or None


def warehouse_url() -> str | None:
    """The ``spotify_warehouse`` Connection as a ``postgresql://`` URL, or None if it is not set."""
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        conn = Connection.get(WAREHOUSE_CONN_ID)
    except AirflowNotFoundException:
        return None
    return connection_url(conn.login, conn.password, conn.host, conn.port, conn.schema)


def connection_url(
    login: str | None, password: str | None, host: str | None, port: int | None, schema: str | None
) -> str:
    """A SQLAlchemy/psycopg URL from Connection fields (Airflow's own URI says ``postgres://``)."""
    auth = quote(login or "", safe="")
    if password:
        auth += ":" + quote(password, safe="")
    netloc = (auth + "@" if auth else "") + (host or "localhost") + (f":{port}" if port else "")
    return f"postgresql://{netloc}/{quote(schema or 'postgres', safe='')}"


def input_label(item: Mapping[str, Any]) -> str:
    """A short name for one landing input, shown as the mapped task's label in the UI."""
    files = item.get("files") or []
    if len(files) == 1:
        return files[0]
    name = item["path"].rstrip("/").rsplit("/", 1)[-1]
    return f"{len(files)} JSON files in {name}/" if files else name


def ingest_outcome(item: Mapping[str, Any], result: Mapping[str, Any]) -> dict[str, Any]:
    """What of an ingest result travels through XCom: status, users, export ids, message.

    A ``batch`` result (one landing entry that held several inputs) is rejected if any part was.
    """
    parts = result.get("results") or [result]
    statuses = {part["status"] for part in parts}
    status = next((s for s in ("rejected", "ingested") if s in statuses), "skipped")
    return {
        "path": item["path"],
        "status": status,
        "ingested_users": sorted({p["user"] for p in parts if p["status"] == "ingested"}),
        "export_ids": [p.get("export_id") for p in parts],
        "message": "; ".join(str(p.get("message", "")) for p in parts),
    }


def choose_users(
    params: Mapping[str, Any], events_by_asset: Mapping[Any, Any] | None, settings: config.Settings
) -> tuple[list[str], str]:
    """Whom publish serves, and why: the ``user`` param, else the users the triggering ingest
    named (unless ``full_refresh``), else every user with data in raw."""
    from airflow.sdk.exceptions import AirflowFailException

    from etl import pipeline

    everyone = pipeline.users_with_data(settings)
    if params.get("user"):
        if params["user"] not in everyone:
            raise AirflowFailException(
                f"user {params['user']!r} has no data in {settings.lake_root} (users with data: "
                f"{', '.join(everyone) or 'none'}); ingest an export for them first"
            )
        return [params["user"]], "the user param"
    if events_by_asset and not params.get("full_refresh"):
        named = event_users(e for events in events_by_asset.values() for e in events)
        if named:
            return named, "named by the triggering ingest"
    return everyone, f"every user with data in {settings.lake_root}"


def event_users(events: Iterable[Any]) -> list[str]:
    """Users named in the ``extra`` of asset events that triggered a run (empty if none)."""
    users: set[str] = set()
    for event in events:
        extra = getattr(event, "extra", None) or {}
        users.update(str(u) for u in extra.get("users", []))
    return sorted(users)


class LandingSensor(BaseSensorOperator):
    """Done once landing holds an input; its XCom is ``find_new_exports``' list of inputs.

    It only lists files (never moves or deletes them), unlike a FileSensor it knows what
    ``_processed/`` and ``_rejected/`` mean, and it needs no ``fs`` Connection.
    """

    def poke(self, context: Any) -> PokeReturnValue:
        from etl import pipeline

        found = pipeline.find_new_exports(lake_settings())
        self.log.info("%d input(s) waiting in landing", len(found))
        return PokeReturnValue(is_done=bool(found), xcom_value=found)


def rebuild_clean(user: str, settings: config.Settings) -> dict[str, int]:
    """Re-derive one user's clean layer from raw alone (the ``full_refresh`` of publish)."""
    from etl.paths import Lake
    from etl.rebuild import rebuild_user

    return rebuild_user(Lake(settings.lake_root), user)


def load_user(user: str, settings: config.Settings, *, force: bool = False) -> dict[str, Any]:
    """``pipeline.load_user``; ``force`` (publish's ``full_refresh``) reloads even when the
    curated content hash matches what the warehouse already holds."""
    from etl import pipeline

    if not force:
        return pipeline.load_user(user, settings)
    from etl import warehouse
    from etl.paths import Lake

    return warehouse.load_user(Lake(settings.lake_root), user, settings, force=True)


def gooddata_refresher():
    """``etl.gooddata.refresh_cache`` if that module is installed, else None."""
    import importlib

    try:
        module = importlib.import_module("etl.gooddata")
    except ModuleNotFoundError as exc:
        if exc.name != "etl.gooddata":
            raise
        return None
    return getattr(module, "refresh_cache", None)
