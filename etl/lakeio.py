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


def write_parquet(table: pa.Table, path: Path, schema: pa.Schema) -> None:
    """Cast ``table`` to ``schema`` and write it to ``path`` atomically (temp file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(
            table.select(schema.names).cast(schema),
            tmp,
            compression=COMPRESSION,
            row_group_size=256_000,
            write_statistics=True,
        )
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


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
