"""Provisioning with gooddata-sdk: ``deploy`` (disk → server), ``store`` (server → disk) and
``refresh_cache`` (after a warehouse load). Host and token come from GOODDATA_HOST/GOODDATA_TOKEN,
warehouse credentials from the database URL in the environment; nothing secret is written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from gooddata_sdk import (
    BasicCredentials,
    CatalogDataSourcePostgres,
    CatalogWorkspace,
    GoodDataSdk,
    PostgresAttributes,
)

from etl import config
from etl.gooddata.check import summary, validate
from etl.gooddata.layout import (
    DATA_SOURCE_ID,
    DATA_SOURCE_NAME,
    LAYOUT_DIR,
    WAREHOUSE_SCHEMA,
    WORKSPACE_ID,
    WORKSPACE_NAME,
    load_analytics,
    load_model,
    write_layout,
)

log = logging.getLogger(__name__)
T = TypeVar("T")


class GoodDataError(RuntimeError):
    """GoodData is not configured, not reachable, or refused a request; the message says why."""


def connect(settings: config.Settings, header_host: str | None = None) -> GoodDataSdk:
    """An SDK client for GOODDATA_HOST with GOODDATA_TOKEN (no request is made yet).

    GoodData CE serves the organisation whose hostname is ``localhost``; a client reaching it
    under another name (``http://gooddata:3000`` inside Compose) must send ``Host: localhost``,
    which ``header_host`` (or the settings' ``gooddata_header_host``) provides.
    """
    missing = [name for name, value in (("GOODDATA_HOST", settings.gooddata_host),
                                        ("GOODDATA_TOKEN", settings.gooddata_token)) if not value]
    if missing:
        raise GoodDataError(
            f"{' and '.join(missing)} not set: export GOODDATA_HOST (e.g. http://localhost:3000) "
            "and GOODDATA_TOKEN (an API token of your GoodData organisation; see docs/gooddata.md)"
        )
    header_host = header_host or settings.gooddata_header_host
    return GoodDataSdk.create(settings.gooddata_host, settings.gooddata_token, Host=header_host)


def data_source(warehouse_url: str | None) -> CatalogDataSourcePostgres:
    """The ``spotify_warehouse`` data source for a ``postgresql://user:pw@host:port/db`` URL."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if not warehouse_url:
        raise GoodDataError(
            "no warehouse URL: set DATABASE_URL (or GOODDATA_WAREHOUSE_URL, the URL under which "
            "the GoodData server reaches PostgreSQL, e.g. postgresql://user:pw@postgres:5432/db)"
        )
    try:
        url = make_url(warehouse_url)
    except ArgumentError as exc:
        raise GoodDataError(f"warehouse URL is not a database URL ({exc})") from exc
    if url.get_backend_name() != "postgresql" or not url.host or not url.database:
        raise GoodDataError(
            f"GoodData reads the PostgreSQL warehouse; the warehouse URL {url!r} is not "
            "postgresql://user:password@host:port/database"
        )
    return CatalogDataSourcePostgres(
        id=DATA_SOURCE_ID,
        name=DATA_SOURCE_NAME,
        schema=WAREHOUSE_SCHEMA,
        db_specific_attributes=PostgresAttributes(
            host=url.host, port=str(url.port or 5432), db_name=url.database
        ),
        credentials=BasicCredentials(username=url.username or "", password=url.password or ""),
    )


def _call(settings: config.Settings, what: str, fn: Callable[[], T]) -> T:
    """Run one SDK call; HTTP and connection failures become a GoodDataError saying what to do."""
    from gooddata_api_client.exceptions import ApiException
    from urllib3.exceptions import HTTPError

    host = settings.gooddata_host
    try:
        return fn()
    except ApiException as exc:
        hint = {401: "check GOODDATA_TOKEN", 403: "the token lacks the rights to do this",
                404: "run `spotify-lake gooddata deploy` first"}.get(exc.status, "see the body")
        raise GoodDataError(
            f"GoodData at {host} refused to {what}: HTTP {exc.status} {exc.reason} ({hint}); "
            f"body: {str(exc.body)[:300]}"
        ) from exc
    except HTTPError as exc:
        raise GoodDataError(
            f"cannot reach GoodData at {host} to {what} ({exc.__class__.__name__}): is it running? "
            "(docker compose --profile gooddata up -d, then wait for its healthcheck)"
        ) from exc


def deploy(
    settings: config.Settings,
    layout: Path = LAYOUT_DIR,
    warehouse_url: str | None = None,
    header_host: str | None = None,
) -> dict[str, Any]:
    """Create or update the data source and the workspace, then put the LDM and the analytics.

    Idempotent: every step replaces what is there. The layout is validated before anything is
    sent, so a broken layout never reaches the server.
    """
    model, analytics = load_model(layout), load_analytics(layout)
    problems = validate(model, analytics)
    if problems:
        raise GoodDataError(f"{layout}: the layout has {len(problems)} problem(s), nothing was "
                            "deployed:\n  " + "\n  ".join(problems))
    sdk = connect(settings, header_host)
    source = data_source(warehouse_url or settings.database_url)
    ds_outcome = _call(settings, f"create or update data source {DATA_SOURCE_ID}",
                       lambda: sdk.catalog_data_source.create_or_update_data_source(source))
    ws_outcome = _call(settings, f"create or update workspace {WORKSPACE_ID}",
                       lambda: sdk.catalog_workspace.create_or_update(
                           CatalogWorkspace(workspace_id=WORKSPACE_ID, name=WORKSPACE_NAME)))
    content = sdk.catalog_workspace_content
    _call(settings, "put the logical data model",
          lambda: content.put_declarative_ldm(WORKSPACE_ID, model))
    _call(settings, "put the analytics model",
          lambda: content.put_declarative_analytics_model(WORKSPACE_ID, analytics))
    log.info("GoodData workspace %s deployed to %s", WORKSPACE_ID, settings.gooddata_host)
    return {"host": settings.gooddata_host, "workspace": WORKSPACE_ID,
            "data_source": ds_outcome.value, "workspace_outcome": ws_outcome.value,
            **summary(model, analytics)}


def store(
    settings: config.Settings, layout: Path = LAYOUT_DIR, header_host: str | None = None
) -> dict[str, Any]:
    """Pull the workspace's LDM and analytics (e.g. edits made in the UI) back to ``layout``."""
    sdk = connect(settings, header_host)
    content = sdk.catalog_workspace_content
    model = _call(settings, f"read the logical model of {WORKSPACE_ID}",
                  lambda: content.get_declarative_ldm(WORKSPACE_ID))
    # ACTIVITY_INFO (who/when edited) would make every pull a diff; it is not part of the model.
    analytics = _call(settings, f"read the analytics model of {WORKSPACE_ID}",
                      lambda: content.get_declarative_analytics_model(
                          WORKSPACE_ID, exclude=["ACTIVITY_INFO"]))
    write_layout(model, analytics, layout)
    return {"host": settings.gooddata_host, "workspace": WORKSPACE_ID, "layout": str(layout),
            **summary(model, analytics)}


def refresh_cache(settings: config.Settings) -> dict[str, Any]:
    """Invalidate GoodData's caches of the warehouse after a load; skipped when not configured."""
    if not (settings.gooddata_host and settings.gooddata_token):
        log.info("GoodData is not configured (GOODDATA_HOST/GOODDATA_TOKEN unset): "
                 "skipping the cache refresh")
        return {"status": "skipped", "reason": "GOODDATA_HOST/GOODDATA_TOKEN not set"}
    sdk = connect(settings)
    _call(settings, f"refresh the cache of data source {DATA_SOURCE_ID}",
          lambda: sdk.catalog_data_source.register_upload_notification(DATA_SOURCE_ID))
    log.info("GoodData cache of %s refreshed at %s", DATA_SOURCE_ID, settings.gooddata_host)
    return {"status": "refreshed", "data_source": DATA_SOURCE_ID, "host": settings.gooddata_host}
