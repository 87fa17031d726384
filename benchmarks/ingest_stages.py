"""One benchmark stage per process: ``python benchmarks/ingest_stages.py STAGE '{"json": "args"}'``.

Each stage prints one JSON line on stdout: ``{"seconds": …, …}`` for the timed work only
(imports and setup excluded), ``{"unavailable": "why"}`` when the pipeline function it
measures does not exist yet, or ``{"failed": "why"}``. The parent reads the peak RSS of the
process from ``os.wait4``, so every stage runs alone in a fresh interpreter.
"""

from __future__ import annotations

import json
import sys
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def not_ready(exc: BaseException) -> bool:
    """What a pipeline that is still being written raises; anything else is a real failure."""
    if isinstance(exc, (ImportError, NotImplementedError)):
        return True
    return isinstance(exc, AttributeError) and "module 'etl" in str(exc)


def generate(args: dict) -> dict:
    from etl.synth import generate_export

    start = time.perf_counter()
    summary = generate_export(
        Path(args["out"]), args["plays"], "extended", args["seed"], era=args.get("era")
    )
    seconds = time.perf_counter() - start
    raw = sum(f["bytes"] for f in summary["files"])
    keep = ("era", "schema", "zip_bytes", "duplicates", "first_ts", "last_ts")
    return {
        "seconds": seconds,
        "json_bytes": raw,
        **{k: summary[k] for k in keep},
        "audio_files": [f["path"] for f in summary["files"] if f["kind"] == "extended_audio"],
    }


def _pg_type(duck_type: str) -> str:
    return {
        "VARCHAR": "text",
        "BIGINT": "bigint",
        "BOOLEAN": "boolean",
        "DOUBLE": "double precision",
        "INTEGER": "integer",
        "UBIGINT": "numeric",
    }.get(duck_type, "text")


def _copy_into_postgres(con, pg_url: str, csv_path: Path) -> int:
    """COPY the DuckDB table ``plays`` into an unlogged PostgreSQL table, via one CSV stream."""
    import psycopg
    from psycopg import sql

    quoted = str(csv_path).replace("'", "''")  # our own temp path; COPY takes no parameters
    con.execute(f"copy plays to '{quoted}' (format csv, header false)")
    cols = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_name = 'plays' order by ordinal_position"
    ).fetchall()
    table = sql.Identifier(f"bench_floor_{int(time.time() * 1000)}")
    defs = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(_pg_type(t))) for c, t in cols
    )
    with psycopg.connect(pg_url, autocommit=True) as pg, pg.cursor() as cur:
        cur.execute(sql.SQL("create unlogged table {} ({})").format(table, defs))
        try:
            with (
                cur.copy(sql.SQL("copy {} from stdin (format csv)").format(table)) as copy,
                csv_path.open("rb") as src,
            ):
                while chunk := src.read(1 << 20):
                    copy.write(chunk)
            return cur.execute(sql.SQL("select count(*) from {}").format(table)).fetchone()[0]
        finally:
            cur.execute(sql.SQL("drop table if exists {}").format(table))


def floor(args: dict) -> dict:
    """unzip + DuckDB read_json of the audio files (+ one COPY into PostgreSQL when reachable)."""
    import duckdb

    work = Path(args["work"])
    t0 = time.perf_counter()
    with zipfile.ZipFile(args["zip"]) as zf:
        zf.extractall(work)
    t1 = time.perf_counter()
    con = duckdb.connect()
    files = [str(work / p) for p in args["audio_files"]]
    con.execute(
        "create table plays as select * from read_json(?, format = 'array', "
        "maximum_object_size = 67108864)",
        [files],
    )
    rows = con.execute("select count(*) from plays").fetchone()[0]
    t2 = time.perf_counter()
    out = {"unzip_s": t1 - t0, "parse_s": t2 - t1, "rows": rows, "seconds": t2 - t0}
    if args.get("pg"):
        copied = _copy_into_postgres(con, args["pg"], work / "plays.csv")
        out.update(copy_s=time.perf_counter() - t2, copied=copied)
        out["seconds"] = time.perf_counter() - t0
    return out


def _settings(args: dict):
    from etl import config

    env = {"SPOTIFY_LAKE_ROOT": args["lake"]}
    if args.get("pg"):
        env["DATABASE_URL"] = args["pg"]
    return config.load(env)


def _streams(settings, user: str) -> int | None:
    from etl.paths import Lake

    path = Lake(settings.lake_root).clean_file("streams", user)
    if not path.exists():
        return None
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def ingest(args: dict) -> dict:
    from etl import pipeline

    settings = _settings(args)
    start = time.perf_counter()
    result = pipeline.ingest_export(args["zip"], args["user"], settings)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "status": result.get("status"),
        "message": result.get("message"),
        "streams": _streams(settings, args["user"]),
    }


def publish(args: dict) -> dict:
    from etl import pipeline

    settings = _settings(args)
    start = time.perf_counter()
    result = pipeline.publish_user(args["user"], settings)
    seconds = time.perf_counter() - start
    loaded = result.get("loaded") or {}
    tables = loaded.get("tables") or {}
    return {
        "seconds": seconds,
        "status": loaded.get("status"),
        "engine": loaded.get("engine"),
        "fact_streams": tables.get("fact_streams"),
    }


STAGES = {
    "generate": generate,
    "floor": floor,
    "ingest": ingest,
    "publish": publish,
    "redrop": ingest,
}


def _run(stage: str, args: dict) -> dict:
    """The stage, under cProfile when ``args["profile"]`` names a directory (slower then)."""
    if not args.get("profile"):
        return STAGES[stage](args)
    import cProfile

    profiler = cProfile.Profile()
    try:
        return profiler.runcall(STAGES[stage], args)
    finally:
        profiler.dump_stats(str(Path(args["profile"]) / f"{stage}.prof"))


def main() -> None:
    stage, args = sys.argv[1], json.loads(sys.argv[2])
    try:
        out = _run(stage, args)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which prints it
        key = "unavailable" if not_ready(exc) else "failed"
        out = {key: f"{type(exc).__name__}: {exc}"}
    print(json.dumps(out, default=str), flush=True)


if __name__ == "__main__":
    main()
