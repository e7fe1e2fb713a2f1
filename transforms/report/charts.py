"""Vega-Lite specifications of the report's charts, built with altair (validated on to_dict).

Pure: records in, a JSON-ready dict out. Every chart has a title (and a subtitle saying what
is counted), axis titles, and data inlined in the spec; dates are UTC days and every time unit
is a UTC one, so a reader's browser time zone never shifts a bar to another day. Text from the
warehouse only ever becomes data values: Vega draws it as SVG text, never as markup.

Charts take the width of the element they are drawn in (`width: "container"`), so a chart in a
column of the page's grid never spills into the next one; long names are cut short on the
axis (`labelLimit`, with an ellipsis) and given in full in the tooltip. Counts tick in whole
numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import altair as alt

from transforms.report.data import (
    CoMention,
    CountryCount,
    EntityCount,
    FeedHealth,
    FeedVolume,
    ReportWindow,
    RequestDay,
    Speaker,
    TextFixDay,
)

Spec = dict[str, Any]

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
CONTAINER = "container"  # the chart's width: its element's (transforms/report/html.py)
# ... axes, labels and legend included; the height stays the plot's (so much per bar, or fixed).
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
BAR_STEP = 18
LABEL_LIMIT = 190  # pixels of an axis label in a full-width chart
NARROW_LABEL_LIMIT = 120  # ... in a chart of the three-column row (a column is ~340 px)
COUNT_FORMAT = ",d"  # counts: whole numbers (with tickMinStep 1, no 0.5 ticks)

FAILED_COLOR = "#c0392b"
OUTCOME_COLORS = {
    "page loaded": "#4c78a8",
    "page failed": FAILED_COLOR,
    "feed: new content": "#54a24b",
    "feed: 304 not modified": "#9ecae9",
    "feed failed": "#e45756",
    "sitemap loaded": "#b279a2",
    "sitemap failed": "#9d2a1f",
}


def _config(chart: alt.TopLevelMixin) -> Spec:
    spec = chart.configure(font=FONT).configure_view(stroke=None).configure_axis(
        labelFontSize=11, titleFontSize=12).configure_title(
        fontSize=14, subtitleFontSize=11, anchor="start", subtitleColor="#555").to_dict()
    return spec


def _bars_height(bars: int, step: int) -> int:
    """The plot height of `bars` horizontal bars, `step` pixels each. (A Vega-Lite step height
    would do the same, but Vega-Lite warns that it drops fit-y when the width fits the
    container.)"""
    return max(bars, 1) * step


def _count_axis() -> alt.Axis:
    """An axis of counts: whole-number ticks only."""
    return alt.Axis(tickMinStep=1, format=COUNT_FORMAT)


def _datetime(day: date) -> alt.DateTime:
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def _day_domain(start: date, end: date, days: int) -> Any:
    """Daily bars show the whole window, empty days included; weekly and monthly bins would
    overhang a window's edges, so their scale is left to Vega."""
    if time_grain(days)[1] != "day":
        return alt.Undefined
    return alt.Scale(domain=[_datetime(start), _datetime(end + timedelta(days=1))])


def time_grain(days: int) -> tuple[str, str]:
    """(Vega-Lite UTC time unit, word) for bars over a window of `days` days."""
    if days <= 92:
        return "utcyearmonthdate", "day"
    if days <= 731:
        return "utcyearweek", "week"
    return "utcyearmonth", "month"


def unique_labels(names: Sequence[str]) -> list[str]:
    """The names, made unique: two entities may share a name ('Li' in two articles), and a
    nominal axis would merge them into one bar."""
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return labels


def _stacked_day_bars(data: list[dict[str, Any]], *, title: str, subtitle: str,
                      x_title: str, value: str, value_title: str, key: str, key_title: str,
                      start: date, end: date, days: int, height: int,
                      colors: Any = alt.Undefined) -> Spec:
    """Bars per day (or week, month) of `value` in `data`, stacked by `key`."""
    unit, grain = time_grain(days)
    chart = alt.Chart(alt.Data(values=data), title=alt.Title(title, subtitle=subtitle),
                      ).mark_bar().encode(
        x=alt.X("day:T", timeUnit=unit, title=x_title, scale=_day_domain(start, end, days)),
        y=alt.Y(f"sum({value}):Q", title=value_title, axis=_count_axis()),
        color=alt.Color(f"{key}:N", title=key_title, scale=colors,
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("day:T", timeUnit=unit, title=grain.capitalize()),
                 alt.Tooltip(f"{key}:N", title=key_title),
                 alt.Tooltip(f"sum({value}):Q", title=value.capitalize(),
                             format=COUNT_FORMAT)],
    ).properties(width=CONTAINER, height=height, autosize=FIT_WIDTH)
    return _config(chart)


def volume_chart(rows: Sequence[FeedVolume], window: ReportWindow) -> Spec:
    _, grain = time_grain(window.days)
    data = [{"day": r.day.isoformat(), "feed": r.feed_name, "articles": r.articles}
            for r in rows]
    return _stacked_day_bars(
        data, title=f"Articles per {grain}, by feed",
        subtitle=f"{window.start:%Y-%m-%d} to {window.end:%Y-%m-%d}, by publication day (UTC)",
        x_title=f"Publication {grain} (UTC)", value="articles", value_title="Articles",
        key="feed", key_title="Feed", start=window.start, end=window.end, days=window.days,
        height=240)


def entity_bar_chart(rows: Sequence[EntityCount], *, title: str, axis_title: str) -> Spec:
    labels = unique_labels([r.name for r in rows])
    data = [{"label": label, "type": r.type, "mentions": r.mentions, "articles": r.articles}
            for label, r in zip(labels, rows, strict=True)]
    return _bar_chart(data, labels, title=title, axis_title=axis_title)


def country_bar_chart(rows: Sequence[CountryCount], *, title: str) -> Spec:
    labels = unique_labels([f"{r.name} ({r.country_code})" for r in rows])
    data = [{"label": label, "mentions": r.mentions, "articles": r.articles}
            for label, r in zip(labels, rows, strict=True)]
    return _bar_chart(data, labels, title=title, axis_title="Country")


def _bar_chart(data: list[dict[str, Any]], order: list[str], *, title: str,
               axis_title: str) -> Spec:
    chart = alt.Chart(
        alt.Data(values=data),
        title=alt.Title(title, subtitle="mentions in the window's articles"),
    ).mark_bar(color="#4c78a8").encode(
        y=alt.Y("label:N", sort=order, title=axis_title,
                axis=alt.Axis(labelLimit=NARROW_LABEL_LIMIT)),
        x=alt.X("mentions:Q", title="Mentions", axis=_count_axis()),
        tooltip=[alt.Tooltip("label:N", title=axis_title),
                 alt.Tooltip("mentions:Q", title="Mentions", format=COUNT_FORMAT),
                 alt.Tooltip("articles:Q", title="Articles", format=COUNT_FORMAT)],
    ).properties(width=CONTAINER, height=_bars_height(len(order), BAR_STEP),
                 autosize=FIT_WIDTH)
    return _config(chart)


def co_mention_chart(entities: Sequence[EntityCount], pairs: Sequence[CoMention]) -> Spec:
    labels = unique_labels([e.name for e in entities])
    label_of = {e.entity_id: label for e, label in zip(entities, labels, strict=True)}
    data = []
    for p in pairs:
        a, b = label_of.get(p.entity_a), label_of.get(p.entity_b)
        if a is None or b is None:
            continue
        data.append({"a": a, "b": b, "articles": p.articles})
        data.append({"a": b, "b": a, "articles": p.articles})
    base = alt.Chart(alt.Data(values=data)).encode(
        x=alt.X("a:N", sort=labels, title="Entity",
                axis=alt.Axis(labelAngle=-40, labelLimit=LABEL_LIMIT)),
        y=alt.Y("b:N", sort=labels, title="Mentioned with",
                axis=alt.Axis(labelLimit=LABEL_LIMIT)),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("articles:Q", title="Articles", scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(format=COUNT_FORMAT, tickMinStep=1)),
        tooltip=[alt.Tooltip("a:N", title="Entity"), alt.Tooltip("b:N", title="With"),
                 alt.Tooltip("articles:Q", title="Articles", format=COUNT_FORMAT)],
    )
    half = max((p.articles for p in pairs), default=0) / 2
    numbers = base.mark_text(fontSize=10).encode(
        text=alt.Text("articles:Q", format="~s"),  # 61k: five digits overflow a cell
        color=alt.condition(f"datum.articles > {half:g}", alt.value("white"),
                            alt.value("#222")),
    )
    step = 30 if len(labels) <= 12 else 22
    chart = alt.layer(
        cells, numbers,
        title=alt.Title("Entities mentioned together",
                        subtitle="articles of the window mentioning both, for the most "
                                 "mentioned entities"),
    ).properties(width=alt.Step(step), height=alt.Step(step))
    return _config(chart)


def speakers_chart(rows: Sequence[Speaker]) -> Spec:
    labels = unique_labels([s.speaker for s in rows])
    data = [{"label": label, "quotes": s.quotes, "articles": s.articles,
             "all_time": s.quotes_all_time}
            for label, s in zip(labels, rows, strict=True)]
    chart = alt.Chart(
        alt.Data(values=data),
        title=alt.Title("Most quoted speakers",
                        subtitle="quotes in the window's articles, direct and reported"),
    ).mark_bar(color="#72b7b2").encode(
        y=alt.Y("label:N", sort=labels, title="Speaker",
                axis=alt.Axis(labelLimit=LABEL_LIMIT)),
        x=alt.X("quotes:Q", title="Quotes", axis=_count_axis()),
        tooltip=[alt.Tooltip("label:N", title="Speaker"),
                 alt.Tooltip("quotes:Q", title="Quotes", format=COUNT_FORMAT),
                 alt.Tooltip("articles:Q", title="Articles", format=COUNT_FORMAT),
                 alt.Tooltip("all_time:Q", title="Quotes, all time", format=COUNT_FORMAT)],
    ).properties(width=CONTAINER, height=_bars_height(len(labels), BAR_STEP),
                 autosize=FIT_WIDTH)
    return _config(chart)


def text_fix_chart(rows: Sequence[TextFixDay], window: ReportWindow) -> Spec:
    _, grain = time_grain(window.days)
    data = [{"day": r.day.isoformat(), "kind": kind, "articles": n}
            for r in rows for kind, n in r.fixes if n]
    return _stacked_day_bars(
        data, title=f"Text fixes per {grain}, by kind",
        subtitle="articles whose text cleaning repaired this, by publication day (UTC)",
        x_title=f"Publication {grain} (UTC)", value="articles", value_title="Articles fixed",
        key="kind", key_title="Fix", start=window.start, end=window.end, days=window.days,
        height=200)


def requests_chart(rows: Sequence[RequestDay], window: ReportWindow) -> Spec:
    _, grain = time_grain(window.days)
    data = []
    for r in rows:
        counts = {
            "page loaded": r.pages_fetched - r.pages_failed,
            "page failed": r.pages_failed,
            "feed: new content": r.feeds_fetched - r.feeds_failed - r.feeds_not_modified,
            "feed: 304 not modified": r.feeds_not_modified,
            "feed failed": r.feeds_failed,
            "sitemap loaded": r.sitemaps_fetched - r.sitemaps_failed,
            "sitemap failed": r.sitemaps_failed,
        }
        data += [{"day": r.day.isoformat(), "outcome": k, "requests": v}
                 for k, v in counts.items() if v > 0]
    return _stacked_day_bars(
        data, title=f"Requests per {grain}, by outcome",
        subtitle="feed, article-page and sitemap requests, by the day they were made (UTC)",
        x_title=f"Request {grain} (UTC)", value="requests", value_title="Requests",
        key="outcome", key_title="Outcome", start=window.ops_start.date(),
        end=window.ops_end.date(), days=window.days, height=200,
        colors=alt.Scale(domain=list(OUTCOME_COLORS), range=list(OUTCOME_COLORS.values())))


def feed_health_chart(rows: Sequence[FeedHealth]) -> Spec:
    outcomes = {"feed: new content": "ok", "feed: 304 not modified": "not_modified",
                "feed failed": "failed"}
    data = [{"feed": f.feed_name, "outcome": label, "requests": getattr(f, attr)}
            for f in rows for label, attr in outcomes.items() if getattr(f, attr)]
    chart = alt.Chart(
        alt.Data(values=data),
        title=alt.Title("Feed requests by outcome",
                        subtitle="each feed's requests in the window; 304 means the feed "
                                 "had not changed"),
    ).mark_bar().encode(
        y=alt.Y("feed:N", title="Feed", sort=[f.feed_name for f in rows],
                axis=alt.Axis(labelLimit=LABEL_LIMIT)),
        x=alt.X("sum(requests):Q", title="Requests", axis=_count_axis()),
        color=alt.Color("outcome:N", title="Outcome",
                        scale=alt.Scale(domain=list(outcomes),
                                        range=[OUTCOME_COLORS[k] for k in outcomes]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("feed:N", title="Feed"), alt.Tooltip("outcome:N", title="Outcome"),
                 alt.Tooltip("sum(requests):Q", title="Requests", format=COUNT_FORMAT)],
    ).properties(width=CONTAINER, height=_bars_height(len({d["feed"] for d in data}), 22),
                 autosize=FIT_WIDTH)
    return _config(chart)
