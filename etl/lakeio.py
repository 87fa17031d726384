"""Atomic Parquet writes: a layer's file is written beside its target and renamed into place."""

from __future__ import annotations

import contextlib
import fcntl
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

COMPRESSION = "zstd"
ROW_GROUP = 131_072


def write_parquet(table: pa.Table, path: Path, schema: pa.Schema) -> None:
    """Cast ``table`` to ``schema`` and write it to ``path`` atomically (temp file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(
            table.select(schema.names).cast(schema),
            tmp,
            compression=COMPRESSION,
            row_group_size=ROW_GROUP,
            write_statistics=True,
        )
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def stream_to_parquet(sql: str, params: dict, path: Path, schema: pa.Schema) -> int:
    """Write a DuckDB query's rows to ``path`` batch by batch (atomic); return the row count."""
    from etl.sqlrun import reader

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    rows = 0
    try:
        with (
            reader(sql, params, ROW_GROUP) as batches,
            pq.ParquetWriter(tmp, schema, compression=COMPRESSION, write_statistics=True) as writer,
        ):
            for batch in batches:
                writer.write_batch(batch.select(schema.names).cast(schema))
                rows += batch.num_rows
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return rows


def copy_parquet(src: Path, path: Path, schema: pa.Schema) -> int:
    """Copy ``schema``'s columns of ``src`` to ``path`` batch by batch (atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    rows = 0
    try:
        with pq.ParquetWriter(tmp, schema, compression=COMPRESSION, write_statistics=True) as w:
            for batch in pq.ParquetFile(src).iter_batches(ROW_GROUP, columns=schema.names):
                w.write_batch(batch.cast(schema))
                rows += batch.num_rows
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return rows


def read_parquet(path: Path, schema: pa.Schema) -> pa.Table:
    """The table at ``path``, or an empty one of ``schema`` when there is none yet."""
    if not path.exists():
        return schema.empty_table()
    return pq.read_table(path, schema=schema)


@contextlib.contextmanager
def user_lock(lock_dir: Path, user: str) -> Iterator[None]:
    """Serialise writers of one user's clean and curated files across processes."""
    lock_dir.mkdir(parents=True, exist_ok=True)
    with (lock_dir / f"user={user}.lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
