"""``spotify-lake generate``: a thin command over ``etl.synth.generate_export``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from etl.synth.eras import ERA_NAMES
from etl.synth.export import KINDS, MAX_PLAYS, MIN_PLAYS, generate_export


def _progress_bar(plays: int, family: str):
    """A rich progress bar over the rows of ``family`` on a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        return None, None
    from rich.progress import Progress

    bar = Progress(transient=True)
    task = bar.add_task(f"writing {family} plays", total=plays)

    def advance(kind: str, rows: int) -> None:
        if kind.startswith(family):
            bar.advance(task, rows)

    return bar, advance


@click.command()
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option(
    "--plays",
    type=click.IntRange(MIN_PLAYS, MAX_PLAYS),
    required=True,
    help="How many plays the history holds.",
)
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default="both",
    show_default=True,
    help="extended (lifetime history), account (last year) or both (same plays).",
)
@click.option(
    "--seed",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Same seed, same bytes. The seed also picks the export era.",
)
@click.option(
    "--era",
    type=click.Choice(ERA_NAMES),
    default=None,
    help="File names and spellings of one export era (default: chosen by the seed).",
)
def generate(out: Path, plays: int, kind: str, seed: int, era: str | None) -> None:
    """Write a realistic synthetic Spotify export (a "Download your data" zip) to OUT.

    Zipf popularity, listening sessions with a daily rhythm, skips, shuffle, offline plays,
    travel, podcasts, audiobooks, music videos, duplicates, playlists, library and searches,
    in the file names and field spellings of a real export era. Deterministic for a seed.

    \b
    Example:
      spotify-lake generate demo.zip --plays 50000 --kind both --seed 7
      spotify-lake ingest demo.zip
    """
    bar, advance = _progress_bar(plays, "account" if kind == "account" else "extended")
    try:
        if bar:
            bar.start()
        summary = generate_export(out, plays, kind, seed, era=era, progress=advance)
    finally:
        if bar:
            bar.stop()
    fams = ", ".join(f"{k} {v:,}" for k, v in summary["plays"].items() if v)
    click.echo(
        f"{out}: {summary['zip_bytes'] / 1e6:.1f} MB, era {summary['era']} "
        f"({summary['schema']}), plays: {fams}; {summary['duplicates']:,} duplicate rows, "
        f"{summary['first_ts']} .. {summary['last_ts']}"
    )
