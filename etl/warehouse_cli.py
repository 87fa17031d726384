"""``spotify-lake db upgrade|status`` and ``spotify-lake sql``: thin commands over etl.warehouse."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from etl import config

MAX_TABLE_ROWS = 200

lake_option = click.option(
    "--lake",
    type=click.Path(path_type=Path, file_okay=False),
    help="Lake root folder (default: $SPOTIFY_LAKE_ROOT or ./data_lake).",
)


def _warehouse(lake: Path | None, migrate: bool = True):
    from etl.warehouse import Warehouse, WarehouseError

    try:
        settings = config.load()
        if lake:
            settings = settings.with_(lake_root=lake.resolve())
        return Warehouse.from_settings(settings, migrate=migrate)
    except (config.ConfigError, WarehouseError) as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
def db() -> None:
    """The warehouse schema: versioned migrations from sql/ (PostgreSQL or embedded DuckDB)."""


@db.command()
@lake_option
def upgrade(lake: Path | None) -> None:
    """Apply every pending migration in sql/ to the configured warehouse.

    Loads and queries do this on their own at start; run it to prepare an empty warehouse.

    \b
    Example:
      spotify-lake db upgrade
      DATABASE_URL=postgresql://me@localhost/spotify spotify-lake db upgrade
    """
    from etl.warehouse import WarehouseError

    wh = _warehouse(lake, migrate=False)
    try:
        ran = wh.upgrade()
    except WarehouseError as exc:
        raise click.ClickException(str(exc)) from None
    for m in ran:
        click.echo(f"{m['version']:04d} {m['name']}: {m['outcome']}")
    click.echo(f"{wh.target}: {'up to date' if not ran else f'{len(ran)} migration(s) run'}")


@db.command("status")
@lake_option
def db_status(lake: Path | None) -> None:
    """List every migration and whether the configured warehouse has it.

    \b
    Example:
      spotify-lake db status
    """
    from etl import migrations
    from etl.warehouse import WarehouseError

    wh = _warehouse(lake, migrate=False)
    try:
        rows = migrations.status(wh)
    except WarehouseError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Warehouse: {wh.kind} at {wh.target}")
    for row in rows:
        only = f" [{row['engine']} only]" if row["engine"] else ""
        click.echo(f"{row['version']:04d} {row['name']}{only}: {row['state']}")
    if any(row["state"] != "applied" and not row["state"].startswith("skipped") for row in rows):
        sys.exit(1)


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{pair!r} is not name=value", param_hint="--param")
        params[name] = value
    return params


def _refusal(exc: Exception) -> str | None:
    """The message for a refused write, or None when ``exc`` is another error."""
    text = str(exc)
    if "read-only" in text or "read only" in text:
        first = text.splitlines()[0]
        return f"refused: `spotify-lake sql` runs read-only statements only ({first})"
    return None


@click.command()
@click.argument("statement")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A value for :NAME in the statement (text; repeatable).")  # fmt: skip
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (every row) instead of a table.")
@lake_option
def sql(statement: str, params: tuple[str, ...], as_csv: bool, lake: Path | None) -> None:
    """Run ONE read-only SQL statement on the warehouse and print its rows.

    The tables are in schema `curated` on both PostgreSQL and DuckDB. Writes are refused.

    \b
    Example:
      spotify-lake sql "select local_date, minutes_played from curated.daily_listening
                        where user_id = :user order by local_date desc limit 7" -p user=me
      spotify-lake sql "select * from curated.dim_artists" --csv > artists.csv
    """
    wh = _warehouse(lake)
    try:
        frame = wh.query(statement, _params(params))
    except click.ClickException:
        raise
    except Exception as exc:  # noqa: BLE001 - any database error becomes a one-line message
        message = _refusal(exc) or f"the warehouse ({wh.kind}) rejected the statement: {exc}"
        raise click.ClickException(message) from None
    if as_csv:
        click.echo(frame.to_csv(index=False), nl=False)
        return
    _print_table(frame)


def _print_table(frame) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for name in frame.columns:
        table.add_column(str(name))
    for row in frame.head(MAX_TABLE_ROWS).itertuples(index=False):
        table.add_row(*(_cell(v) for v in row))
    console = Console()
    console.print(table)
    more = len(frame) - MAX_TABLE_ROWS
    console.print(f"{len(frame)} row(s)" + (f", {more} not shown (use --csv)" if more > 0 else ""))


def _cell(value) -> str:
    """NULL as blank; a whole float (a bigint sum) without ".0"."""
    import pandas as pd

    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
