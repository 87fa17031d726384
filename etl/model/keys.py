"""Stable ids: a 16-hex md5 of normalised names, so the same name gets the same id in every run.

Normalised = trimmed and lower-cased, so "Radiohead" and "radiohead " are one artist; the dims
keep the most common spelling. Composite ids join the parts with ``|`` (a missing leading part,
e.g. a track without an artist, counts as ""). The id is null when its own (last) name is null.
Hashing runs once per distinct value (Arrow dictionary encoding), not once per play.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc

ID_CHARS = 16


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()[:ID_CHARS]


def stable_id(*names: str | None) -> str | None:
    """The id of one name tuple (the twin of :func:`ids`, for tests and look-ups)."""
    normed = [(n or "").strip().lower() for n in names]
    return _md5("|".join(normed)) if normed[-1] else None


def derived_id(prefix: str, *keys: object) -> str:
    """An id for a derived row (session, anomaly) from a fixed prefix and its key values."""
    return _md5("|".join([prefix, *("" if k is None else str(k) for k in keys)]))


def _norm(values: pa.ChunkedArray | pa.Array) -> pa.Array:
    text = pc.utf8_lower(pc.utf8_trim_whitespace(values))
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def map_distinct(values: pa.ChunkedArray | pa.Array, fn: Callable[[str], str]) -> pa.Array:
    """``fn`` applied to every distinct non-null string, spread back over all rows."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    encoded = pc.dictionary_encode(values)
    mapped = pa.array([fn(v) for v in encoded.dictionary.to_pylist()], pa.string())
    return pc.take(mapped, encoded.indices)


def ids(*parts: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Vectorised :func:`stable_id` over columns of names."""
    normed = [_norm(p) for p in parts]
    joined = pc.binary_join_element_wise(*[pc.fill_null(n, "") for n in normed], "|")
    joined = pc.if_else(pc.is_null(normed[-1]), pa.scalar(None, pa.string()), joined)
    return map_distinct(joined, _md5)
