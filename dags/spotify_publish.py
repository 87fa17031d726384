"""spotify_publish: clean → curated → quality checks → warehouse → GoodData cache, per user."""

from __future__ import annotations

import logging
from datetime import datetime

from airflow.sdk import Param, dag, get_current_context, task, task_group
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

from etl import airflow_support as af
from etl import pipeline

log = logging.getLogger(__name__)

DOC_MD = """
### spotify_publish

Runs when **spotify_ingest** updated the asset `spotify_lake_clean` (for the users it
ingested), or by hand with **Trigger** (for every user with data, or the one you name):

1. **select_users** - whose data to publish.
2. **publish.curate** - clean → curated Parquet (star schema and aggregates).
3. **publish.check** - quality checks on the curated tables. A failed check fails the run
   here, naming the check, and nothing is loaded.
4. **publish.load** - curated → warehouse in one transaction (pool `spotify_warehouse`, one
   slot, so loads never overlap).
5. **refresh_gooddata** - refreshes the GoodData workspace cache when GoodData is configured.

Params: `user` (publish only this user), `full_refresh` (rebuild the clean layer from raw
first and reload the warehouse even if unchanged - after changing `SPOTIFY_LAKE_TIMEZONE`, or
to repair the lake or the warehouse).
Settings: Variable `spotify_lake_root` (else `SPOTIFY_LAKE_ROOT`), Connection
`spotify_warehouse` (else `DATABASE_URL`; neither: the embedded DuckDB file in the lake).
"""


PARAMS = {
    "user": Param(
        None,
        type=["null", "string"],
        pattern=r"^[a-z0-9_-]{1,64}$",
        description="Publish only this user (empty: every user with data).",
    ),
    "full_refresh": Param(
        False,
        type="boolean",
        description="Rebuild the clean layer from raw before curating.",
    ),
}


@task
def select_users(params: dict | None = None, triggering_asset_events=None) -> list[str]:
    """The ``user`` param, else the users the triggering ingest named, else everyone."""
    settings = af.lake_settings()
    users, why = af.choose_users(params or {}, triggering_asset_events, settings)
    if not users:
        raise AirflowSkipException(f"no user has data in {settings.lake_root}: ingest first")
    log.info("publishing %s (%s)", ", ".join(users), why)
    return users


@task(map_index_template="{{ user }}")
def curate(user: str, params: dict | None = None) -> dict:
    """Clean → curated for one user (after a rebuild from raw when ``full_refresh``)."""
    get_current_context()["user"] = user
    settings = af.lake_settings()
    if (params or {}).get("full_refresh"):
        log.info("%s: clean rebuilt from raw: %s", user, af.rebuild_clean(user, settings))
    return {"user": user, "curated": pipeline.curate_user(user, settings)}


@task(map_index_template="{{ user }}")
def check(curated: dict) -> dict:
    """Quality checks; a failure stops this user before the load, without retries."""
    from etl.checks import QualityCheckError

    user = get_current_context()["user"] = curated["user"]
    try:
        report = pipeline.check_user(user, af.lake_settings())
    except QualityCheckError as exc:
        message = f"{user}: quality check failed, nothing was loaded: {exc}"
        raise AirflowFailException(message) from exc
    return {"user": user, "checks": report}


@task(map_index_template="{{ user }}", pool=af.WAREHOUSE_POOL)
def load(checked: dict, params: dict | None = None) -> dict:
    """Curated → warehouse for one user in one transaction; ``full_refresh`` forces it."""
    user = get_current_context()["user"] = checked["user"]
    force = bool((params or {}).get("full_refresh"))
    return {"user": user, "loaded": af.load_user(user, af.lake_settings(), force=force)}


@task_group
def publish(user: str) -> dict:
    """One user's curate → check → load; a failure stops only that user's chain."""
    return load(check(curate(user)))


@task
def refresh_gooddata(loaded: list[dict]) -> dict:
    """Refreshes the GoodData cache after the loads; skipped when GoodData is not set up."""
    settings = af.lake_settings()
    refresh = af.gooddata_refresher()
    if refresh is None or not (settings.gooddata_host and settings.gooddata_token):
        raise AirflowSkipException("GoodData is not configured (GOODDATA_HOST/TOKEN): skipped")
    return refresh(settings)


@dag(
    dag_id="spotify_publish",
    schedule=[af.CLEAN],
    start_date=datetime(2025, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=af.DEFAULT_ARGS,
    params=PARAMS,
    doc_md=DOC_MD,
    tags=["spotify-lake", "publish", "warehouse"],
)
def spotify_publish():
    refresh_gooddata(publish.expand(user=select_users()))


spotify_publish()
