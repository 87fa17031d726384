"""``generate_export``: one synthetic "Download your data" zip, deterministic for a seed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from etl.synth import account, extended, extras, jsonstyle, library
from etl.synth.columns import Lookups, iso_seconds
from etl.synth.eras import MYDATA, SAD, SESH, era_for
from etl.synth.history import History, build_history
from etl.synth.names import Namer
from etl.synth.zipout import ExportZip

KINDS = ("extended", "account", "both")
MIN_PLAYS, MAX_PLAYS = 100, 5_000_000  # fewer than 100 plays cannot show every quirk


def _check(plays: int, kind: str, seed: int) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if not MIN_PLAYS <= plays <= MAX_PLAYS:
        raise ValueError(f"plays must be between {MIN_PLAYS} and {MAX_PLAYS:,}, not {plays:,}")
    if seed < 0:
        raise ValueError(f"seed must be 0 or more, not {seed}")


class _Writer:
    """Adds members to the zip and remembers what went in."""

    def __init__(self, z: ExportZip, progress: Callable[[str, int], None] | None) -> None:
        self.z, self.progress, self.files = z, progress, []

    def add(self, path: str, kind: str, data: bytes, rows: int | None = None) -> None:
        self.z.add(path, data)
        self.files.append({"path": path, "kind": kind, "rows": rows, "bytes": len(data)})
        if rows and self.progress:
            self.progress(kind, rows)


def _write_extended(w: _Writer, rng, h: History, lk: Lookups) -> int:
    parts, dups = extended.plan(rng, h)
    for part in parts:
        if len(part.idx) == 0:
            continue
        rows = extended.rows(h, lk, part.idx)
        data = (
            jsonstyle.minified(rows)
            if part.minified
            else jsonstyle.pretty(rows, has_empty_lists=False)
        )
        w.add(part.path, part.kind, data, len(rows))
    return dups


def _write_account(w: _Writer, rng, h: History, lk: Lookups, window_only: bool, seed: int):
    plan = account.plan(rng, h, lk, window_only)
    for f in plan.files:
        w.add(f.path, f.kind, jsonstyle.classic(f.records), len(f.records))
    base, namer = h.era.account_dir, Namer(seed + 1_000_003)
    docs = [
        ("Follow.json", "follow", extras.follow(rng)),
        ("Inferences.json", "inferences", extras.inferences(rng, h)),
        ("Marquee.json", "marquee", extras.marquee(rng, h)),
        ("Playlist1.json", "playlists", library.playlists(rng, namer, h, lk)),
        ("Userdata.json", "userdata", extras.userdata(rng, h, seed)),
        ("YourLibrary.json", "library", library.your_library(rng, namer, h, lk)),
    ]
    searches = extras.search_queries(rng, h, lk)
    w.add(
        f"{base}/SearchQueries.json", "search_queries", jsonstyle.classic(searches), len(searches)
    )
    for name, kind, doc in docs:
        if doc is not None:
            w.add(f"{base}/{name}", kind, jsonstyle.pretty(doc))
    unknown = jsonstyle.pretty(extras.unknown_member(namer))
    w.add(f"{base}/CustomerServiceHistory.json", "unrecognised", unknown)
    return plan


def _readmes(w: _Writer, kind: str, era) -> None:
    if era.layout == "endsong" and era.account_style == "legacy":
        w.add(f"{MYDATA}/Read Me First.pdf", "readme", extras.README_PDF)
        return
    if kind != "extended":
        w.add(f"{SAD}/ReadMeFirst_AccountData.pdf", "readme", extras.README_PDF)
    if kind != "account":
        w.add(f"{SESH}/ReadMeFirst_ExtendedStreamingHistory.pdf", "readme", extras.README_PDF)


def generate_export(
    out: Path,
    plays: int,
    kind: str = "both",
    seed: int = 0,
    *,
    era: str | None = None,
    level: int = 6,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, Any]:
    """Write a realistic synthetic Spotify export zip to ``out``; return what it holds.

    ``kind``: ``extended`` (lifetime history), ``account`` (one year of account data) or
    ``both`` (the account data is the last year of the same plays). ``era`` (default: chosen by
    ``seed``) fixes file names, schema and formatting; see ``etl.synth.eras``. The same
    arguments give the same bytes (with the same numpy and zlib). ``progress(kind, rows)`` is
    called after each streaming file.

    The summary: ``plays`` per family, ``distinct_plays`` (what the lake's clean ``streams``
    must hold under the same-play rule), ``duplicates`` (extra exact rows), ``rows`` per member
    kind, ``files`` (path, kind, rows, bytes), era, schema, time range, ``zip_bytes``.
    """
    _check(plays, kind, seed)
    the_era = era_for(seed, era)
    h = build_history(seed, plays, the_era, account_only=kind == "account")
    lk = Lookups(h)
    rng = np.random.default_rng([seed, 1])  # the writers' draws, apart from the history's
    with ExportZip(Path(out), the_era.export_date, level) as z:
        w = _Writer(z, progress)
        plan = _write_account(w, rng, h, lk, kind == "both", seed) if kind != "extended" else None
        dups = _write_extended(w, rng, h, lk) if kind != "account" else 0
        _readmes(w, kind, the_era)
    return _summary(Path(out), kind, seed, h, plan, dups, w.files)


def _summary(out: Path, kind: str, seed: int, h: History, plan, dups: int, files) -> dict:
    rows: dict[str, int] = {}
    for f in files:
        if f["rows"] is not None and f["kind"].startswith(("extended", "account")):
            rows[f["kind"]] = rows.get(f["kind"], 0) + f["rows"]
    extended_plays = len(h) if kind != "account" else 0
    account_rows = plan.rows if plan else 0
    first, last, window = iso_seconds(np.append(h.ts[[0, -1]], h.window_start_s))
    return {
        "path": str(out),
        "zip_bytes": out.stat().st_size,
        "kind": kind,
        "seed": seed,
        "era": h.era.name,
        "schema": h.era.schema,
        "plays": {"extended": extended_plays, "account": account_rows},
        "distinct_plays": extended_plays or account_rows,
        "duplicates": dups,
        "rows": rows,
        "account_placeholders": plan.unknown if plan else 0,
        "account_drifted": plan.drifted if plan else 0,
        "first_ts": first,
        "last_ts": last,
        "account_window_start": window if kind == "both" else None,
        "files": files,
    }
