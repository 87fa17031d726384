"""``check``: offline validation of the layout (load, cross-references, KPIs, columns)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gooddata_sdk import CatalogDeclarativeAnalytics, CatalogDeclarativeModel

from etl.gooddata import columns, references
from etl.gooddata.layout import LAYOUT_DIR, load_analytics, load_model


@dataclass
class CheckReport:
    folder: Path
    counts: dict[str, int]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def summary(
    model: CatalogDeclarativeModel, analytics: CatalogDeclarativeAnalytics
) -> dict[str, int]:
    """How many objects of each kind the layout holds."""
    ldm, layer = model.ldm, analytics.analytics
    return {
        "datasets": len(ldm.datasets) if ldm else 0,
        "date_datasets": len(ldm.date_instances) if ldm else 0,
        "metrics": len(layer.metrics) if layer else 0,
        "visualisations": len(layer.visualization_objects) if layer else 0,
        "dashboards": len(layer.analytical_dashboards) if layer else 0,
    }


def validate(model: CatalogDeclarativeModel, analytics: CatalogDeclarativeAnalytics) -> list[str]:
    """Every offline problem: LDM structure, ids in analytics, KPI metadata, curated columns."""
    return (
        references.check_ldm(model)
        + references.check_analytics(model, analytics)
        + references.check_kpis(analytics)
        + columns.check_schemas(model)
    )


def check_layout(folder: Path = LAYOUT_DIR, database_url: str | None = None) -> CheckReport:
    """Load the layout with gooddata-sdk and validate it; with ``database_url`` also the warehouse.

    Raises ``layout.LayoutError`` when the layout cannot be loaded at all.
    """
    model, analytics = load_model(folder), load_analytics(folder)
    report = CheckReport(folder, summary(model, analytics), validate(model, analytics))
    if database_url:
        report.problems += columns.check_database(model, database_url)
    return report
