"""The workspace layout on disk: where it lives, how to load it and how to write it back.

The folder holds gooddata-sdk's own layout of one workspace (``ldm/…``, ``analytics_model/…``,
one YAML file per object, keys sorted), so the SDK's ``load_from_disk``/``store_to_disk`` read
and write it unchanged.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from gooddata_sdk import CatalogDeclarativeAnalytics, CatalogDeclarativeModel

WORKSPACE_ID = "spotify_lake"
WORKSPACE_NAME = "Spotify Lake"
DATA_SOURCE_ID = "spotify_warehouse"
DATA_SOURCE_NAME = "Spotify Lake warehouse"
WAREHOUSE_SCHEMA = "curated"

#: The layout shipped with the package (in a checkout: the repo's copy, which ``store`` updates).
LAYOUT_DIR = Path(__file__).resolve().parent / "layouts" / "workspaces" / WORKSPACE_ID

#: The sub-folders that make up the layout; ``store`` replaces exactly these.
PARTS = ("ldm", "analytics_model")


class LayoutError(ValueError):
    """The layout on disk is missing or cannot be read; the message names the folder."""


def load_model(folder: Path = LAYOUT_DIR) -> CatalogDeclarativeModel:
    """The logical data model (datasets and the date dataset) from ``folder/ldm``."""
    _require(folder / "ldm")
    try:
        return CatalogDeclarativeModel.load_from_disk(folder)
    except (ValueError, TypeError, KeyError) as exc:
        raise LayoutError(f"{folder / 'ldm'}: cannot load the logical model ({exc})") from exc


def load_analytics(folder: Path = LAYOUT_DIR) -> CatalogDeclarativeAnalytics:
    """Metrics, visualisations, filter contexts and dashboards from ``folder/analytics_model``."""
    _require(folder / "analytics_model")
    try:
        return CatalogDeclarativeAnalytics.load_from_disk(folder)
    except (ValueError, TypeError, KeyError) as exc:
        raise LayoutError(
            f"{folder / 'analytics_model'}: cannot load the analytics model ({exc})"
        ) from exc


def write_layout(
    model: CatalogDeclarativeModel, analytics: CatalogDeclarativeAnalytics, folder: Path
) -> None:
    """Replace ``folder``'s layout with ``model`` and ``analytics`` (sorted keys).

    Written to a temporary folder first and swapped in, so objects deleted on the server
    disappear from disk and a failure while writing leaves the previous layout in place.
    """
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
    old = Path(tempfile.mkdtemp(prefix=".old-", dir=folder))
    try:
        model.store_to_disk(staging, sort=True)
        analytics.store_to_disk(staging, sort=True)
        for part in PARTS:
            if (folder / part).exists():
                (folder / part).rename(old / part)
            (staging / part).rename(folder / part)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def yaml_files(folder: Path) -> dict[str, str]:
    """Every YAML file of the layout by relative path, with its text (for comparisons)."""
    return {
        str(path.relative_to(folder)): path.read_text(encoding="utf-8")
        for part in PARTS
        for path in sorted((folder / part).rglob("*.yaml"))
    }


def _require(path: Path) -> None:
    if not path.is_dir():
        raise LayoutError(
            f"{path} does not exist: point --layout at a workspace layout folder "
            f"(the default is {LAYOUT_DIR})"
        )
