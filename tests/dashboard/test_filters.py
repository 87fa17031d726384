"""The global filters: presets relative to the last play date, URL round trips, fallbacks."""

from datetime import date

from dashboard import filters
from dashboard.filters import Filters

FIRST, LAST = date(2021, 11, 3), date(2024, 3, 31)
SPANS = {"alice": (FIRST, LAST), "bob": (date(2022, 5, 5), date(2022, 5, 6))}


def resolve(**query):
    return filters.resolve(query, sorted(SPANS), SPANS, default_user="alice")


def test_rolling_presets_end_on_the_last_play_date_not_today():
    assert (resolve(period="last7").start, resolve(period="last7").end) == (
        date(2024, 3, 25), LAST)
    assert resolve(period="last30").start == date(2024, 3, 2)
    assert resolve(period="last90").start == date(2024, 1, 2)


def test_year_presets():
    assert (resolve(period="year").start, resolve(period="year").end) == (date(2024, 1, 1), LAST)
    f = resolve(period="2022")
    assert (f.start, f.end, f.period) == (date(2022, 1, 1), date(2022, 12, 31), "2022")
    assert resolve(period="2020").period == "all"  # before the data: falls back
    assert [o["value"] for o in filters.period_options(FIRST, LAST)] == [
        "last7", "last30", "last90", "year", "2023", "2022", "2021", "all", "custom"]


def test_all_time_and_custom_range():
    assert (resolve().start, resolve().end, resolve().period) == (FIRST, LAST, "all")
    f = resolve(period="custom", start="2024-02-10", end="2024-01-05")
    assert (f.start, f.end) == (date(2024, 1, 5), date(2024, 2, 10))
    assert (resolve(period="custom", start="nonsense").start) == FIRST


def test_unknown_values_fall_back_to_defaults():
    f = resolve(user="mallory' or '1'='1", period="'; drop table x; --", content="<script>")
    assert (f.user, f.period, f.content) == ("alice", "all", "all")
    assert resolve(user="bob").user == "bob"
    assert filters.resolve({}, [], {}) is None


def test_url_round_trip_and_custom_dates_only_with_custom():
    search = filters.to_search({"user": "bob", "period": "last7", "content": "music",
                                "start": "2022-01-01", "end": "2022-02-01"})
    assert search == "?user=bob&period=last7&content=music"
    assert filters.parse_search(search) == {"user": "bob", "period": "last7", "content": "music"}
    custom = filters.to_search({"period": "custom", "start": "2022-01-01", "end": "2022-02-01"})
    assert custom == "?period=custom&start=2022-01-01&end=2022-02-01"
    assert filters.parse_search("?user=a%27b") == {"user": "a'b"}


def test_previous_year_and_description():
    f = Filters("alice", date(2024, 2, 29), date(2024, 3, 31), "music")
    assert (f.previous_year().start, f.previous_year().end) == (date(2023, 2, 28),
                                                                date(2023, 3, 31))
    assert filters.describe(f) == "29 Feb 2024 – 31 Mar 2024 · music"
    assert f.days == 32
