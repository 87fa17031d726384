"""Ingest benchmark (DESIGN §9): a generated 1,000,000-play extended export, landing → clean →
warehouse, against the floor measured in the same run.

    python benchmarks/ingest.py [--plays 1000000] [--pg postgresql://postgres@127.0.0.1:5432/test]

Floor: unzip + DuckDB ``read_json`` of the audio files + one COPY of the plays into an unlogged
PostgreSQL table. Budgets: full path ≤ 2.0× floor, peak RSS ≤ 1.5 GB, re-drop ≤ 1 s ("skipped").
Every stage runs in its own process (peak RSS from ``os.wait4``); a pipeline step that does not
exist yet shows "not available". Exit status 1 when a budget fails. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from ingest_report import Budgets, print_report

HERE = Path(__file__).resolve().parent
USER = "bench"


def run_stage(name: str, args: dict, profile: str | None = None) -> dict:
    """Run one stage in a fresh interpreter; its JSON answer plus its peak RSS (MB)."""
    args = {**args, "profile": profile}
    cmd = [sys.executable, str(HERE / "ingest_stages.py"), name, json.dumps(args)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, cwd=HERE.parent)
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    lines = [ln for ln in out.splitlines() if ln.startswith("{")]
    result = json.loads(lines[-1]) if lines else {"failed": f"exit {proc.returncode}, no result"}
    result["rss_mb"] = usage.ru_maxrss / 1024  # Linux reports KiB
    return result


class PrivateDatabase:
    """A database of our own on the server (others use ``test`` concurrently); dropped after."""

    def __init__(self, admin_url: str | None) -> None:
        self.admin_url, self.url, self.error = admin_url, None, None

    def __enter__(self) -> PrivateDatabase:
        if not self.admin_url:
            self.error = "no --pg given"
            return self
        try:
            import psycopg

            self.name = f"sl_bench_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as c:
                c.execute(f'create database "{self.name}"')  # a generated identifier, not input
            self.url = self.admin_url.rsplit("/", 1)[0] + f"/{self.name}"
        except Exception as exc:  # noqa: BLE001 - the COPY/warehouse stages report it
            self.error = f"PostgreSQL unreachable: {exc}".splitlines()[0]
        return self

    def __exit__(self, *exc) -> None:
        if self.url:
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as c:
                c.execute(f'drop database if exists "{self.name}" with (force)')


def _linked(src: Path, folder: Path) -> Path:
    """The export under a fresh name per stage: a rejected input is moved, never the original."""
    folder.mkdir(parents=True, exist_ok=True)
    dst = folder / src.name
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)
    return dst


def run(opts: argparse.Namespace, work: Path, db: PrivateDatabase) -> dict:
    results: dict[str, dict] = {}
    export = Path(opts.export) if opts.export else work / "export.zip"
    gen = {"out": str(export), "plays": opts.plays, "seed": opts.seed, "era": opts.era}
    results["generate"] = run_stage("generate", gen) if not opts.export else {"skipped": True}
    audio = results["generate"].get("audio_files") or _audio_members(export)
    floor = {"zip": str(export), "work": str(work / "unzipped"), "audio_files": audio, "pg": db.url}
    results["floor"] = run_stage("floor", floor)
    shutil.rmtree(work / "unzipped", ignore_errors=True)
    lake = {"lake": str(work / "lake"), "user": USER, "pg": db.url}
    first = {**lake, "zip": str(_linked(export, work / "in1"))}
    results["ingest"] = run_stage("ingest", first, opts.profile)
    if db.url:
        results["publish"] = run_stage("publish", lake, opts.profile)
    else:
        results["publish"] = {"unavailable": db.error}
    results["redrop"] = run_stage("redrop", {**lake, "zip": str(_linked(export, work / "in2"))})
    return results


def _audio_members(export: Path) -> list[str]:
    import zipfile

    with zipfile.ZipFile(export) as zf:
        return [
            n
            for n in zf.namelist()
            if n.rsplit("/", 1)[-1].startswith(("Streaming_History_Audio", "endsong"))
        ]


def _options(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--plays", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=3, help="3 picks the range-2025 era (E3)")
    p.add_argument("--era", default=None, help="override the seed's export era")
    p.add_argument(
        "--pg",
        default="postgresql://postgres@127.0.0.1:5432/test",
        help="admin URL; a private database is created on that server and dropped",
    )
    p.add_argument("--no-pg", action="store_true", help="skip the COPY floor and the warehouse")
    p.add_argument("--export", help="use this extended export zip instead of generating one")
    p.add_argument("--workdir", help="where the temp dir goes (default: the system temp)")
    p.add_argument("--keep", action="store_true", help="keep the temp dir (export, lake)")
    p.add_argument("--json", dest="json_out", help="also write the results as JSON here")
    p.add_argument("--profile", help="cProfile ingest and publish into DIR/<stage>.prof (slower)")
    opts = p.parse_args(argv)
    if opts.profile:
        opts.profile = str(Path(opts.profile).resolve())
        Path(opts.profile).mkdir(parents=True, exist_ok=True)
    return opts


def main(argv: list[str] | None = None) -> int:
    opts = _options(argv)
    work = Path(tempfile.mkdtemp(prefix="spotify_lake_bench_", dir=opts.workdir))
    try:
        with PrivateDatabase(None if opts.no_pg else opts.pg) as db:
            results = run(opts, work, db)
    finally:
        if not opts.keep:
            shutil.rmtree(work, ignore_errors=True)
    label = f"export {opts.export}" if opts.export else f"{opts.plays:,} generated plays"
    verdict = print_report(label, results, Budgets())
    if opts.json_out:
        Path(opts.json_out).write_text(json.dumps({"plays": opts.plays, **results}, indent=2))
    if opts.keep:
        print(f"kept: {work}")
    return 1 if verdict == "FAIL" else 0


if __name__ == "__main__":
    sys.exit(main())
