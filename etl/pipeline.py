"""The steps the Airflow DAGs and the CLI call. Each takes ids and paths, returns plain dicts.

DAG tasks pass only what these functions return (JSON-able, small) through XCom.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from etl import config
from etl.paths import Lake


def find_new_exports(settings: config.Settings) -> list[dict[str, Any]]:
    """Inputs waiting in landing: ``[{"path": str, "user": str}]`` (skips ``_processed`` etc.)."""
    from etl import intake

    return [item.as_dict() for item in intake.scan_landing(Lake(settings.lake_root), settings)]


def ingest_export(
    path: str | Path, user: str | None, settings: config.Settings, files: list[str] | None = None
) -> dict[str, Any]:
    """Landing → raw → clean for one input; moves a landing input to ``_processed``/``_rejected``.

    ``path`` and ``files`` as ``find_new_exports`` gives them (``files``: the loose JSON files of
    the folder ``path`` that form one input).

    Returns ``{"status": "ingested"|"skipped"|"rejected", "user", "export_id", "message", ...}``.
    Never raises for bad input: a rejected input is reported in the result.
    """
    from etl import ingest, intake

    if files:
        folder = Path(path)
        owner = user or settings.default_user
        inp = intake.Input(folder, owner, "files", tuple(folder / f for f in sorted(files)))
        return ingest.ingest_one(inp, settings)
    return ingest.ingest_input(Path(path), user, settings)


def curate_user(user: str, settings: config.Settings) -> dict[str, Any]:
    """Clean → curated Parquet for one user. Returns row counts per curated table."""
    from etl import curate

    return curate.curate_user(Lake(settings.lake_root), user, settings)


def check_user(user: str, settings: config.Settings) -> dict[str, Any]:
    """Quality checks on one user's curated tables; raises ``checks.QualityCheckError``."""
    from etl import checks

    return checks.check_curated(Lake(settings.lake_root), user).raise_for_failures().as_dict()


def load_user(user: str, settings: config.Settings, *, force: bool = False) -> dict[str, Any]:
    """Curated → warehouse (PostgreSQL if ``DATABASE_URL`` else embedded DuckDB).

    Unchanged curated files are a no-op (``{"status": "unchanged"}``) unless ``force``.
    """
    from etl import warehouse

    return warehouse.load_user(Lake(settings.lake_root), user, settings, force=force)


def publish_user(user: str, settings: config.Settings) -> dict[str, Any]:
    """curate → checks → load for one user; a failed check stops before the load."""
    counts = curate_user(user, settings)
    report = check_user(user, settings)
    loaded = load_user(user, settings)
    return {"user": user, "curated": counts, "checks": report, "loaded": loaded}


def users_with_data(settings: config.Settings) -> list[str]:
    return Lake(settings.lake_root).raw_users()


def rebuild_clean(user: str, settings: config.Settings) -> dict[str, int]:
    """Recreate one user's clean layer from raw alone (a DAG's ``full_refresh``)."""
    from etl.rebuild import rebuild_user

    return rebuild_user(Lake(settings.lake_root), user)
