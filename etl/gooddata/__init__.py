"""GoodData workspace kept as code: declarative YAML in ``layouts/``, provisioned by gooddata-sdk.

``spotify-lake gooddata deploy|store|check`` (see ``cli.py``) and :func:`refresh_cache`, which the
publish DAG calls after a warehouse load. Importing this package stays light: the SDK is imported
only by the functions that talk to a server.
"""

from __future__ import annotations

from typing import Any

from etl import config


def refresh_cache(settings: config.Settings) -> dict[str, Any]:
    """Tell GoodData the warehouse changed (a no-op, logged, when GoodData is not configured)."""
    from etl.gooddata.deploy import refresh_cache as _refresh_cache

    return _refresh_cache(settings)
