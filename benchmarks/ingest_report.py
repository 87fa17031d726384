"""The benchmark's table: seconds, peak RSS, ratios to the floors, budgets with PASS/FAIL."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Budgets:
    full_vs_floor: float = 2.0  # landing → warehouse, × the floor with COPY
    peak_rss_mb: float = 1536.0  # 1.5 GB
    redrop_s: float = 1.0


def _state(r: dict | None) -> str | None:
    """None when the stage ran; otherwise why there is no figure."""
    if r is None:
        return "not run"
    if "unavailable" in r:
        return f"not available ({_short(r['unavailable'])})"
    if "failed" in r:
        return f"FAILED ({_short(r['failed'])})"
    return None


def _short(message: str) -> str:
    return message.split(" (/")[0].splitlines()[0][:90]


def _ratio(seconds: float | None, base: float | None) -> str:
    return f"{seconds / base:.2f}×" if seconds is not None and base else ""


def _line(name, seconds=None, rss=None, floor=None, floor_nc=None, budget="", result="", note=""):
    secs = f"{seconds:8.2f}" if seconds is not None else " " * 8
    mem = f"{rss:9.0f}" if rss is not None else " " * 9
    print(
        f"{name:<30}{secs}  {mem}  {_ratio(seconds, floor):>8}  {_ratio(seconds, floor_nc):>9}"
        f"  {budget:<16}{result:<6}{note}"
    )


def _floors(res: dict) -> tuple[float | None, float | None]:
    f = res.get("floor", {})
    if _state(f):
        return None, None
    no_copy = f["unzip_s"] + f["parse_s"]
    return (f["seconds"] if "copy_s" in f else None), no_copy


def _print_floor(res: dict) -> None:
    f = res.get("floor")
    if _state(f):
        _line("floor", note=_state(f))
        return
    _line("  unzip", f["unzip_s"])
    _line("  DuckDB read_json (audio)", f["parse_s"], note=f"{f['rows']:,} rows")
    if "copy_s" in f:
        _line("  COPY → unlogged PG table", f["copy_s"], note=f"{f['copied']:,} rows")
        _line("floor", f["seconds"], f["rss_mb"], f["seconds"])
    else:
        _line("floor (COPY)", note="not available (no PostgreSQL)")
    _line("floor without COPY", f["unzip_s"] + f["parse_s"], f["rss_mb"])


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else "PASS" if ok else "FAIL"


def _print_generate(g: dict) -> None:
    if "seconds" not in g:
        _line("generate export", note=_state(g) or "given with --export")
        return
    note = (
        f"era {g['era']} ({g['schema']}), zip {g['zip_bytes'] / 1e6:.0f} MB, "
        f"JSON {g['json_bytes'] / 1e6:.0f} MB, {g['duplicates']:,} duplicate rows"
    )
    _line("generate export", g["seconds"], g["rss_mb"], note=note)


def _print_pipeline(name: str, r: dict | None, floor, floor_nc) -> None:
    if _state(r):
        _line(name, note=_state(r))
        return
    note = f"status {r.get('status')}"
    if r.get("streams") is not None:
        note += f", {r['streams']:,} clean streams"
    if r.get("fact_streams") is not None:
        note += f", {r['fact_streams']:,} fact_streams in {r.get('engine')}"
    _line(name, r["seconds"], r["rss_mb"], floor, floor_nc, note=note)


def print_report(label: str, res: dict, budgets: Budgets) -> str:
    """Print the table; return "PASS", "FAIL" or "INCOMPLETE" (a budget could not be measured)."""
    floor, floor_nc = _floors(res)
    print(f"\nSpotify Lake ingest benchmark: {label}")
    print(
        f"{'stage':<30}{'seconds':>8}  {'peak RSS':>9}  {'× floor':>8}  {'× no COPY':>9}"
        f"  {'budget':<16}result"
    )
    _print_generate(res.get("generate", {}))
    _print_floor(res)
    ing, pub, red = res.get("ingest"), res.get("publish"), res.get("redrop")
    _print_pipeline("landing → clean (ingest)", ing, floor, floor_nc)
    _print_pipeline("clean → warehouse (publish)", pub, floor, floor_nc)
    checks = _full(ing, pub, floor, floor_nc, budgets) + _redrop(red, budgets)
    if any(ok is False for ok in checks):
        return "FAIL"
    return "INCOMPLETE" if any(ok is None for ok in checks) else "PASS"


def _full(ing, pub, floor, floor_nc, budgets: Budgets) -> list[bool | None]:
    ran = [r for r in (ing, pub) if not _state(r)]
    full = sum(r["seconds"] for r in ran) if len(ran) == 2 else None
    rss = max((r["rss_mb"] for r in ran), default=None)
    ok_time = None if full is None or floor is None else full <= budgets.full_vs_floor * floor
    ok_rss = None if rss is None else rss <= budgets.peak_rss_mb
    note = "" if full is not None else "needs ingest, publish and the COPY floor"
    _line(
        "full: landing → warehouse",
        full,
        rss if full is not None else None,
        floor,
        floor_nc,
        f"≤ {budgets.full_vs_floor:.1f}× floor",
        _verdict(ok_time),
        note,
    )
    _line(
        "peak RSS (ingest, publish)",
        None,
        rss,
        budget=f"≤ {budgets.peak_rss_mb:.0f} MB",
        result=_verdict(ok_rss),
    )
    return [ok_time, ok_rss]


def _redrop(red, budgets: Budgets) -> list[bool | None]:
    if _state(red):
        _line(
            "re-drop same export",
            budget=f"≤ {budgets.redrop_s:.0f} s, skipped",
            result="n/a",
            note=_state(red),
        )
        return [None]
    ok = red["seconds"] <= budgets.redrop_s and red.get("status") == "skipped"
    _line(
        "re-drop same export",
        red["seconds"],
        red["rss_mb"],
        budget=f"≤ {budgets.redrop_s:.0f} s, skipped",
        result=_verdict(ok),
        note=f"status {red.get('status')}",
    )
    return [ok]
