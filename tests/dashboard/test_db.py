"""The load version: a new warehouse load reaches the cached queries without a restart."""

import pyarrow as pa
import pyarrow.compute as pc

from dashboard import db, queries
from etl.paths import Lake
from etl.warehouse import load_user
from tests.dashboard import dash_loader


def as_user(tables, source: str, user: str) -> dict:
    """``source``'s rows of every table, relabelled as ``user``."""
    out = {}
    for name, t in tables.items():
        if name != "dim_date":
            t = t.filter(pc.equal(t["user_id"], source))
            t = t.set_column(t.schema.get_field_index("user_id"), "user_id",
                             pa.array([user] * t.num_rows, pa.string()))  # fmt: skip
        out[name] = t
    return out


def test_a_new_load_is_seen_without_a_restart(settings, fixture_tables):
    db.use(dash_loader.load(settings, fixture_tables))
    queries.clear_caches()
    try:
        before = db.load_version()
        assert before.startswith("2:") and queries.users() == ["alice", "bob"]
        lake = Lake(settings.lake_root)
        dash_loader.write_curated(lake, as_user(fixture_tables, "bob", "carol"))
        load_user(lake, "carol", settings)
        assert queries.users() == ["alice", "bob"]  # within the version's 5 s
        db.forget_version()  # as if the 5 s had passed
        assert db.load_version().startswith("3:")
        assert queries.users() == ["alice", "bob", "carol"]
        assert queries.date_bounds("carol") == queries.date_bounds("bob")
    finally:
        db.use(None)
        queries.clear_caches()


def test_an_empty_warehouse_has_version_empty(empty_warehouse):
    assert db.load_version() == "empty"
    assert queries.users() == []
