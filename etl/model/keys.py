"""Stable ids: a 16-hex md5 of normalised names, so the same name gets the same id in every run.

Normalised = trimmed and lower-cased, so "Radiohead" and "radiohead " are one artist; the dims
keep the most common spelling. Composite ids join the parts with ``|`` (a missing leading part,
e.g. a track without an artist, counts as ""). The id is null when its own (last) name is null.
Hashing runs once per distinct value (Arrow dictionary encoding), not once per play.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np
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


Coded = tuple[np.ndarray, pa.Array]


def encode(values: pa.ChunkedArray | pa.Array) -> Coded:
    """Per row, the index of its normalised name in the returned dictionary (-1: null)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    raw = pc.dictionary_encode(values)
    normed = pc.dictionary_encode(_norm(raw.dictionary))
    # one extra slot maps a null row (index -1) to -1
    remap = np.append(pc.fill_null(normed.indices, -1).to_numpy(zero_copy_only=False), -1)
    return remap[pc.fill_null(raw.indices, -1).to_numpy(zero_copy_only=False)], normed.dictionary


def ids(*parts: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Vectorised :func:`stable_id` over columns of names."""
    return ids_of(*[encode(p) for p in parts])


def ids_of(*coded: Coded) -> pa.Array:
    """:func:`ids` of columns already passed through :func:`encode` (reuse one encoding).

    Names are normalised per distinct value and hashed per distinct tuple, then spread back
    over the rows, so a million plays cost a few dictionary passes, not a million md5s.
    """
    combo = np.zeros(len(coded[0][0]), dtype=np.int64)
    for codes, dictionary in coded:  # re-numbered after each part, so it never overflows
        combo = _renumber(combo * (len(dictionary) + 1) + codes + 1)
    seen = np.empty(combo.max(initial=-1) + 1, dtype=np.int64)
    seen[combo] = np.arange(len(combo))  # a row holding each distinct tuple
    normed = [pc.take(d, pa.array(c[seen], mask=c[seen] < 0)) for c, d in coded]
    joined = pc.binary_join_element_wise(*[pc.fill_null(n, "") for n in normed], "|")
    joined = pc.if_else(pc.is_null(normed[-1]), pa.scalar(None, pa.string()), joined)
    mapped = pa.array([None if v is None else _md5(v) for v in joined.to_pylist()], pa.string())
    return pc.take(mapped, pa.array(combo))


def _renumber(values: np.ndarray) -> np.ndarray:
    """Dense codes 0.. of int64 ``values`` (hash based: no sort)."""
    return pc.dictionary_encode(pa.array(values)).indices.to_numpy().astype(np.int64)
