"""Turning a parsed JSON array into typed Arrow columns without losing a single bad record.

Each reader declares the fields it wants and their types; a record whose value has the wrong type
(or that is not an object at all) becomes a reject with its index and a reason, never an
exception that would throw away the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson
import pyarrow as pa

#: Keys that identify a person or a device: they stay in raw and never reach a clean table.
PII_KEYS = frozenset(
    {"username", "ip_addr", "ip_addr_decrypted", "user_agent_decrypted", "email", "user_agent"}
)

_PY_TYPES = {
    pa.string(): (str,),
    pa.int64(): (int,),
    pa.bool_(): (bool,),
    pa.float64(): (float, int),
}


@dataclass
class Reject:
    index: int
    reason: str
    record: str  # JSON text of the record without PII keys


@dataclass
class Columns:
    """Typed columns of the records that survived, plus rejects for the ones that did not."""

    table: pa.Table
    indices: pa.Array  # record index in the file of every surviving row
    rejects: list[Reject] = field(default_factory=list)


def scrub(record: object) -> str:
    if isinstance(record, dict):
        record = {k: v for k, v in record.items() if k not in PII_KEYS}
    try:
        return orjson.dumps(record, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:
        return repr(record)[:2000]


def _typed(values: list, typ: pa.DataType, name: str, bad: dict[int, str]) -> pa.Array:
    try:
        if typ == pa.int64() and any(v is True or v is False for v in values):
            raise pa.ArrowInvalid("booleans are not integers")
        return pa.array(values, type=typ)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        ok_types = _PY_TYPES[typ]
        fixed = []
        for i, v in enumerate(values):
            good = v is None or (
                type(v) in ok_types and not (typ != pa.bool_() and type(v) is bool)
            )
            if good and v is not None and typ == pa.int64() and not -(2**63) <= v < 2**63:
                good = False
            if not good:
                bad.setdefault(i, f"field {name!r} has an unexpected value {str(v)[:40]!r}")
                v = None
            fixed.append(v)
        return pa.array(fixed, type=typ)


def extract(records: list, fields: dict[str, pa.DataType]) -> Columns:
    """Columns ``fields`` (JSON key → Arrow type) of ``records``; bad records become rejects."""
    bad: dict[int, str] = {}
    objects = []
    for i, r in enumerate(records):
        if type(r) is dict:
            objects.append(r)
        else:
            bad[i] = f"record is a JSON {type(r).__name__}, not an object"
            objects.append({})
    arrays = {
        name: _typed([r.get(name) for r in objects], typ, name, bad) for name, typ in fields.items()
    }
    table = pa.table(arrays)
    indices = pa.array(range(len(records)), type=pa.int64())
    rejects = [Reject(i, reason, scrub(records[i])) for i, reason in sorted(bad.items())]
    if bad:
        keep = pa.array([i not in bad for i in range(len(records))])
        table, indices = table.filter(keep), indices.filter(keep)
    return Columns(table, indices, rejects)
