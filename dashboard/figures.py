"""DataFrame → plotly figure, one function per chart. No queries here, no Dash components.

Figures are plain dicts (``{"data": [...], "layout": {...}}``): plotly.js draws them as is, and
they cost microseconds to build where ``go.Figure`` validation costs ~20 ms each.
Text from the data goes through ``label()``: plotly reads a small HTML subset in labels, so a
track called ``<b>…`` must be escaped to show as typed.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

ACCENT = "#1db954"
MUTED = "#8a8a8a"
PALETTE = ("#1db954", "#535353", "#b3b3b3", "#0f6b30", "#e0245e", "#509bf5", "#f59b23",
           "#af2896")  # fmt: skip
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
GRANULARITY = {"day": "D", "week": "W-MON", "month": "MS"}
ROLLING = {"day": 7, "week": 4, "month": 3}
_AXIS = {"gridcolor": "#ececec", "zerolinecolor": "#dddddd", "automargin": True}

Figure = dict[str, Any]


def label(value: object) -> str:
    return html.escape("" if value is None or value is pd.NA else str(value), quote=False)


def _values(series: pd.Series) -> list:
    """JSON-ready values: dates as ISO strings, numbers as floats, missing as None."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return [None if pd.isna(v) else v.strftime("%Y-%m-%d") for v in series]
    return [None if pd.isna(v) else v for v in series.tolist()]


def _figure(data: list[dict], title: str, height: int = 320, **layout: Any) -> Figure:
    base = {
        "title": {"text": title, "x": 0, "font": {"size": 15}}, "height": height,
        "margin": {"l": 48, "r": 16, "t": 40, "b": 40}, "paper_bgcolor": "#fff",
        "plot_bgcolor": "#fff", "colorway": list(PALETTE), "hoverlabel": {"align": "left"},
        "legend": {"orientation": "h", "y": -0.2}, "font": {"family": "system-ui, sans-serif"},
        "xaxis": dict(_AXIS), "yaxis": dict(_AXIS),
    }  # fmt: skip
    for key, value in layout.items():
        base[key] = {**base[key], **value} if isinstance(value, dict) and key in base else value
    return {"data": data, "layout": base}


def empty(message: str) -> Figure:
    """A blank chart that says why it is blank."""
    note = {"text": label(message), "showarrow": False, "x": 0.5, "y": 0.5, "xref": "paper",
            "yref": "paper", "font": {"color": MUTED}}  # fmt: skip
    return _figure([], "", 220, annotations=[note], xaxis={"visible": False},
                   yaxis={"visible": False})


def resample(daily: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """Daily minutes summed per day, week (starting Monday) or month."""
    s = daily.set_index(pd.to_datetime(daily["local_date"]))["minutes_played"].astype(float)
    rule = GRANULARITY.get(granularity, "D")
    if rule == "W-MON":
        out = s.resample("W-SUN", label="left", closed="right").sum()
        out.index = out.index + pd.Timedelta(days=1)
    else:
        out = s.resample(rule).sum()
    return out.rename("minutes_played").rename_axis("period").reset_index()


def minutes_over_time(daily: pd.DataFrame, granularity: str) -> Figure:
    """Bars of minutes per period with a rolling mean line."""
    df = resample(daily, granularity)
    window = ROLLING.get(granularity, 7)
    rolling = df["minutes_played"].rolling(window, min_periods=1).mean()
    x = _values(df["period"])
    return _figure([
        {"type": "bar", "x": x, "y": _values(df["minutes_played"]), "name": "minutes",
         "marker": {"color": ACCENT}},
        {"type": "scatter", "mode": "lines", "x": x, "y": _values(rolling),
         "name": f"{window}-{granularity} mean", "line": {"color": "#333"}},
    ], f"Minutes per {granularity}")  # fmt: skip


def content_split(df: pd.DataFrame) -> Figure:
    return _figure([{
        "type": "pie", "labels": [label(c) for c in df["content_type"]],
        "values": _values(df["minutes_played"]), "hole": 0.55, "sort": False,
        "textinfo": "label+percent", "marker": {"colors": list(PALETTE[: len(df)])},
    }], "Music vs podcasts (minutes)", 280)  # fmt: skip


def artist_area(df: pd.DataFrame) -> Figure:
    """Stacked monthly minutes of the top artists (a month without plays counts as zero)."""
    if df.empty:
        return _figure([], "Top artists over time (minutes per month)")
    months = pd.date_range(pd.Timestamp(df["month"].min()), pd.Timestamp(df["month"].max()),
                           freq="MS")  # fmt: skip
    grid = (df.assign(month=pd.to_datetime(df["month"]))
              .pivot_table(index="month", columns="artist_id", values="minutes_played",
                           aggfunc="sum", sort=False)
              .reindex(months, fill_value=0.0).fillna(0.0))  # fmt: skip
    names = df.drop_duplicates("artist_id").set_index("artist_id")["artist_name"]
    x = [m.strftime("%Y-%m-%d") for m in grid.index]
    data = [
        {"type": "scatter", "mode": "lines", "stackgroup": "one", "x": x,
         "y": grid[artist_id].tolist(), "name": label(names[artist_id])}
        for artist_id in df["artist_id"].drop_duplicates()
    ]  # fmt: skip
    return _figure(data, "Top artists over time (minutes per month)")


def discoveries(df: pd.DataFrame) -> Figure:
    months = [f"{y:04d}-{m:02d}-01" for y, m in zip(df["year"], df["month"], strict=True)]
    df = df.assign(period=months)
    data = []
    for subject, color in (("artist", ACCENT), ("track", "#535353")):
        g = df[df["subject_type"] == subject]
        data.append({"type": "bar", "x": g["period"].tolist(), "y": _values(g["new_count"]),
                     "name": f"new {subject}s", "marker": {"color": color}})  # fmt: skip
    xaxis = {"tickformat": "%b %Y", "type": "date"}
    if df["period"].nunique() <= 24:
        xaxis["dtick"] = "M1"
    return _figure(data, "New artists and tracks per month", barmode="group", xaxis=xaxis)


def breakdown(df: pd.DataFrame, column: str, title: str) -> Figure:
    """Horizontal bars of minutes per value of ``column`` (platform, country, ...)."""
    df = df.sort_values("minutes_played")
    return _figure([{
        "type": "bar", "orientation": "h", "x": _values(df["minutes_played"]),
        "y": [label(v) for v in df[column]], "marker": {"color": ACCENT},
        "customdata": _values(df["plays"]),
        "hovertemplate": "%{y}: %{x:,.0f} min, %{customdata:,} plays<extra></extra>",
    }], title, max(220, 60 + 28 * len(df)))  # fmt: skip


def heatmap(df: pd.DataFrame) -> Figure:
    """Minutes by local hour (x) and weekday (y)."""
    grid = [[0.0] * 24 for _ in range(7)]
    for row in df.itertuples():
        grid[int(row.weekday) - 1][int(row.local_hour)] = float(row.minutes_played)
    return _figure([{
        "type": "heatmap", "z": grid, "x": list(range(24)), "y": list(WEEKDAYS),
        "colorscale": "Greens", "hovertemplate": "%{y} %{x}:00 — %{z:,.0f} min<extra></extra>",
    }], "When you listen (minutes, local time)", yaxis={"autorange": "reversed"},
        xaxis={"title": {"text": "local hour"}, "dtick": 3})  # fmt: skip


def bars(df: pd.DataFrame, x: str, y: str, title: str, percent: bool = False) -> Figure:
    yaxis = {"tickformat": ".0%", "rangemode": "tozero"} if percent else {}
    return _figure([{"type": "bar", "x": [label(v) for v in df[x]], "y": _values(df[y]),
                     "marker": {"color": ACCENT}}], title, yaxis=yaxis)  # fmt: skip


def skip_rates(df: pd.DataFrame, x: str, title: str) -> Figure:
    """Skip rate (skips / plays) per value of ``x``."""
    plays = df["plays"].astype(float)
    df = df.assign(rate=df["skips"].astype(float) / plays.where(plays > 0))
    return bars(df, x, "rate", title, percent=True)


def anomalies(daily: pd.DataFrame, days: pd.DataFrame) -> Figure:
    """Daily minutes with the anomalous days marked; the explanation is in the hover."""
    data = [{"type": "scatter", "mode": "lines", "x": _values(daily["local_date"]),
             "y": _values(daily["minutes_played"]), "name": "minutes per day",
             "line": {"color": MUTED}}]  # fmt: skip
    if not days.empty:
        data.append({
            "type": "scatter", "mode": "markers", "name": "anomaly",
            "x": _values(days["local_date"]), "y": _values(days["minutes_played"]),
            "marker": {"color": "#e0245e", "size": 11, "symbol": "diamond"},
            "text": [label(e) for e in days["explanation"]],
            "hovertemplate": "%{x|%Y-%m-%d}: %{y:,.0f} min<br>%{text}<extra></extra>",
        })  # fmt: skip
    return _figure(data, "Daily minutes and unusual days")


def obsession_timeline(df: pd.DataFrame, start: object, end: object) -> Figure:
    """New-obsession events: when, what, how strong."""
    return _figure([{
        "type": "scatter", "mode": "markers+text", "x": _values(df["local_date"]),
        "y": [label(s) for s in df["subject_type"]], "textposition": "top center",
        "text": [label(n) for n in df["subject_name"]], "marker": {"size": 12, "color": ACCENT},
        "customdata": [label(e) for e in df["explanation"]],
        "hovertemplate": "%{x|%Y-%m-%d}<br>%{customdata}<extra></extra>",
    }], "New obsessions", 260, xaxis={"range": [str(start), str(end)], "type": "date"})  # fmt: skip


def artist_history(df: pd.DataFrame, start: object, end: object) -> Figure:
    """An artist's minutes per month, with the selected period shaded."""
    shade = {"type": "rect", "xref": "x", "yref": "paper", "x0": str(start), "x1": str(end),
             "y0": 0, "y1": 1, "fillcolor": ACCENT, "opacity": 0.08, "line": {"width": 0}}
    return _figure([{"type": "bar", "x": _values(df["month"]), "y": _values(df["minutes_played"]),
                     "marker": {"color": ACCENT}, "name": "minutes"}], "Minutes per month",
                   shapes=[shade])  # fmt: skip
