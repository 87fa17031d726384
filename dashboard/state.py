"""From a URL's query parameters to the resolved filters, using what the warehouse holds."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date

from dashboard import filters, queries
from etl import config


@functools.lru_cache(maxsize=1)
def default_user() -> str | None:
    """``SPOTIFY_LAKE_USER`` (read once): preferred when it names a user with data."""
    try:
        return config.load().default_user
    except config.ConfigError:
        return None


def bounds() -> dict[str, tuple[date, date]]:
    """First and last play date of every user with data."""
    out = {}
    for user in queries.users():
        span = queries.date_bounds(user)
        if span is not None:
            out[user] = span
    return out


def current_filters(query: Mapping[str, str] | None) -> filters.Filters | None:
    """The filters a page shows for ``query``; None when the warehouse has no data at all."""
    spans = bounds()
    return filters.resolve(query or {}, sorted(spans), spans, default_user())


def is_lifetime(f: filters.Filters) -> bool:
    """Whether the filter covers all of the user's data (lifetime tables then answer)."""
    span = queries.date_bounds(f.user)
    return span is not None and f.start <= span[0] and f.end >= span[1]


CONTROL_IDS = ("filters-user", "filters-period", "filters-content", "filters-range")
FILTER_KEYS = ("user", "period", "content", "start", "end")


def _controls_query(trigger: str, user, period, content, start, end) -> dict[str, str]:
    """The query a control change asks for (picking dates means a custom period)."""
    if trigger == "filters-range":
        period = "custom"
    return {"user": user, "period": period, "content": content,
            "start": (start or "")[:10], "end": (end or "")[:10]}  # fmt: skip


def sync_filters(trigger, search, user=None, period=None, content=None, start=None, end=None):
    """Reconcile the URL and the filter controls; returns ``{"component.prop": value}``.

    A control change writes a new query string; a URL (first load, back/forward, a bookmark)
    sets the controls. Values the data does not know fall back to defaults.
    """
    from_controls = trigger in CONTROL_IDS
    query = (_controls_query(trigger, user, period, content, start, end) if from_controls
             else filters.parse_search(search))  # fmt: skip
    spans = bounds()
    f = filters.resolve(query, sorted(spans), spans, default_user())
    if f is None:
        return {"filters-user.options": [], "filters-period.options": []}
    first, last = spans[f.user]
    out = {
        "filters-user.options": [{"value": u, "label": u} for u in sorted(spans)],
        "filters-user.value": f.user,
        "filters-period.options": filters.period_options(first, last),
        "filters-period.value": f.period,
        "filters-content.value": f.content,
        "filters-range.start_date": f.start.isoformat(),
        "filters-range.end_date": f.end.isoformat(),
        "filters-range.min_date_allowed": first.isoformat(),
        "filters-range.max_date_allowed": last.isoformat(),
    }
    if from_controls:
        # a page's own parameters (granularity, tab, playlist, ...) stay in the URL
        keep = {k: v for k, v in filters.parse_search(search).items() if k not in FILTER_KEYS}
        canonical = {"user": f.user, "period": f.period, "content": f.content,
                     "start": f.start.isoformat(), "end": f.end.isoformat(), **keep}
        new_search = filters.to_search(canonical)
        if new_search != (search or ""):
            out["_pages_location.search"] = new_search
    return out
