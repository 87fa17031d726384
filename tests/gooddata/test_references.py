"""Every id used in MAQL, visualisations and dashboards exists; broken layouts are caught."""

from __future__ import annotations

from pathlib import Path

import yaml

from etl.gooddata import references
from etl.gooddata.check import check_layout, validate
from etl.gooddata.layout import load_analytics, load_model


def _edit(path: Path, change) -> None:
    doc = yaml.safe_load(path.read_text())
    change(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=True))


def test_shipped_layout_has_no_problems() -> None:
    report = check_layout()
    assert report.problems == []
    assert report.counts == {"datasets": 8, "date_datasets": 1, "metrics": 12,
                             "visualisations": 16, "dashboards": 2}


def test_every_maql_reference_resolves() -> None:
    model, analytics = load_model(), load_analytics()
    ids = references.catalog(model, analytics)
    used = [ref for m in analytics.analytics.metrics
            for ref in references.maql_references(m.content["maql"])]
    assert {kind for kind, _ in used} == {"metric", "fact", "label", "attribute"}
    assert [(kind, ref) for kind, ref in used if ref not in ids[kind]] == []


def test_every_visualisation_and_dashboard_reference_resolves() -> None:
    model, analytics = load_model(), load_analytics()
    ids = references.catalog(model, analytics)
    layer = analytics.analytics
    used = [ref for obj in (*layer.visualization_objects, *layer.analytical_dashboards,
                            *layer.filter_contexts)
            for ref in references.content_references(obj.content)]
    kinds = {kind for kind, _ in used}
    assert kinds == {"metric", "label", "dataset", "visualizationObject", "filterContext"}
    assert [(kind, ref) for kind, ref in used if ref not in ids[kind]] == []
    on_dashboards = {ref for d in layer.analytical_dashboards
                     for kind, ref in references.content_references(d.content)
                     if kind == "visualizationObject"}
    assert on_dashboards == {v.id for v in layer.visualization_objects}


def test_maql_references_parser() -> None:
    maql = 'SELECT {metric/a} / COUNT({attribute/b.c}, {attribute/d}) WHERE {label/e} = "x"'
    assert references.maql_references(maql) == [
        ("metric", "a"), ("attribute", "b.c"), ("attribute", "d"), ("label", "e")]


def test_unknown_metric_in_maql_is_reported(layout_copy: Path) -> None:
    _edit(layout_copy / "analytics_model/metrics/skip_rate.yaml",
          lambda d: d["content"].update(maql="SELECT {metric/skipz} / {metric/plays}"))
    assert check_layout(layout_copy).problems == [
        "analytics_model/metrics/skip_rate.yaml: MAQL uses {metric/skipz}, "
        "which is not in the workspace"]


def test_unknown_label_in_visualisation_is_reported(layout_copy: Path) -> None:
    path = layout_copy / "analytics_model/visualization_objects/top_artists.yaml"
    _edit(path, lambda d: d["content"]["buckets"][1]["items"][0]["attribute"]["displayForm"]
          ["identifier"].update(id="artist.nickname"))
    assert check_layout(layout_copy).problems == [
        "analytics_model/visualization_objects/top_artists.yaml: uses label "
        "'artist.nickname', which is not in the workspace"]


def test_missing_visualisation_on_dashboard_is_reported(layout_copy: Path) -> None:
    (layout_copy / "analytics_model/visualization_objects/hour_by_weekday.yaml").unlink()
    assert check_layout(layout_copy).problems == [
        "analytics_model/analytical_dashboards/basics.yaml: uses visualizationObject "
        "'hour_by_weekday', which is not in the workspace"]


def test_ranking_filter_on_unknown_measure_is_reported(layout_copy: Path) -> None:
    path = layout_copy / "analytics_model/visualization_objects/top_tracks.yaml"
    _edit(path, lambda d: d["content"]["filters"][0]["rankingFilter"]["measure"]
          .update(localIdentifier="m_gone"))
    assert check_layout(layout_copy).problems == [
        "analytics_model/visualization_objects/top_tracks.yaml: refers to measure "
        "'m_gone', which no bucket defines"]


def test_reference_not_matching_target_grain_is_reported(layout_copy: Path) -> None:
    path = layout_copy / "ldm/datasets/fact_streams.yaml"
    _edit(path, lambda d: d["references"][0]["sources"].pop(0))  # drop user_id from the track key
    assert check_layout(layout_copy).problems == [
        "ldm/datasets/fact_streams.yaml: reference to 'dim_tracks' maps ['track']; "
        "its grain is ['track', 'track_user']"]


def test_kpi_metadata_drift_is_reported() -> None:
    model, analytics = load_model(), load_analytics()
    metric = next(m for m in analytics.analytics.metrics if m.id == "streams")
    metric.title = "Listens"
    metric.content["format"] = "#,##0.00"
    assert validate(model, analytics) == [
        "analytics_model/metrics/streams.yaml: title is 'Listens', etl/kpis.py says 'Streams'",
        "analytics_model/metrics/streams.yaml: format is '#,##0.00', etl/kpis.py says '#,##0'",
    ]
