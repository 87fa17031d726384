"""Every dashboard query on the hand-built warehouse, on PostgreSQL and on DuckDB.

Expected values are worked out by hand from the plays in dash_fixture.PLAYS. Alice's 2024 plays
(Jan 1 – Mar 31) are #3–#9: 2,605,000 ms = 43.41666… min, 6 streams, 1 skip, 6 active days.
"""

from datetime import date

import numpy as np
import pytest

from dashboard import queries
from dashboard.filters import Filters
from tests.dashboard.dash_fixture import XSS, alice

Y2024 = ("2024-01-01", "2024-03-31")
MIN = 1 / 60000


def approx(x):
    return pytest.approx(x, rel=1e-9)


def rows(df, *cols):
    """The frame's rows as tuples of plain Python values (floats rounded to 6 places)."""
    def plain(v):
        number = isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))
        return round(float(v), 6) if number else v

    return [tuple(plain(v) for v in rec) for rec in df[list(cols)].itertuples(index=False)]


def test_users_and_bounds(warehouse):
    assert queries.users() == ["alice", "bob"]
    assert queries.date_bounds("alice") == (date(2023, 6, 10), date(2024, 3, 31))
    assert queries.date_bounds("bob") == (date(2022, 5, 5), date(2022, 5, 6))
    assert queries.date_bounds("nobody") is None


def test_kpis_for_a_year_each_content(warehouse):
    k = queries.kpis(alice(*Y2024))
    assert k == {
        "minutes_listened": approx(2_605_000 * MIN), "streams": 6, "plays": 7,
        "distinct_tracks": 4, "distinct_artists": 3, "distinct_albums": 3,
        "avg_minutes_per_active_day": approx(2_605_000 * MIN / 6), "skip_rate": approx(1 / 7),
    }
    music = queries.kpis(alice(*Y2024, content="music"))
    assert (music["plays"], music["streams"], music["minutes_listened"]) == (
        6, 5, approx(805_000 * MIN))
    assert music["avg_minutes_per_active_day"] == approx(805_000 * MIN / 5)
    pod = queries.kpis(alice(*Y2024, content="podcast"))
    assert (pod["plays"], pod["distinct_tracks"], pod["distinct_albums"], pod["skip_rate"]) == (
        1, 0, 0, 0)


def test_lifetime_kpis_equal_the_period_kpis_over_the_whole_history(warehouse):
    for content in ("all", "music", "podcast"):
        f = alice("2023-06-10", "2024-03-31", content=content)
        assert queries.kpis(f, True) == queries.kpis(f), content
    assert queries.kpis(alice("2023-06-10", "2024-03-31"), True)["distinct_tracks"] > 0


def test_kpis_all_time_and_year_over_year(warehouse):
    k = queries.kpis(alice("2023-06-10", "2024-03-31"))
    assert (k["plays"], k["streams"], k["skip_rate"]) == (9, 7, approx(2 / 9))
    assert k["avg_minutes_per_active_day"] == approx(2_795_000 * MIN / 7)
    june = alice("2024-06-01", "2024-06-30")
    assert queries.kpis(june)["plays"] == 0
    before = queries.kpis(june.previous_year())
    assert (before["plays"], before["minutes_listened"]) == (2, approx(190_000 * MIN))


def test_longest_streak(warehouse):
    assert queries.longest_streak(alice("2023-06-10", "2024-03-31")) == 3
    assert queries.longest_streak(alice("2024-03-02", "2024-03-31")) == 2
    assert queries.longest_streak(alice("2024-03-25", "2024-03-31")) == 1
    assert queries.longest_streak(alice("2024-04-01", "2024-04-30")) == 0


def test_top_items(warehouse):
    f = alice(*Y2024)
    assert rows(queries.top_items(f, "artist"), "item_id", "plays", "minutes_played") == [
        ("ax", 3, round(385_000 * MIN, 6)), ("az", 1, 4.0), ("ay", 2, 3.0)]
    tracks = queries.top_items(f, "track")
    assert tracks["item_id"].tolist() == ["t4", "t1", "t2", "t3"]  # a tie goes by id
    assert tracks["item_name"].tolist()[3] == XSS
    assert queries.top_items(f, "album", 2)["item_id"].tolist() == ["alx", "alz"]
    assert rows(queries.top_items(f, "show"), "item_name", "minutes_played") == [("Pod Show", 30)]
    assert queries.top_items(alice(*Y2024, content="podcast"), "artist").empty


def test_top_items_lifetime_reads_the_dimensions_with_the_same_answer(warehouse):
    f = alice("2023-06-10", "2024-03-31")
    for item_type in ("artist", "track", "album", "show"):
        cols = ("item_id", "item_name", "plays", "streams", "minutes_played")
        assert rows(queries.top_items(f, item_type, 5, True), *cols) == rows(
            queries.top_items(f, item_type, 5, False), *cols)
    assert queries.top_items(f, "track", 2, True)["item_id"].tolist() == ["t1", "t4"]


def test_content_split(warehouse):
    assert rows(queries.content_split(alice(*Y2024)), "content_type", "plays",
                "minutes_played") == [("podcast", 1, 30.0), ("music", 6, round(805_000 * MIN, 6))]


def test_daily_minutes_zero_filled(warehouse):
    df = queries.daily_minutes(alice("2024-03-01", "2024-03-04"))
    assert rows(df, "minutes_played", "plays", "skips") == [
        (1.0, 1, 0), (round(245_000 * MIN, 6), 2, 1), (30.0, 1, 0), (0.0, 0, 0)]
    assert [d.date() for d in df["local_date"]] == [date(2024, 3, d) for d in (1, 2, 3, 4)]


def test_artist_months_and_discoveries(warehouse):
    f = alice(*Y2024)
    assert rows(queries.artist_months(f), "artist_id", "minutes_played") == [
        ("ax", round(200_000 * MIN, 6)), ("ax", round(185_000 * MIN, 6)), ("ay", 3.0),
        ("az", 4.0)]
    assert queries.artist_months(alice(*Y2024, content="podcast")).empty
    assert rows(queries.discoveries(alice("2023-06-10", "2024-03-31")), "year", "month",
                "subject_type", "new_count") == [
        (2023, 6, "artist", 1), (2023, 6, "track", 2), (2024, 3, "artist", 2),
        (2024, 3, "track", 2)]


def test_platforms_and_countries(warehouse):
    f = alice(*Y2024)
    assert rows(queries.platforms(f), "platform", "plays", "minutes_played") == [
        ("ios", 5, round(2_305_000 * MIN, 6)), ("web", 2, 5.0)]
    assert rows(queries.platforms(alice(*Y2024, content="music")), "platform", "plays") == [
        ("ios", 4), ("web", 2)]
    assert rows(queries.countries(f), "country_code", "plays") == [("DE", 5), ("FR", 2)]


def test_hour_weekday_and_skips(warehouse):
    f = alice(*Y2024)
    assert rows(queries.hour_weekday(f), "weekday", "local_hour", "plays") == [
        (1, 8, 1), (3, 22, 1), (5, 8, 1), (6, 21, 2), (7, 7, 1), (7, 20, 1)]
    assert rows(queries.skip_by_hour(f), "local_hour", "plays", "skips") == [
        (7, 1, 0), (8, 2, 0), (20, 1, 0), (21, 2, 1), (22, 1, 0)]
    assert rows(queries.skip_by(f), "dimension", "value", "plays", "skips") == [
        ("platform", "ios", 5, 1), ("platform", "web", 2, 0),
        ("reason_start", "clickrow", 4, 0), ("reason_start", "trackdone", 2, 0),
        ("reason_start", "fwdbtn", 1, 1),
        ("shuffle", "shuffle off", 6, 1), ("shuffle", "shuffle on", 1, 0)]


def test_sessions(warehouse):
    f = alice(*Y2024)
    assert queries.session_summary(f) == {
        "sessions": 6, "avg_minutes": approx(2665 / 60 / 6),
        "max_minutes": 30.0, "plays": 7}
    assert queries.session_lengths(f)["sessions"].tolist() == [5, 0, 1, 0, 0, 0]
    longest = queries.longest_sessions(f, 3)
    assert rows(longest, "duration_minutes", "plays") == [
        (30.0, 1), (round(305 / 60, 6), 2), (round(200 / 60, 6), 1)]


def test_anomalies(warehouse):
    f = alice(*Y2024)
    assert rows(queries.day_anomalies(f), "anomaly_id", "kind", "minutes_played") == [
        ("an1", "high_day", 30.0)]
    assert queries.obsessions(f)["subject_name"].tolist() == [XSS]
    assert queries.obsessions(alice(*Y2024, content="podcast")).empty
    assert queries.day_anomalies(alice("2024-03-04", "2024-03-31")).empty


def test_playlists(warehouse):
    assert queries.playlists("alice")["playlist_name"].tolist() == ["Empty list", "Road trip"]
    assert queries.playlists("bob").empty
    tracks = queries.playlist_tracks("alice", "pl1")
    assert rows(tracks, "position", "track_name", "starts", "skips") == [
        (0, "Song A", 3, 1), (1, XSS, 2, 0), (2, "Song D", 1, 0)]
    assert tracks["is_removal_candidate"].tolist() == [False, True, False]
    assert tracks["reason"].isna().tolist() == [True, False, True]
    recs = queries.removal_candidates("alice", "pl1")
    assert recs["reason"].tolist() == [
        "Played 0.20 times per 30 days since it was added 304 days ago (bottom 10%)."]
    assert queries.playlist_tracks("alice", "pl2").empty


def test_item_table_search_sort_and_page(warehouse):
    f = alice(*Y2024)
    df = queries.item_table(f, "track", "SONG", "plays", True, 0, False)
    assert rows(df, "item_id", "plays", "total") == [("t1", 2, 3), ("t2", 1, 3), ("t4", 1, 3)]
    names = queries.item_table(alice("2023-06-10", "2024-03-31"), "artist", "", "name", False, 0,
                               True)
    assert names["item_id"].tolist() == ["ax", "ay", "az"]
    assert queries.item_table(f, "artist", "o'b")["item_id"].tolist() == ["az"]
    assert queries.item_table(f, "track", "%").empty  # a wildcard is searched literally
    assert queries.item_table(f, "track", "", "plays", True, 1).empty  # page 2 of 1
    assert queries.item_table(alice(*Y2024, content="music"), "show").empty


@pytest.mark.parametrize("item_type", ["artist", "track", "album", "show"])
def test_lifetime_tables_match_the_daily_sums(warehouse, item_type):
    f = alice("2023-06-10", "2024-03-31")
    cols = ("item_id", "name", "plays", "streams", "skips", "minutes_played")
    assert rows(queries.item_table(f, item_type, "", "name", False, 0, True), *cols) == rows(
        queries.item_table(f, item_type, "", "name", False, 0, False), *cols)


def test_artist(warehouse):
    info = queries.artist("alice", "ax")
    assert (info["artist_name"], info["plays"], info["streams"], info["track_count"]) == (
        "Artist X", 5, 3, 2)
    assert queries.artist("alice", "aw") is None  # bob's artist
    assert rows(queries.artist_history("alice", "ax"), "plays", "rank") == [
        (2, 1), (1, 1), (2, 2)]
    assert rows(queries.artist_top_tracks(alice(*Y2024), "ax"), "track_id", "plays",
                "streams") == [("t1", 2, 1), ("t2", 1, 1)]
    every = alice("2023-06-10", "2024-03-31")
    cols = ("track_id", "track_name", "plays", "streams", "minutes_played")
    assert rows(queries.artist_top_tracks(every, "ax", 10, True), *cols) == rows(
        queries.artist_top_tracks(every, "ax", 10, False), *cols) == [
        ("t1", "Song A", 3, 2, round(385_000 * MIN, 6)), ("t2", "Song B", 2, 1,
                                                           round(190_000 * MIN, 6))]


def test_health(warehouse):
    assert queries.exports("alice")["export_id"].tolist() == ["abc123def456"]
    counts = dict(rows(queries.table_rows("alice"), "table_name", "row_count"))
    assert (counts["fact_streams"], counts["daily_listening"], counts["sessions"],
            counts["playlists"], counts["reject_reasons"]) == (9, 592, 7, 2, 2)
    assert rows(queries.rejects("alice"), "reason", "record_count") == [
        ("ms_played < 0", 1), ("ts is missing", 1)]
    load = queries.last_load("alice")
    assert (load["load_number"], load["fact_rows"], load["engine"]) == (
        1, 9, warehouse.kind)
    assert counts["dim_date"] == 1096
    assert queries.consistency("alice") == {
        "fact_plays": 9, "daily_plays": 9, "hourly_plays": 9, "session_plays": 9,
        "warehouse_plays": 9, "exports": 1}


def test_a_quote_in_a_filter_value_cannot_alter_sql(warehouse):
    evil = Filters("alice' or '1'='1", date(2000, 1, 1), date(2030, 1, 1), "all' or '1'='1")
    assert queries.kpis(evil)["plays"] == 0
    assert queries.item_table(evil, "track").empty
    good = alice("2000-01-01", "2030-01-01")
    assert queries.item_table(good, "track", "x' or '1'='1").empty
    assert queries.item_table(good, "track", "'); drop table curated.dim_tracks; --").empty
    assert queries.playlist_tracks("alice", "pl1' or '1'='1").empty
    assert queries.kpis(good)["plays"] == 9  # and nothing was dropped


def test_empty_warehouse_has_no_users(empty_warehouse):
    assert queries.users() == []
