"""``spotify-lake``: a thin command line over the library; each docstring is its --help."""

from __future__ import annotations

import importlib

import click

#: Commands that live next to the code they drive: name -> "module:attribute".
LAZY_COMMANDS = {
    "ingest": "etl.cli_ingest:ingest",
    "status": "etl.cli_ingest:status",
    "rebuild": "etl.cli_ingest:rebuild",
    "generate": "etl.synth.cli:generate",
    "db": "etl.warehouse_cli:db",
    "sql": "etl.warehouse_cli:sql",
    "dashboard": "dashboard.cli:dashboard",
    "gooddata": "etl.gooddata.cli:gooddata",
}


class LazyGroup(click.Group):
    """Imports a command's module only when that command runs (a fast --help, light imports)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module, _, attr = LAZY_COMMANDS[cmd_name].partition(":")
            try:
                return getattr(importlib.import_module(module), attr)
            except ImportError as exc:
                return _unavailable(cmd_name, exc)
        return super().get_command(ctx, cmd_name)


def _unavailable(name: str, exc: ImportError) -> click.Command:
    """A command whose optional dependencies are missing says so instead of crashing --help."""

    def run() -> None:
        raise click.ClickException(
            f"'{name}' needs a part that is not installed ({exc}); "
            "install everything with `make install`"
        )

    return click.Command(name, callback=run, help=f"(unavailable: {exc})")


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="spotify-lake")
def cli() -> None:
    """Spotify Lake: your Spotify listening history as a data lake, a warehouse and dashboards.

    \b
    Example:
      spotify-lake ingest ~/Downloads/my_spotify_data.zip
      spotify-lake status
      spotify-lake dashboard
    """


def main() -> None:
    cli()
