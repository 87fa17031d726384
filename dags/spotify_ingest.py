"""spotify_ingest: new exports in ``landing/`` → raw → clean, one mapped task per export."""

from __future__ import annotations

import logging
from datetime import datetime

from airflow.sdk import dag, get_current_context, task
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

from etl import airflow_support as af
from etl import pipeline

log = logging.getLogger(__name__)

DOC_MD = """
### spotify_ingest

Drop a Spotify "Download your data" export (zip, folder or JSON files) into
`data_lake/landing/` (or `landing/<user>/` for another person). Every 10 minutes this DAG
watches landing for up to 9 minutes, and at once when you trigger it by hand:

1. **wait_for_exports** - a sensor listing the inputs waiting in landing (`_processed/` and
   `_rejected/` are ignored). Nothing new before its timeout: the run is skipped, not failed.
2. **ingest** - one mapped task per input: raw copy + manifest, then the clean Parquet tables.
   The input moves to `landing/_processed/`; one that cannot be read moves to
   `landing/_rejected/` next to a `.reason.txt`, and only that input's task fails, saying why.
3. **announce** - when something new was ingested, updates the asset `spotify_lake_clean`,
   which starts **spotify_publish** for the users concerned.
4. **report** - counts what happened; fails the run if an input was rejected, so it shows red.

Settings: Variable `spotify_lake_root`, else the environment variable `SPOTIFY_LAKE_ROOT`.
"""


def _all(outcomes) -> list[dict]:
    """The results of the mapped ingest tasks that succeeded.

    One slice reads them all; iterating would end on a logged "XCom not found" for a failed one.
    """
    return [o for o in outcomes[:] if o]




@task(map_index_template="{{ input_label }}")
def ingest(item: dict) -> dict:
    """Raw → clean for one input; a rejected input fails this task only, without retries."""
    get_current_context()["input_label"] = af.input_label(item)
    settings = af.lake_settings()
    result = pipeline.ingest_export(item["path"], item.get("user"), settings, item.get("files"))
    outcome = af.ingest_outcome(item, result)
    if outcome["status"] == "rejected":
        raise AirflowFailException(outcome["message"])
    log.info("%s: %s", outcome["status"], outcome["message"])
    return outcome


@task(outlets=[af.CLEAN], trigger_rule="all_done_min_one_success")
def announce(outcomes: list[dict]) -> list[str]:
    """Updates the clean asset, naming the users, when at least one export was new."""
    users = sorted({user for o in _all(outcomes) for user in o["ingested_users"]})
    if not users:
        raise AirflowSkipException("nothing new was ingested: the clean layer is unchanged")
    get_current_context()["outlet_events"][af.CLEAN].extra = {"users": users}
    return users


@task(trigger_rule="all_done")
def report(found: list[dict] | None, outcomes: list[dict]) -> dict:
    """Counts per status; fails if an input has no result (it was rejected or crashed)."""
    if not found:
        raise AirflowSkipException("no new input appeared in landing")
    done = {o["path"]: o["status"] for o in _all(outcomes)}
    missing = [item["path"] for item in found if item["path"] not in done]
    if missing:
        raise AirflowFailException(
            f"{len(missing)} of {len(found)} inputs were not ingested: {missing}. Read the "
            "failed ingest task's log; a rejected file waits in landing/_rejected/ with a "
            ".reason.txt - fix or replace it, then drop it into landing again."
        )
    return {status: list(done.values()).count(status) for status in ("ingested", "skipped")}


@dag(
    dag_id="spotify_ingest",
    schedule="*/10 * * * *",
    start_date=datetime(2025, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=af.DEFAULT_ARGS,
    doc_md=DOC_MD,
    tags=["spotify-lake", "ingest"],
)
def spotify_ingest():
    # Reschedule mode frees the worker slot between pokes; the sensor never touches the files.
    found = af.LandingSensor(
        task_id="wait_for_exports",
        poke_interval=30,
        timeout=9 * 60,
        mode="reschedule",
        soft_fail=True,
    ).output
    outcomes = ingest.expand(item=found)
    announce(outcomes) >> report(found, outcomes)


spotify_ingest()
