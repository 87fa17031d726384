"""The lake commands: ingest, status, rebuild."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from etl import config
from etl.paths import Lake


def _settings(lake: Path | None) -> config.Settings:
    try:
        settings = config.load()
    except config.ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    return settings.with_(lake_root=lake.resolve()) if lake else settings


def _progress(total: int, label: str):
    """A rich progress bar on a terminal; nothing when output is piped or in CI."""
    from rich.progress import Progress

    progress = Progress(disable=not sys.stderr.isatty(), transient=True)
    return progress, progress.add_task(label, total=total)


lake_option = click.option(
    "--lake",
    type=click.Path(path_type=Path, file_okay=False),
    help="Lake root folder (default: $SPOTIFY_LAKE_ROOT or ./data_lake).",
)


def _publish(users: list[str], settings: config.Settings) -> bool:
    """curate → checks → warehouse for each user; False if any step failed."""
    from etl import pipeline

    ok = True
    for user in users:
        try:
            out = pipeline.publish_user(user, settings)
        except Exception as exc:  # noqa: BLE001 - report every user, then fail
            click.secho(f"{user}: publish failed: {exc}", fg="red", err=True)
            ok = False
            continue
        loaded = out["loaded"]
        click.echo(
            f"{user}: warehouse {loaded.get('status', 'loaded')} "
            f"({out['curated'].get('fact_streams', 0):,} plays)"
        )
    return ok


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=False))
@click.option(
    "--user",
    help="Whose data this is (default: from landing/<user>/ or $SPOTIFY_LAKE_USER or 'me').",
)
@lake_option
@click.option("--no-publish", is_flag=True, help="Stop after the clean layer.")
def ingest(paths: tuple[Path, ...], user: str | None, lake: Path | None, no_publish: bool) -> None:
    """Ingest Spotify exports: landing → raw → clean → curated → warehouse.

    PATHS are zips as downloaded from Spotify, extracted folders, loose JSON files, or the
    landing folder itself. Exit status 1 if any input (or a file inside one) was rejected;
    rejected inputs move to landing/_rejected/ with a .reason.txt.

    \b
    Example:
      spotify-lake ingest ~/Downloads/my_spotify_data.zip
      spotify-lake ingest data_lake/landing --user alice
    """
    from etl import ingest as ingest_mod
    from etl.intake import InputError, resolve

    settings = _settings(lake)
    try:
        inputs = resolve(list(paths), user, Lake(settings.lake_root), settings)
    except (InputError, config.ConfigError) as exc:
        raise click.UsageError(str(exc)) from None
    failed, users = False, []
    progress, task = _progress(len(inputs), "ingesting")
    with progress:
        for inp in inputs:
            result = ingest_mod.ingest_one(inp, settings)
            progress.advance(task)
            rejected = result["status"] == "rejected" or result.get("rejected_members")
            failed |= bool(rejected)
            click.secho(result["message"], fg="red" if rejected else None, err=bool(rejected))
            for member in result.get("rejected_members", []):
                click.secho(f"  rejected: {member['reason']}", fg="red", err=True)
            if result["status"] == "ingested" or (result["status"] == "skipped"):
                users.append(result["user"])
    if not inputs:
        click.echo("Nothing to ingest: landing is empty.")
    if users and not no_publish:
        failed |= not _publish(sorted(set(users)), settings)
    sys.exit(1 if failed else 0)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@lake_option
def status(as_json: bool, lake: Path | None) -> None:
    """Show what the lake holds: per user, exports, rows per table, rejects, first/last play.

    \b
    Example:
      spotify-lake status
      spotify-lake status --json | jq '.users[0].clean'
    """
    from etl.status import lake_status

    report = lake_status(_settings(lake))
    if as_json:
        click.echo(json.dumps(report, indent=2, default=str))
        return
    from etl.status import render

    render(report)


@click.command()
@click.option("--user", "users", multiple=True, help="Only this user (repeatable).")
@lake_option
@click.option("--no-publish", is_flag=True, help="Stop after the clean layer.")
def rebuild(users: tuple[str, ...], lake: Path | None, no_publish: bool) -> None:
    """Recreate clean, curated and the warehouse from raw alone (byte-identical clean files).

    Use it after changing SPOTIFY_LAKE_TIMEZONE, or to recover a damaged lake.

    \b
    Example:
      SPOTIFY_LAKE_TIMEZONE=Europe/Berlin spotify-lake rebuild
    """
    from etl.rebuild import rebuild_user

    settings = _settings(lake)
    lake_ = Lake(settings.lake_root)
    chosen = list(users) or lake_.raw_users()
    for user in chosen:
        counts = rebuild_user(lake_, user)
        click.echo(f"{user}: clean rebuilt ({counts['streams']:,} plays)")
    if chosen and not no_publish and not _publish(chosen, settings):
        sys.exit(1)
