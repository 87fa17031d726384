"""``spotify-lake dashboard``: serve the Dash app (Flask's server; gunicorn in the container)."""

from __future__ import annotations

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. Only this machine can connect unless you change it.")
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535),
              help="TCP port to listen on.")
@click.option("--debug", is_flag=True, help="Dash debug mode: reloads on code changes.")
def dashboard(host: str, port: int, debug: bool) -> None:
    """Serve the dashboard in the browser (reads PostgreSQL if DATABASE_URL is set, else the
    embedded DuckDB warehouse of the lake).

    \b
    Example:
      spotify-lake dashboard                  # http://127.0.0.1:8050
      spotify-lake dashboard --port 9000
    """
    from dashboard.app import create_app

    click.echo(f"Spotify Lake dashboard on http://{host}:{port}/  (Ctrl+C stops it)")
    # no version check: the debug UI would call plotly's servers from the user's browser
    create_app().run(host=host, port=port, debug=debug, dev_tools_disable_version_check=True)
