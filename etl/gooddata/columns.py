"""Checks that every dataset's table and columns exist with a compatible type.

Offline against the curated Arrow schemas (``etl/curated_schemas.py``), and against a real
PostgreSQL warehouse through ``information_schema`` when a database URL is given.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from gooddata_sdk import CatalogDeclarativeModel

from etl.curated_schemas import CURATED
from etl.gooddata.layout import WAREHOUSE_SCHEMA
from etl.gooddata.references import where

#: GoodData column data type -> PostgreSQL ``information_schema.columns.data_type`` accepted.
PG_TYPES = {
    "STRING": {"text", "character varying", "character"},
    "INT": {"smallint", "integer", "bigint"},
    "NUMERIC": {"smallint", "integer", "bigint", "numeric", "real", "double precision"},
    "BOOLEAN": {"boolean"},
    "DATE": {"date"},
    "TIMESTAMP": {"timestamp without time zone"},
    "TIMESTAMP_TZ": {"timestamp with time zone"},
}


def dataset_columns(model: CatalogDeclarativeModel) -> dict[str, tuple[str, str, dict[str, str]]]:
    """``{dataset id: (schema, table, {column: GoodData data type})}`` of every mapped column."""
    out = {}
    for ds in model.ldm.datasets if model.ldm else []:
        table_id = ds.data_source_table_id
        if table_id is None:
            continue
        path = table_id.path or [WAREHOUSE_SCHEMA, table_id.id]
        columns: dict[str, str] = {}
        for at in ds.attributes or []:
            columns[at.source_column] = at.source_column_data_type
            columns.update({lb.source_column: lb.source_column_data_type for lb in at.labels})
        columns.update({f.source_column: f.source_column_data_type for f in ds.facts or []})
        for ref in ds.references:
            columns.update({s.column: s.data_type for s in ref.sources or []})
        out[ds.id] = (path[0], path[-1], columns)
    return out


def _arrow_ok(gd_type: str | None, arrow: pa.DataType) -> bool:
    checks = {
        "STRING": pa.types.is_string(arrow) or pa.types.is_large_string(arrow),
        "INT": pa.types.is_integer(arrow),
        "NUMERIC": pa.types.is_integer(arrow) or pa.types.is_floating(arrow)
        or pa.types.is_decimal(arrow),
        "BOOLEAN": pa.types.is_boolean(arrow),
        "DATE": pa.types.is_date(arrow),
        "TIMESTAMP": pa.types.is_timestamp(arrow) and arrow.tz is None,
        "TIMESTAMP_TZ": pa.types.is_timestamp(arrow) and arrow.tz is not None,
    }
    return checks.get(gd_type or "", False)


def check_schemas(model: CatalogDeclarativeModel) -> list[str]:
    """Every mapped table/column is in ``etl.curated_schemas.CURATED`` with a compatible type."""
    problems = []
    for ds_id, (schema, table, columns) in dataset_columns(model).items():
        if schema != WAREHOUSE_SCHEMA or table not in CURATED:
            problems.append(f"{where('dataset', ds_id)}: table {schema}.{table} is not a "
                            f"curated table (etl/curated_schemas.py)")
            continue
        arrow = CURATED[table]
        for column, gd_type in sorted(columns.items()):
            if column not in arrow.names:
                problems.append(f"{where('dataset', ds_id)}: column {table}.{column} is not in "
                                f"etl/curated_schemas.py")
            elif not _arrow_ok(gd_type, arrow.field(column).type):
                problems.append(f"{where('dataset', ds_id)}: {table}.{column} is "
                                f"{arrow.field(column).type}, the layout says {gd_type}")
    return problems


def warehouse_columns(database_url: str, schema: str) -> dict[str, dict[str, str]]:
    """``{table: {column: data_type}}`` of one PostgreSQL schema."""
    import psycopg

    url = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select table_name, column_name, data_type from information_schema.columns"
            " where table_schema = %s",
            (schema,),
        ).fetchall()
    tables: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, {})[column] = data_type
    return tables


def check_database(model: CatalogDeclarativeModel, database_url: str) -> list[str]:
    """Every mapped table/column exists in the PostgreSQL warehouse with a compatible type."""
    found: dict[str, Any] = {}
    problems = []
    for ds_id, (schema, table, columns) in dataset_columns(model).items():
        if schema not in found:
            found[schema] = warehouse_columns(database_url, schema)
        actual = found[schema].get(table)
        if actual is None:
            problems.append(f"{where('dataset', ds_id)}: table {schema}.{table} does not exist "
                            f"in the warehouse (run the migrations in sql/ first)")
            continue
        for column, gd_type in sorted(columns.items()):
            if column not in actual:
                problems.append(f"{where('dataset', ds_id)}: column {schema}.{table}.{column} "
                                f"does not exist in the warehouse")
            elif actual[column] not in PG_TYPES.get(gd_type or "", set()):
                problems.append(f"{where('dataset', ds_id)}: {schema}.{table}.{column} is "
                                f"{actual[column]} in the warehouse, the layout says {gd_type}")
    return problems
