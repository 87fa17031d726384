"""Offline cross-reference checks of the layout: every id a model object uses exists.

Each check returns a list of problems, one sentence each, starting with the file it concerns.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from gooddata_sdk import CatalogDeclarativeAnalytics, CatalogDeclarativeModel

from etl.kpis import KPIS

MAQL_REF = re.compile(r"\{(metric|fact|label|attribute|dataset)/([^}\s]+)\}")

#: GoodData's id suffix of each date granularity (``<date dataset id>.<suffix>``).
GRANULARITY_SUFFIX = {
    "DAY": "day", "WEEK": "week", "MONTH": "month", "QUARTER": "quarter", "YEAR": "year",
    "DAY_OF_WEEK": "dayOfWeek", "DAY_OF_MONTH": "dayOfMonth", "DAY_OF_YEAR": "dayOfYear",
    "WEEK_OF_YEAR": "weekOfYear", "MONTH_OF_YEAR": "monthOfYear",
    "QUARTER_OF_YEAR": "quarterOfYear",
}

#: Folder (under the workspace layout) of each kind of object, for readable messages.
FOLDERS = {
    "dataset": "ldm/datasets", "metric": "analytics_model/metrics",
    "visualizationObject": "analytics_model/visualization_objects",
    "filterContext": "analytics_model/filter_contexts",
    "analyticalDashboard": "analytics_model/analytical_dashboards",
}


def where(kind: str, obj_id: str) -> str:
    return f"{FOLDERS[kind]}/{obj_id}.yaml"


def catalog(model: CatalogDeclarativeModel, analytics: CatalogDeclarativeAnalytics) -> dict:
    """Every id in the workspace by type (the types MAQL and visualisation content use)."""
    ldm, layer = model.ldm, analytics.analytics
    ids: dict[str, set[str]] = {k: set() for k in (
        "dataset", "attribute", "label", "fact", "metric", "visualizationObject",
        "filterContext", "analyticalDashboard")}
    for ds in ldm.datasets if ldm else []:
        ids["dataset"].add(ds.id)
        for at in ds.attributes or []:
            ids["attribute"].add(at.id)
            ids["label"].add(at.id)  # an attribute's own column is its primary label, same id
            ids["label"].update(lb.id for lb in at.labels)
        ids["fact"].update(f.id for f in ds.facts or [])
    for date in ldm.date_instances if ldm else []:
        ids["dataset"].add(date.id)
        for granularity in date.granularities:
            suffix = GRANULARITY_SUFFIX.get(granularity, granularity.lower())
            ids["attribute"].add(f"{date.id}.{suffix}")
            ids["label"].add(f"{date.id}.{suffix}")
    if layer:
        ids["metric"].update(m.id for m in layer.metrics)
        ids["visualizationObject"].update(v.id for v in layer.visualization_objects)
        ids["filterContext"].update(f.id for f in layer.filter_contexts)
        ids["analyticalDashboard"].update(d.id for d in layer.analytical_dashboards)
    return ids


def maql_references(maql: str) -> list[tuple[str, str]]:
    """``[(type, id)]`` of every ``{type/id}`` in a MAQL expression."""
    return MAQL_REF.findall(maql)


def content_references(content: Any) -> Iterator[tuple[str, str]]:
    """``(type, id)`` of every ``identifier: {id, type}`` object in visualisation/dashboard JSON."""
    if isinstance(content, dict):
        ident = content.get("identifier")
        if isinstance(ident, dict) and {"id", "type"} <= ident.keys():
            yield ident["type"], ident["id"]
        for value in content.values():
            yield from content_references(value)
    elif isinstance(content, list):
        for value in content:
            yield from content_references(value)


def check_analytics(
    model: CatalogDeclarativeModel, analytics: CatalogDeclarativeAnalytics
) -> list[str]:
    """Ids used by metrics (MAQL), visualisations, filter contexts and dashboards exist."""
    ids = catalog(model, analytics)
    layer = analytics.analytics
    problems: list[str] = []
    for metric in layer.metrics if layer else []:
        for kind, ref in maql_references(metric.content.get("maql", "")):
            if ref not in ids[kind]:
                problems.append(f"{where('metric', metric.id)}: MAQL uses {{{kind}/{ref}}}, "
                                f"which is not in the workspace")
    objects = [("visualizationObject", o) for o in (layer.visualization_objects if layer else [])]
    objects += [("filterContext", o) for o in (layer.filter_contexts if layer else [])]
    objects += [("analyticalDashboard", o) for o in (layer.analytical_dashboards if layer else [])]
    for kind, obj in objects:
        for ref_kind, ref in content_references(obj.content):
            if ref not in ids.get(ref_kind, ()):
                problems.append(f"{where(kind, obj.id)}: uses {ref_kind} {ref!r}, "
                                f"which is not in the workspace")
        if kind == "visualizationObject":
            problems += [f"{where(kind, obj.id)}: {p}" for p in _local_id_problems(obj.content)]
    return problems


def _local_id_problems(content: dict) -> list[str]:
    """Measure references inside one visualisation point at measures it defines."""
    measures = {item["measure"]["localIdentifier"]
                for bucket in content.get("buckets", []) for item in bucket.get("items", [])
                if "measure" in item}
    used = set(_values_of(content, "measureIdentifier"))
    used |= {f["rankingFilter"]["measure"]["localIdentifier"]
             for f in content.get("filters", []) if "rankingFilter" in f}
    return [f"refers to measure {name!r}, which no bucket defines"
            for name in sorted(used - measures)]


def _values_of(content: Any, key: str) -> Iterator[Any]:
    if isinstance(content, dict):
        for k, v in content.items():
            if k == key:
                yield v
            yield from _values_of(v, key)
    elif isinstance(content, list):
        for v in content:
            yield from _values_of(v, key)


def check_kpis(analytics: CatalogDeclarativeAnalytics) -> list[str]:
    """Every KPI in ``etl/kpis.py`` is a metric with the same id, title, description and format."""
    layer = analytics.analytics
    metrics = {m.id: m for m in (layer.metrics if layer else [])}
    problems = []
    for kpi in KPIS.values():
        metric = metrics.get(kpi.id)
        if metric is None:
            problems.append(f"{where('metric', kpi.id)}: missing; etl/kpis.py defines "
                            f"KPI {kpi.id!r}")
            continue
        wanted = {"title": kpi.title, "description": kpi.description, "format": kpi.fmt}
        found = {"title": metric.title, "description": metric.description,
                 "format": metric.content.get("format")}
        problems += [f"{where('metric', kpi.id)}: {key} is {found[key]!r}, etl/kpis.py says "
                     f"{wanted[key]!r}" for key in wanted if found[key] != wanted[key]]
    return problems


def check_ldm(model: CatalogDeclarativeModel) -> list[str]:
    """Grains, default labels, references and id uniqueness inside the logical model."""
    ldm = model.ldm
    datasets = {ds.id: ds for ds in (ldm.datasets if ldm else [])}
    dates = {d.id for d in (ldm.date_instances if ldm else [])}
    problems: list[str] = []
    every_id: Counter[str] = Counter()
    for ds in datasets.values():
        attrs = {at.id: at for at in ds.attributes or []}
        every_id.update(list(attrs))
        every_id.update(lb.id for at in attrs.values() for lb in at.labels)
        every_id.update(f.id for f in ds.facts or [])
        problems += [f"{where('dataset', ds.id)}: grain {g.id!r} is not one of its attributes"
                     for g in ds.grain if g.id not in attrs]
        for at in attrs.values():
            if at.default_view and at.default_view.id not in {lb.id for lb in at.labels} | {at.id}:
                problems.append(f"{where('dataset', ds.id)}: default label "
                                f"{at.default_view.id!r} of {at.id!r} does not exist")
        for ref in ds.references:
            problems += [f"{where('dataset', ds.id)}: {p}"
                         for p in _reference_problems(ref, datasets, dates)]
    problems += [f"ldm: id {i!r} is used {n} times (attribute, label and fact ids must be unique)"
                 for i, n in sorted(every_id.items()) if n > 1]
    return problems


def _reference_problems(ref: Any, datasets: dict, dates: set[str]) -> list[str]:
    target = ref.identifier.id
    sources = ref.sources or []
    if not sources:
        return [f"reference to {target!r} has no sources (columns)"]
    if target in dates:
        return [f"date reference to {target!r} must target ({target!r}, date)"
                for s in sources if (s.target.id, s.target.type) != (target, "date")]
    if target not in datasets:
        return [f"references dataset {target!r}, which does not exist"]
    grain = {g.id for g in datasets[target].grain}
    targets = {s.target.id for s in sources}
    if targets != grain or len(sources) != len(grain):
        return [f"reference to {target!r} maps {sorted(targets)}; its grain is {sorted(grain)}"]
    types = {at.id: at.source_column_data_type for at in datasets[target].attributes or []}
    return [f"reference column {s.column!r} is {s.data_type}, {target}.{s.target.id} is "
            f"{types[s.target.id]}" for s in sources if s.data_type != types[s.target.id]]
