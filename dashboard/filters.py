"""The global filters (user, period, content) and how they live in the URL query string.

Period presets are relative to the user's LAST play date, never to today: an export is a
snapshot, and "last 30 days" of a 2021 export should show 2021.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from urllib.parse import parse_qsl, urlencode

CONTENT_OPTIONS = (("all", "All"), ("music", "Music"), ("podcast", "Podcasts"))
ROLLING = {"last7": 7, "last30": 30, "last90": 90}
DEFAULT_PERIOD = "all"


@dataclass(frozen=True)
class Filters:
    """A resolved filter: whose data, which local dates (inclusive), which content."""

    user: str
    start: date
    end: date
    content: str = "all"
    period: str = DEFAULT_PERIOD

    def params(self) -> dict[str, object]:
        """The named SQL parameters shared with ``etl.kpis``."""
        return {
            "user_id": self.user,
            "start_date": self.start,
            "end_date": self.end,
            "content": self.content,
        }

    def previous_year(self) -> Filters:
        """The same dates one year earlier (29 February becomes the 28th)."""
        return replace(self, start=_year_back(self.start), end=_year_back(self.end))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _year_back(d: date) -> date:
    return d.replace(year=d.year - 1, day=min(d.day, 28) if d.month == 2 else d.day)


def parse_search(search: str | None) -> dict[str, str]:
    """``"?user=a&period=last30"`` → ``{"user": "a", "period": "last30"}`` (last value wins)."""
    return dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=False))


def to_search(values: Mapping[str, object]) -> str:
    """The query string for ``values``; custom dates only travel with ``period=custom``."""
    keep = {k: v for k, v in values.items() if v not in (None, "")}
    if keep.get("period") != "custom":
        keep.pop("start", None)
        keep.pop("end", None)
    return "?" + urlencode({k: str(v) for k, v in keep.items()}) if keep else ""


def period_options(first: date, last: date) -> list[dict[str, str]]:
    """Presets for data spanning ``first``..``last``: rolling windows, years, all, custom."""
    options = [
        {"value": "last7", "label": "Last 7 days"},
        {"value": "last30", "label": "Last 30 days"},
        {"value": "last90", "label": "Last 90 days"},
        {"value": "year", "label": f"This year ({last.year})"},
    ]
    years = range(last.year - 1, first.year - 1, -1)
    options += [{"value": str(y), "label": str(y)} for y in years]
    options += [{"value": "all", "label": "All time"}, {"value": "custom", "label": "Custom range"}]
    return options


def _date(text: object) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def period_range(period: str, first: date, last: date, query: Mapping[str, str]) -> tuple:
    """``(start, end)`` for a preset, or None when the period is not understood."""
    if period in ROLLING:
        return last - timedelta(days=ROLLING[period] - 1), last
    if period == "year":
        return date(last.year, 1, 1), last
    if period.isdigit() and first.year <= int(period) < last.year:
        return date(int(period), 1, 1), date(int(period), 12, 31)
    if period == "all":
        return first, last
    if period == "custom":
        start, end = _date(query.get("start")), _date(query.get("end"))
        if start and end:
            return min(start, end), max(start, end)
        return first, last
    return None


def resolve(
    query: Mapping[str, str], users: list[str], bounds: dict[str, tuple[date, date]],
    default_user: str | None = None,
) -> Filters | None:
    """The filter a URL asks for; unknown values fall back to defaults. None: no data at all."""
    if not users:
        return None
    user = query.get("user")
    if user not in users:
        user = default_user if default_user in users else users[0]
    first, last = bounds[user]
    period = str(query.get("period") or DEFAULT_PERIOD)
    span = period_range(period, first, last, query)
    if span is None:
        period, span = DEFAULT_PERIOD, (first, last)
    content = query.get("content")
    content = content if content in dict(CONTENT_OPTIONS) else "all"
    return Filters(user=user, start=span[0], end=span[1], content=content, period=period)


def describe(f: Filters) -> str:
    """A human label: "1 Mar 2024 – 31 Mar 2024 · music"."""
    span = f"{f.start:%-d %b %Y} – {f.end:%-d %b %Y}"
    return span if f.content == "all" else f"{span} · {dict(CONTENT_OPTIONS)[f.content].lower()}"


def replace_content(f: Filters, content: str) -> Filters:
    """The same filter on another content type."""
    return replace(f, content=content)
