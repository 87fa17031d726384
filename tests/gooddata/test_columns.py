"""Every dataset's table and columns exist, with a compatible type, in the curated schemas and in
the real PostgreSQL warehouse built from sql/."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
import yaml

from etl.curated_schemas import CURATED
from etl.gooddata.check import check_layout
from etl.gooddata.columns import check_database, check_schemas, dataset_columns
from etl.gooddata.layout import load_model


def test_every_mapped_column_has_a_data_type() -> None:
    for ds_id, (schema, table, columns) in dataset_columns(load_model()).items():
        assert schema == "curated" and table in CURATED, ds_id
        assert all(columns.values()), f"{ds_id}: column without sourceColumnDataType"


def test_columns_match_the_curated_arrow_schemas() -> None:
    assert check_schemas(load_model()) == []


def test_offline_check_catches_an_unknown_column(layout_copy: Path) -> None:
    path = layout_copy / "ldm/datasets/dim_artists.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["attributes"][1]["labels"][0]["sourceColumn"] = "artist_title"
    path.write_text(yaml.safe_dump(doc, sort_keys=True))
    assert check_layout(layout_copy).problems == [
        "ldm/datasets/dim_artists.yaml: column dim_artists.artist_title is not in "
        "etl/curated_schemas.py"]


@pytest.mark.postgres
def test_columns_exist_in_the_warehouse(warehouse: str) -> None:
    model = load_model()
    assert check_database(model, warehouse) == []
    mapped = sum(len(cols) for _, _, cols in dataset_columns(model).values())
    assert mapped == 63


@pytest.mark.postgres
def test_warehouse_check_catches_missing_and_retyped_columns(warehouse: str) -> None:
    with psycopg.connect(warehouse, autocommit=True) as conn:
        conn.execute("alter table curated.dim_tracks drop column track_name")
        conn.execute("alter table curated.fact_streams alter column ms_played type text")
        conn.execute("drop table curated.dim_platforms")
    assert check_database(load_model(), warehouse) == [
        "ldm/datasets/dim_platforms.yaml: table curated.dim_platforms does not exist in the "
        "warehouse (run the migrations in sql/ first)",
        "ldm/datasets/dim_tracks.yaml: column curated.dim_tracks.track_name does not exist in "
        "the warehouse",
        "ldm/datasets/fact_streams.yaml: curated.fact_streams.ms_played is text in the "
        "warehouse, the layout says INT",
    ]


@pytest.mark.postgres
def test_check_reports_an_empty_warehouse(pg_url: str) -> None:
    problems = check_layout(database_url=pg_url).problems
    assert len(problems) == 8
    assert all("does not exist in the warehouse" in p for p in problems)
