"""Runs Airflow for the DAG tests in a child process, so its config and DB never leak into pytest.

    python tests/dags/dag_runner.py dagbag
    python tests/dags/dag_runner.py test <dag_id>[=<run conf as JSON>] ...

``test`` runs the DAGs one after the other in this one process (Airflow's in-process execution
API costs seconds to start, once per process).

Reads everything from the environment (AIRFLOW_HOME, AIRFLOW__CORE__DAGS_FOLDER, …) and prints
one line ``RESULT <json>`` at the end; the rest of the output is Airflow's own (task logs).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def _bag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=os.environ["AIRFLOW__CORE__DAGS_FOLDER"])


def describe_dagbag() -> dict[str, Any]:
    """Import errors, warnings and the settings every DAG must carry."""
    bag = _bag()
    dags = {}
    for dag_id, dag in bag.dags.items():
        dags[dag_id] = {
            "tags": sorted(dag.tags),
            "doc_md": dag.doc_md or "",
            "catchup": dag.catchup,
            "max_active_runs": dag.max_active_runs,
            "start_date": dag.start_date.isoformat() if dag.start_date else None,
            "default_args": {k: str(v) for k, v in dag.default_args.items()},
            "tasks": {
                t.task_id: {
                    "retries": t.retries,
                    "backoff": t.retry_exponential_backoff,
                    "pool": t.pool,
                    "outlets": [getattr(o, "uri", str(o)) for o in t.outlets],
                    "mapped": t.is_mapped or bool(t.get_closest_mapped_task_group()),
                }
                for t in dag.tasks
            },
            "timetable": type(dag.timetable).__name__,
            "schedule_assets": _assets(dag.timetable),
            "params": sorted(dag.params.keys()),
        }
    return {
        "import_errors": {str(k): str(v) for k, v in bag.import_errors.items()},
        "warnings": {str(k): list(map(str, v)) for k, v in bag.captured_warnings.items()},
        "dags": dags,
    }


def _assets(timetable) -> list[str]:
    condition = getattr(timetable, "asset_condition", None)
    return [asset.uri for asset in getattr(condition, "objects", [])]


def _xcoms(session, dag_id: str, run_id: str) -> dict[str, Any]:
    from airflow.models.xcom import XComModel
    from sqlalchemy import select

    rows = session.scalars(
        select(XComModel).where(
            XComModel.dag_id == dag_id, XComModel.run_id == run_id, XComModel.key == "return_value"
        )
    )
    out: dict[str, Any] = {}
    for row in rows:
        key = row.task_id if row.map_index < 0 else f"{row.task_id}[{row.map_index}]"
        out[key] = XComModel.deserialize_value(row)
    return out


def _asset_events(session, dag_id: str, run_id: str) -> list[dict[str, Any]]:
    """The asset events this run emitted."""
    from airflow.models.asset import AssetEvent
    from sqlalchemy import select

    rows = session.scalars(
        select(AssetEvent)
        .where(AssetEvent.source_dag_id == dag_id, AssetEvent.source_run_id == run_id)
        .order_by(AssetEvent.id)
    )
    return [
        {"asset": e.asset.uri, "extra": e.extra, "source": f"{e.source_dag_id}.{e.source_task_id}"}
        for e in rows
    ]


def _value(state: Any) -> str | None:
    return getattr(state, "value", state)


def run_dag_test(bag, dag_id: str, conf: dict[str, Any] | None) -> dict[str, Any]:
    """``dag.test()`` of one DAG; returns the run's state, task instances, XComs, asset events."""
    from airflow.utils.session import create_session

    run = bag.get_dag(dag_id).test(run_conf=conf)
    with create_session() as session:
        tis = [
            {
                "task_id": ti.task_id,
                "map_index": ti.map_index,
                "label": ti.rendered_map_index,
                "state": _value(ti.state),
                "try_number": ti.try_number,
            }
            for ti in run.get_task_instances(session=session)
        ]
        return {
            "state": _value(run.state),
            "run_id": run.run_id,
            "tis": sorted(tis, key=lambda t: (t["task_id"], t["map_index"])),
            "xcom": _xcoms(session, dag_id, run.run_id),
            "asset_events": _asset_events(session, dag_id, run.run_id),
        }


def run_dag_tests(specs: list[str]) -> list[dict[str, Any]]:
    bag = _bag()
    results = []
    for spec in specs:
        dag_id, _, conf = spec.partition("=")
        results.append(run_dag_test(bag, dag_id, json.loads(conf) if conf else None))
    return results


def main(argv: list[str]) -> None:
    if argv[:1] == ["dagbag"]:
        result: Any = describe_dagbag()
    elif argv[:1] == ["test"] and len(argv) > 1:
        result = run_dag_tests(argv[1:])
    else:
        sys.exit(__doc__)
    print("RESULT " + json.dumps(result, default=str), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
