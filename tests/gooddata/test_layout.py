"""The layout loads with gooddata-sdk's declarative classes and round-trips byte for byte."""

from __future__ import annotations

from pathlib import Path

import yaml
from gooddata_sdk import CatalogDeclarativeAnalytics, CatalogDeclarativeModel

from etl.gooddata.layout import LAYOUT_DIR, load_analytics, load_model, write_layout, yaml_files
from etl.kpis import KPIS

REQUIRED_METRICS = {
    "minutes_listened", "streams", "plays", "distinct_tracks", "distinct_artists", "skip_rate",
    "avg_minutes_per_active_day", "top_artist_share", "new_artists",
}


def test_layout_loads_with_sdk_classes() -> None:
    model, analytics = load_model(), load_analytics()
    assert isinstance(model, CatalogDeclarativeModel)
    assert isinstance(analytics, CatalogDeclarativeAnalytics)
    assert sorted(ds.id for ds in model.ldm.datasets) == [
        "dim_albums", "dim_artists", "dim_episodes", "dim_platforms", "dim_tracks",
        "fact_streams", "first_listens", "playlist_track_stats",
    ]
    [date] = model.ldm.date_instances
    assert (date.id, date.granularities[:5]) == ("local_date", ["DAY", "WEEK", "MONTH",
                                                                "QUARTER", "YEAR"])
    metrics = {m.id for m in analytics.analytics.metrics}
    assert REQUIRED_METRICS <= metrics and set(KPIS) <= metrics
    assert all(m.title and m.description and m.content["format"] and m.content["maql"]
               for m in analytics.analytics.metrics)
    dashboards = {d.id: d.title for d in analytics.analytics.analytical_dashboards}
    assert dashboards == {"basics": "Basics", "kpis": "KPIs"}


def test_round_trip_through_sdk_is_identical(tmp_path: Path) -> None:
    CatalogDeclarativeModel.load_from_disk(LAYOUT_DIR).store_to_disk(tmp_path, sort=True)
    CatalogDeclarativeAnalytics.load_from_disk(LAYOUT_DIR).store_to_disk(tmp_path, sort=True)
    original = yaml_files(LAYOUT_DIR)
    assert len(original) == 41
    assert yaml_files(tmp_path) == original


def test_write_layout_replaces_stale_objects(tmp_path: Path) -> None:
    stale = tmp_path / "analytics_model" / "metrics" / "deleted_in_the_ui.yaml"
    stale.parent.mkdir(parents=True)
    stale.write_text("id: deleted_in_the_ui\n")
    write_layout(load_model(), load_analytics(), tmp_path)
    assert not stale.exists()
    assert yaml_files(tmp_path) == yaml_files(LAYOUT_DIR)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["analytics_model", "ldm"]


def test_one_file_per_object_with_sorted_keys() -> None:
    for rel, text in yaml_files(LAYOUT_DIR).items():
        doc = yaml.safe_load(text)
        assert Path(rel).stem == doc["id"], rel
        assert text == yaml.dump(doc, sort_keys=True, allow_unicode=True, indent=2,
                                 Dumper=_IndentDumper), rel


def test_no_secrets_in_the_layout() -> None:
    for rel, text in yaml_files(LAYOUT_DIR).items():
        lowered = text.lower()
        assert "password" not in lowered and "token" not in lowered, rel


class _IndentDumper(yaml.SafeDumper):
    """gooddata-sdk's YAML style (indented lists), to re-dump a file and compare."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)
