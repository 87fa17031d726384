"""``spotify-lake gooddata …``: deploy, store and check the declarative GoodData workspace."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from etl import config
from etl.gooddata.layout import LAYOUT_DIR, LayoutError

_header_host_option = click.option(
    "--header-host", envvar="GOODDATA_HEADER_HOST", default=None,
    help="Host header to send (GoodData CE reached as http://gooddata:3000 needs 'localhost') "
         "[env GOODDATA_HEADER_HOST].",
)
_layout_option = click.option(
    "--layout", type=click.Path(path_type=Path, file_okay=False), default=LAYOUT_DIR,
    show_default="the layout shipped in etl/gooddata/layouts",
    help="Workspace layout folder (holds ldm/ and analytics_model/).",
)


def _run(fn: Callable[[], Any]) -> Any:
    """Run a command body; a user-facing failure becomes a one-paragraph error and exit 1."""
    from etl.gooddata.deploy import GoodDataError

    try:
        return fn()
    except (GoodDataError, LayoutError, config.ConfigError) as exc:
        raise click.ClickException(str(exc)) from exc


def _echo_counts(result: dict[str, Any]) -> None:
    click.echo(", ".join(f"{result[k]} {k.replace('_', ' ')}" for k in
                         ("datasets", "date_datasets", "metrics", "visualisations", "dashboards")))


@click.group()
def gooddata() -> None:
    """GoodData workspace as code: the declarative YAML in etl/gooddata/layouts.

    \b
    GOODDATA_HOST and GOODDATA_TOKEN point at the server (deploy, store);
    check needs neither.
    """


@gooddata.command()
@_layout_option
@_header_host_option
@click.option("--warehouse-url", envvar="GOODDATA_WAREHOUSE_URL", default=None,
              help="PostgreSQL URL as the GoodData server reaches it "
                   "[env GOODDATA_WAREHOUSE_URL; default: DATABASE_URL].")
def deploy(layout: Path, header_host: str | None, warehouse_url: str | None) -> None:
    """Create/update the data source and the workspace, then put the model and dashboards.

    Idempotent: run it again after any change to the layout.

    \b
    Example:
      GOODDATA_HOST=http://localhost:3000 GOODDATA_TOKEN=… spotify-lake gooddata deploy
    """
    from etl.gooddata import deploy as provisioning

    result = _run(lambda: provisioning.deploy(config.load(), layout, warehouse_url, header_host))
    click.echo(f"Data source spotify_warehouse {result['data_source']}, workspace "
               f"{result['workspace']} {result['workspace_outcome']} at {result['host']}")
    _echo_counts(result)
    click.echo(f"Open {result['host']}/dashboards/#/workspace/{result['workspace']}")


@gooddata.command()
@_layout_option
@_header_host_option
def store(layout: Path, header_host: str | None) -> None:
    """Pull the workspace (e.g. edits made in the GoodData UI) back into the layout on disk.

    Replaces ldm/ and analytics_model/ in the layout folder; review with `git diff`.

    \b
    Example:
      spotify-lake gooddata store && git diff etl/gooddata/layouts
    """
    from etl.gooddata import deploy as provisioning

    result = _run(lambda: provisioning.store(config.load(), layout, header_host))
    click.echo(f"Stored workspace {result['workspace']} from {result['host']} "
               f"into {result['layout']}")
    _echo_counts(result)


@gooddata.command()
@_layout_option
@click.option("--database-url", default=None,
              help="Also check tables and columns in this PostgreSQL warehouse "
                   '(e.g. "$DATABASE_URL").')
def check(layout: Path, database_url: str | None) -> None:
    """Validate the layout offline: it loads, every id it uses exists, KPIs match etl/kpis.py,
    and every mapped column exists in the curated schemas (and the warehouse, if given).

    \b
    Example:
      spotify-lake gooddata check --database-url "$DATABASE_URL"
    """
    from etl.gooddata.check import check_layout

    report = _run(lambda: check_layout(layout, database_url))
    _echo_counts(report.counts)
    if not report.ok:
        for problem in report.problems:
            click.echo(f"  {problem}", err=True)
        raise click.ClickException(f"{len(report.problems)} problem(s) in {layout}")
    click.echo(f"Layout OK: {layout}")
