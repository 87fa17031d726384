"""The Dash app factory: pages from ``dashboard/pages``, the header and the global filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dash
from dash import Input, Output, ctx, html

from dashboard import components, db
from dashboard.state import sync_filters

PAGES = Path(__file__).resolve().parent / "pages"
CONTROLS = (
    ("filters-user", "value"), ("filters-period", "value"), ("filters-content", "value"),
    ("filters-range", "start_date"), ("filters-range", "end_date"),
)  # fmt: skip
SYNC_OUTPUTS = (
    ("_pages_location", "search"), ("filters-user", "options"), ("filters-user", "value"),
    ("filters-period", "options"), ("filters-period", "value"), ("filters-content", "value"),
    ("filters-range", "start_date"), ("filters-range", "end_date"),
    ("filters-range", "min_date_allowed"), ("filters-range", "max_date_allowed"),
)  # fmt: skip


def layout() -> html.Div:
    return html.Div(
        [components.header(), components.filter_bar(),
         html.Main(dash.page_container, className="main")],  # fmt: skip
        className="app",
    )


def _register_callbacks(app: dash.Dash) -> None:
    @app.callback(
        [Output(i, p) for i, p in SYNC_OUTPUTS],
        Input("_pages_location", "search"),
        [Input(i, p) for i, p in CONTROLS],
    )
    def sync(search: str | None, *values: Any) -> list[Any]:
        """URL ⇄ filter controls: a changed control rewrites the URL, a URL sets the controls."""
        out = sync_filters(ctx.triggered_id, search, *values)
        return [out.get(f"{i}.{p}", dash.no_update) for i, p in SYNC_OUTPUTS]

    @app.callback(
        [Output(f"nav-{name}", "href") for name, _, _ in components.NAV],
        Input("_pages_location", "search"),
    )
    def nav(search: str | None) -> list[str]:
        """Keep the filters when moving between pages."""
        return components.nav_hrefs(search or "")


def create_app(warehouse: Any = None, **dash_kwargs: Any) -> dash.Dash:
    """Build the app; ``warehouse`` overrides the one from the environment (tests)."""
    if warehouse is not None:
        db.use(warehouse)
    app = dash.Dash(
        "dashboard",  # the package: page modules import as dashboard.pages.<name>
        use_pages=True,
        pages_folder=str(PAGES),
        title="Spotify Lake",
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
        **dash_kwargs,
    )
    app.layout = layout
    _register_callbacks(app)
    return app
