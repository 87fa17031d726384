"""Arrow record batches → PostgreSQL binary COPY data, built by Arrow and numpy, not per value.

Binary COPY costs PostgreSQL less than half the CPU of CSV: no text parsing of numbers, dates
and timestamps. Each field is ``<int32 length><big-endian value>`` (length -1 for NULL), each
row ``<int16 field count><fields…>``; every field is encoded column-wise and the rows are
assembled with ``binary_join_element_wise``, whose value buffer then is the COPY data.

Types: bool, int32 → integer, int64 → bigint, float64 → double precision, string → text,
date32 → date, timestamp[us] → timestamp, timestamp[us, tz=UTC] → timestamptz.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
TRAILER = struct.pack(">h", -1)
NULL_FIELD = pa.scalar(struct.pack(">i", -1), pa.binary())
PG_EPOCH_DAYS = 10_957  # 1970-01-01 → 2000-01-01
PG_EPOCH_US = PG_EPOCH_DAYS * 86_400 * 1_000_000
BATCH_ROWS = 32_768


def _fixed(arr: pa.Array, values: np.ndarray, big_endian: str) -> pa.Array:
    """Fixed-width values as length-prefixed binary fields; NULL as the -1 length."""
    rec = np.empty(len(arr), dtype=[("len", ">i4"), ("val", big_endian)])
    rec["len"] = np.dtype(big_endian).itemsize
    rec["val"] = values
    width = rec.dtype.itemsize
    fixed = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(width), len(arr), [None, pa.py_buffer(rec.view(np.uint8))]
    )
    out = fixed.cast(pa.binary())
    return pc.if_else(arr.is_valid(), out, NULL_FIELD) if arr.null_count else out


def _text(arr: pa.Array) -> pa.Array:
    raw = arr.cast(pa.binary())
    lengths = pc.fill_null(pc.binary_length(raw), 0).to_numpy(zero_copy_only=False)
    prefix = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(4), len(arr), [None, pa.py_buffer(lengths.astype(">i4").view(np.uint8))]
    ).cast(pa.binary())
    return pc.fill_null(pc.binary_join_element_wise(prefix, raw, b""), NULL_FIELD)


def _numbers(arr: pa.Array, as_type: pa.DataType, offset: int = 0) -> np.ndarray:
    """Values as numpy (NULLs as 0: their bytes are replaced by the NULL marker anyway)."""
    values = pc.fill_null(arr.cast(as_type), 0).to_numpy(zero_copy_only=False)
    return values - offset if offset else values


def field(arr: pa.Array) -> pa.Array:
    """One column of a batch as binary COPY fields."""
    typ = arr.type
    if pa.types.is_string(typ) or pa.types.is_large_string(typ):
        return _text(arr)
    if pa.types.is_boolean(typ):
        values = pc.fill_null(arr, False).to_numpy(zero_copy_only=False).astype(np.uint8)
        return _fixed(arr, values, "u1")
    if pa.types.is_int32(typ):
        return _fixed(arr, _numbers(arr, pa.int32()), ">i4")
    if pa.types.is_int64(typ):
        return _fixed(arr, _numbers(arr, pa.int64()), ">i8")
    if pa.types.is_float64(typ):
        return _fixed(arr, _numbers(arr, pa.float64()), ">f8")
    if pa.types.is_date32(typ):
        return _fixed(arr, _numbers(arr, pa.int32(), PG_EPOCH_DAYS), ">i4")
    if pa.types.is_timestamp(typ) and typ.unit == "us" and typ.tz in (None, "UTC"):
        return _fixed(arr, _numbers(arr, pa.int64(), PG_EPOCH_US), ">i8")
    raise TypeError(f"no binary COPY encoding for Arrow type {typ}")


def encode(batch: pa.RecordBatch) -> memoryview:
    """The COPY data of one batch (rows only: no header, no trailer)."""
    count = pa.scalar(struct.pack(">h", batch.num_columns), pa.binary())
    rows = pc.binary_join_element_wise(count, *(field(col) for col in batch.columns), b"")
    _, offsets, data = rows.buffers()
    bounds = np.frombuffer(offsets, np.int32, count=len(rows) + 1, offset=4 * rows.offset)
    return memoryview(data)[bounds[0] : bounds[-1]]


def parquet_chunks(path: Path, schema: pa.Schema) -> Iterator[memoryview | bytes]:
    """The whole binary COPY stream of a Parquet file cast to ``schema``, batch by batch."""
    yield HEADER
    for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS, columns=schema.names):
        if batch.num_rows:
            yield encode(batch.cast(schema))
    yield TRAILER
