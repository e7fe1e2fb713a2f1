"""The report as one self-contained HTML document: `render_report(data, vega_js=...)`.

Pure: a ReportData and the Vega/Vega-Lite/vega-embed JavaScript in, an HTML string out.

Safety: everything from the warehouse is untrusted. Text goes through `esc` (HTML-escaped,
quotes included) unless it is an `Html` value this module built; links are only made for
http(s) URLs; chart specs are embedded as JSON in <script type="application/json"> with '<',
'>' and '&' written as \\u escapes, so no value can close the script element. The page's
Content-Security-Policy allows no network request of any kind (default-src 'none'), inline
script and style only; 'unsafe-eval' is there because Vega compiles its expressions with
Function().
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from transforms.report import charts
from transforms.report.data import (
    FeedHealth,
    ReportData,
    RunSummary,
    Speaker,
)
from transforms.report.markup import (
    ERROR_CHARS,
    QUOTE_CHARS,
    Html,
    empty,
    esc,
    fmt_ago,
    fmt_int,
    fmt_pct,
    fmt_time,
    join,
    json_for_script,
    link,
    script_safe_js,
    shorten,
    table,
)
from transforms.report.stories import stories_table

CSP = ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
       "style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; "
       "form-action 'none'")


class _Charts:
    """Collects the specs of one document, so each chart div names its JSON block."""

    def __init__(self) -> None:
        self.specs: list[tuple[str, dict[str, Any]]] = []

    def figure(self, name: str, spec: dict[str, Any], caption: str,
               data_table: Html | None = None) -> Html:
        chart_id = f"chart-{name}"
        self.specs.append((chart_id, spec))
        details = (f"<details><summary>Data</summary>{data_table}</details>"
                   if data_table else "")
        title = spec.get("title", {})
        label = title.get("text", name) if isinstance(title, dict) else str(title)
        return Html(
            f'<figure class="chart-figure"><div class="chart" id="{esc(chart_id)}"'
            f' data-spec="{esc(chart_id)}-spec" role="img" aria-label="{esc(label)}"></div>'
            f"<figcaption>{esc(caption)}</figcaption>{details}</figure>")

    def scripts(self) -> Html:
        return join(f'<script type="application/json" id="{esc(cid)}-spec">'
                    f"{json_for_script(spec)}</script>\n" for cid, spec in self.specs)


def _missing(data: ReportData, *marts: str) -> Html | None:
    """What a section says instead of its data when the marts could not be read (then no
    section has data): which of its marts are missing, or that the others are."""
    if not data.missing_marts:
        return None
    gone = [m for m in marts if m in data.missing_marts]
    if not gone:
        return empty("Not read, as other marts are missing: run `newswire models`, then the "
                     "report again.")
    names = ", ".join(f"marts.{m}" for m in gone)
    return empty(f"{names} not built yet: run `newswire models`, then the report again.")


# ---------------------------------------------------------------------------------- sections


def _volume(data: ReportData, c: _Charts) -> Html:
    missing = _missing(data, "daily_feed_articles", "daily_articles")
    if missing:
        return missing
    if not data.feed_volume:
        return empty()
    feeds: dict[str, int] = {}
    for row in data.feed_volume:
        feeds[row.feed_name] = feeds.get(row.feed_name, 0) + row.articles
    _, grain = charts.time_grain(data.window.days)
    caption = (f"Articles per {grain} and feed, by the day they were published (UTC). An "
               f"article listed by two feeds counts in both; the window holds "
               f"{data.articles:,} distinct articles. Source: marts.daily_feed_articles.")
    rows = [(r.day.isoformat(), r.feed_name, fmt_int(r.articles)) for r in data.feed_volume]
    summary = join(f"<li>{esc(f)}: {fmt_int(n)} article{'s' if n != 1 else ''}</li>"
                   for f, n in sorted(feeds.items(), key=lambda kv: (-kv[1], kv[0])))
    return Html(
        c.figure("volume", charts.volume_chart(data.feed_volume, data.window), caption,
                 table(("Day", "Feed", "Articles"), rows, numeric=[2]))
        + f'<ul class="inline">{summary}</ul>')


def _stories(data: ReportData, c: _Charts) -> Html:
    return _missing(data, "stories") or stories_table(data)


def _entities(data: ReportData, c: _Charts) -> Html:
    missing = _missing(data, "entity_daily", "country_daily")
    if missing:
        return missing
    parts = []
    for name, title, axis, rows, example in (
        ("people", "Top people", "Person", data.people, "'Xi' counts as 'Xi Jinping'"),
        ("organisations", "Top organisations", "Organisation", data.organisations,
         "'UN' counts as 'United Nations'"),
    ):
        if rows:
            caption = (f"The {len(rows)} {title.lower().removeprefix('top ')} most mentioned "
                       f"in the window's articles, by canonical name ({example}). Source: "
                       "marts.entity_daily.")
            parts.append(c.figure(
                name, charts.entity_bar_chart(rows, title=title, axis_title=axis), caption,
                table((axis, "Mentions", "Articles"),
                      [(r.name, fmt_int(r.mentions), fmt_int(r.articles)) for r in rows],
                      numeric=[1, 2])))
        else:
            parts.append(Html(f'<div class="chart-figure"><h3>{esc(title)}</h3>'
                              f"{empty()}</div>"))
    if data.countries:
        caption = ("Countries most mentioned, by name or by their people ('Kazakh' counts "
                   "for Kazakhstan); cities do not count for their country; an article "
                   "counts once per country. Source: marts.country_daily.")
        parts.append(c.figure(
            "countries", charts.country_bar_chart(data.countries, title="Top countries"),
            caption,
            table(("Country", "Code", "Mentions", "Articles"),
                  [(r.name, r.country_code, fmt_int(r.mentions), fmt_int(r.articles))
                   for r in data.countries], numeric=[2, 3])))
    else:
        parts.append(Html(f'<div class="chart-figure"><h3>Top countries</h3>{empty()}</div>'))
    return Html('<div class="grid">' + join(parts) + "</div>")


def _co_mentions(data: ReportData, c: _Charts) -> Html:
    missing = _missing(data, "entity_daily", "entity_pairs_daily")
    if missing:
        return missing
    if not data.co_entities:
        return empty()
    if not data.co_mentions:
        return empty("No two of the most mentioned entities share an article in this window.")
    names = {e.entity_id: e.name for e in data.co_entities}
    caption = (f"For the {len(data.co_entities)} entities most mentioned in the window (any "
               "type: people, organisations, places, nationalities), how many of the window's "
               "articles mention each pair. Empty cells: never together. Source: "
               "marts.entity_pairs_daily (marts.entity_pairs counts all time).")
    rows = [(names.get(p.entity_a, p.entity_a), names.get(p.entity_b, p.entity_b),
             fmt_int(p.articles)) for p in data.co_mentions]
    return c.figure("co-mentions", charts.co_mention_chart(data.co_entities, data.co_mentions),
                    caption, table(("Entity", "Entity", "Articles"), rows, numeric=[2]))


def _speaker_quotes(s: Speaker) -> Html:
    items = []
    for q in s.samples:
        source = link(q.url, q.title or q.url or "article")
        when = f", {q.published_at:%Y-%m-%d}" if q.published_at else ""
        items.append(f"<li><q>{esc(shorten(q.quote, QUOTE_CHARS))}</q>"
                     f'<span class="source"> in {source}{esc(when)}</span></li>')
    kind = f" ({esc(s.speaker_type)})" if s.speaker_type else " (unresolved)"
    counts = f"{s.quotes:,} quote{'s' if s.quotes != 1 else ''} in {s.articles:,} " \
             f"article{'s' if s.articles != 1 else ''}"
    if s.quotes_all_time is not None:
        counts += f"; {s.quotes_all_time:,} all time"
    return Html(f'<div class="speaker"><h3>{esc(s.speaker)}<small>{kind}</small></h3>'
                f'<p class="meta">{esc(counts)}</p><ul class="quotes">{join(items)}</ul></div>')


def _speakers(data: ReportData, c: _Charts) -> Html:
    missing = _missing(data, "quotes_by_speaker_daily", "quotes_by_speaker", "speaker_quotes")
    if missing:
        return missing
    if not data.speakers:
        return empty()
    caption = ("Speakers with the most quotes (direct or reported speech) in the window's "
               "articles, by canonical name; a speaker that resolved to no entity is kept "
               "under the name the article gave. Source: marts.quotes_by_speaker_daily, "
               "quotes from marts.speaker_quotes, the all-time count from "
               "marts.quotes_by_speaker.")
    rows = [(s.speaker, s.speaker_type or "", fmt_int(s.quotes), fmt_int(s.articles),
             fmt_int(s.quotes_all_time), fmt_time(s.last_quoted_at)) for s in data.speakers]
    figure = c.figure("speakers", charts.speakers_chart(data.speakers), caption,
                      table(("Speaker", "Type", "Quotes", "Articles", "All time",
                             "Last quoted"), rows, numeric=[2, 3, 4]))
    samples = join(_speaker_quotes(s) for s in data.speakers)
    return Html(f'{figure}<h3 class="sub">Sample quotes</h3><div class="speakers">{samples}'
                "</div>")


def _quality(data: ReportData, c: _Charts) -> Html:
    missing = _missing(data, "data_quality")
    parts: list[str] = []
    if missing:
        parts.append(missing)
    elif not data.text_fixes:
        parts.append(Html("<h3>Text fixes</h3>") + empty())
    else:
        articles = sum(d.articles for d in data.text_fixes)
        fixed = sum(d.articles_with_fixes for d in data.text_fixes)
        kinds: dict[str, int] = {}
        for d in data.text_fixes:
            for kind, n in d.fixes:
                kinds[kind] = kinds.get(kind, 0) + n
        summary = table(
            ("Fix", "Articles", "Share of articles"),
            [("any", fmt_int(fixed), fmt_pct(fixed / articles if articles else None))]
            + [(k, fmt_int(n), fmt_pct(n / articles if articles else None))
               for k, n in kinds.items()],
            numeric=[1, 2], caption=f"Text fixes in the window's {articles:,} articles")
        if fixed:
            caption = ("What text cleaning repaired, per publication day: mojibake (text "
                       "decoded with the wrong charset and re-encoded), encoding (page "
                       "decoded with another charset than it declared), end_mark (the "
                       "agency's end mark removed), caption (photo captions taken out of "
                       "the body). Source: marts.data_quality.")
            parts.append(c.figure("text-fixes",
                                  charts.text_fix_chart(data.text_fixes, data.window),
                                  caption, summary))
        else:
            parts.append(Html("<h3>Text fixes</h3>")
                         + empty("No text needed fixing in this window."))
        parts.append(summary)
    if not missing:
        if data.requests:
            caption = ("Every feed, article-page and sitemap request of the last "
                       f"{data.window.days} days by outcome, per day it was made: a failed "
                       "request ended in an error or an HTTP status other than 2xx or 304. "
                       "Source: marts.data_quality.")
            rows = [(r.day.isoformat(), fmt_int(r.pages_fetched), fmt_int(r.pages_failed),
                     fmt_int(r.feeds_fetched), fmt_int(r.feeds_not_modified),
                     fmt_int(r.feeds_failed), fmt_int(r.sitemaps_fetched),
                     fmt_int(r.sitemaps_failed), fmt_int(r.runs), fmt_int(r.runs_partial),
                     fmt_int(r.runs_failed)) for r in data.requests]
            parts.append(c.figure(
                "requests", charts.requests_chart(data.requests, data.window), caption,
                table(("Day", "Pages", "Pages failed", "Feeds", "Feeds 304", "Feeds failed",
                       "Sitemaps", "Sitemaps failed", "Runs", "Runs partial", "Runs failed"),
                      rows, numeric=range(1, 11))))
        else:
            parts.append(Html("<h3>Requests</h3>") + empty())
    parts.append(_missing(data, "failed_requests") or _failed_fetches(data))
    return join(parts)


def _failed_fetches(data: ReportData) -> Html:
    head = Html("<h3>Failed requests</h3>")
    if not data.failed_fetches:
        return head + empty("No failed feed, page or sitemap request in this window.")
    shown = len(data.failed_fetches)
    note = (f"The newest {shown} of {data.failed_fetches_total:,} failed requests"
            if data.failed_fetches_total > shown
            else f"{shown} failed request{'s' if shown != 1 else ''}")
    rows = [(fmt_time(f.fetched_at), f.kind, f.feed_name or "", link(f.url, shorten(f.url, 90)),
             "" if f.http_status is None else str(f.http_status),
             shorten(f.error, ERROR_CHARS)) for f in data.failed_fetches]
    return head + table(("When", "Kind", "Feed", "URL", "Status", "Error"), rows,
                        caption=f"{note} in the last {data.window.days} days "
                                "(marts.failed_requests).")


def failing(f: FeedHealth) -> bool:
    """The feed's latest request failed (its last error is newer than its last success)."""
    return f.last_error_at is not None and (
        f.last_success_at is None or f.last_error_at > f.last_success_at)


def feed_health_rows(feeds: Sequence[FeedHealth], now: datetime) -> list[list[object]]:
    def error(f: FeedHealth) -> object:
        if f.last_error_at is None:
            return "none"
        text = esc(f"{fmt_time(f.last_error_at)}: {shorten(f.last_error, ERROR_CHARS)}")
        return Html(f'<span class="bad">failing: {text}</span>') if failing(f) else text

    return [[f.feed_name, f"{fmt_time(f.last_success_at)} ({fmt_ago(f.last_success_at, now)})"
             if f.last_success_at else "never", error(f),
             fmt_int(f.requests), fmt_pct(f.not_modified_rate), fmt_int(f.failed),
             fmt_int(f.items), fmt_int(f.pages_failed), problems(f)] for f in feeds]


def problems(f: FeedHealth) -> object:
    """Problems of the feed's documents in the window (read, not failed), and the newest."""
    if not f.last_problem:
        return "none"
    return esc(f"{fmt_int(f.problems)}; {fmt_time(f.last_problem_at)}: "
               f"{shorten(f.last_problem, ERROR_CHARS)}")


def _took(r: RunSummary) -> str:
    if r.finished_at is None:
        return "–"
    return f"{(r.finished_at - r.started_at).total_seconds():.1f} s"


def _runs_table(runs: Sequence[RunSummary]) -> Html:
    rows = [(fmt_time(r.started_at), r.flow_name, r.status, _took(r),
             f"{r.feeds_ok}/{r.feeds_ok + r.feeds_failed}", fmt_int(r.articles_new),
             fmt_int(r.articles_updated), fmt_int(r.pages_failed)) for r in runs]
    return table(("Started", "Flow", "Status", "Took", "Feeds ok", "New", "Updated",
                  "Pages failed"), rows, numeric=[3, 5, 6, 7],
                 caption=f"The {len(rows)} most recent runs (marts.etl_runs)")


def _feeds(data: ReportData, c: _Charts) -> Html:
    missing = _missing(data, "feed_health_daily", "etl_runs")
    if missing:
        return missing
    parts: list[str] = []
    if not data.feeds:
        parts.append(empty("No feed has been fetched yet."))
    else:
        caption = (f"Each feed's requests in the last {data.window.days} days: new content "
                   "(2xx), 304 not modified (the feed had not changed since the last fetch), "
                   "or failed. The table gives the last success and the last error over all "
                   "time, and the feed problems (documents read, but malformed, served as "
                   "non-XML or with a wrong charset, or with items skipped) of the window and "
                   "the newest one. Source: marts.feed_health_daily.")
        health = table(("Feed", "Last success", "Last error", "Requests", "304 rate", "Failed",
                        "New items", "Pages failed", "Feed problems"), feed_health_rows(data.feeds,
                                                                       data.generated_at),
                       numeric=[3, 4, 5, 6, 7])
        if any(f.requests for f in data.feeds):
            parts.append(c.figure("feed-health", charts.feed_health_chart(data.feeds),
                                  caption, None))
        else:
            parts.append(empty("No feed request in this window."))
        parts.append(health)
    if data.runs:
        parts.append(_runs_table(data.runs))
    return join(parts)


# ---------------------------------------------------------------------------------- document

SECTIONS = (
    ("volume", "Daily volume by feed", _volume),
    ("stories", "Top stories", _stories),
    ("entities", "People, organisations and countries", _entities),
    ("co-mentions", "Who is mentioned with whom", _co_mentions),
    ("speakers", "Most quoted speakers", _speakers),
    ("quality", "Data quality", _quality),
    ("feeds", "Feed health", _feeds),
)

STYLE = """
:root { color-scheme: light; --muted: #555; --line: #ddd; --accent: #4c78a8; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  margin: 0; color: #1d1d1f; background: #fafafa; line-height: 1.45; }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 0 0 12px; padding-top: 8px; border-top: 3px solid var(--accent); }
h3 { font-size: 15px; margin: 12px 0 6px; }
h3 small { font-weight: normal; color: var(--muted); margin-left: 6px; }
.window { color: var(--muted); margin: 0 0 12px; }
nav { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 8px 0 16px; }
nav a { color: var(--accent); text-decoration: none; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px;
  min-width: 150px; }
.card b { display: block; font-size: 22px; }
.card span { color: var(--muted); font-size: 13px; }
.banner { background: #fff4e5; border: 1px solid #f0b429; border-radius: 6px; padding: 8px 12px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px;
  padding: 8px 20px 16px; margin: 0 0 20px; }
figure { margin: 8px 0 16px; }
figcaption { color: var(--muted); font-size: 13px; max-width: 900px; margin-top: 4px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 8px 24px; }
.grid > * { min-width: 0; }
.chart { width: 100%; min-height: 40px; overflow-x: auto; }
details { font-size: 13px; margin-top: 4px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0 12px; }
caption { text-align: left; color: var(--muted); padding-bottom: 4px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 10px 3px 0; text-align: left;
  vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.empty { color: var(--muted); font-style: italic; }
.bad { color: #b42318; font-weight: 600; }
ul.inline { list-style: none; padding: 0; display: flex; gap: 16px; flex-wrap: wrap;
  color: var(--muted); font-size: 13px; }
.speakers { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr));
  gap: 4px 24px; }
.speaker .meta { color: var(--muted); font-size: 13px; margin: 0; }
ul.quotes { padding-left: 18px; margin: 4px 0 8px; font-size: 14px; }
ul.quotes .source { color: var(--muted); font-size: 12px; }
footer { color: var(--muted); font-size: 12px; padding-bottom: 24px; }
"""

RENDER_SCRIPT = """
(function () {
  "use strict";
  var done = [];
  document.querySelectorAll("div.chart[data-spec]").forEach(function (el) {
    var spec = JSON.parse(document.getElementById(el.getAttribute("data-spec")).textContent);
    done.push(vegaEmbed(el, spec, {renderer: "svg", actions: false, mode: "vega-lite"})
      .then(function () { el.setAttribute("data-rendered", "true"); })
      .catch(function (err) {
        el.setAttribute("data-rendered", "error");
        el.textContent = "This chart could not be drawn: " + err;
        console.error("newswire report: chart " + el.id + " failed: " + err);
      }));
  });
  Promise.all(done).then(function () {
    document.body.setAttribute("data-charts", String(done.length));
  });
})();
"""


def _window_text(data: ReportData) -> Html:
    w = data.window
    anchor = ("ending on the newest article day" if w.newest_article_day == w.end
              else "ending on the chosen day")
    if w.newest_article_day is None:
        anchor = "no article loaded yet"
    return Html(
        f"Articles published {w.start:%Y-%m-%d} to {w.end:%Y-%m-%d} (UTC; {w.days} "
        f"day{'s' if w.days != 1 else ''}, {esc(anchor)}). Requests and runs: the "
        f"{w.days} UTC day{'s' if w.days != 1 else ''} {w.ops_start:%Y-%m-%d} to "
        f"{w.ops_end:%Y-%m-%d}, up to {esc(fmt_time(w.ops_end))}.")


def _cards(data: ReportData) -> Html:
    fixed = sum(d.articles_with_fixes for d in data.text_fixes)
    feeds_failing = sum(1 for f in data.feeds if failing(f))
    cards = [
        (fmt_int(data.articles), "articles in the window"),
        (fmt_int(len({v.feed_name for v in data.feed_volume})), "feeds with articles"),
        (fmt_int(fixed), "articles with text fixes"),
        (fmt_int(data.failed_fetches_total), f"failed requests, {data.window.days} d"),
        (fmt_int(feeds_failing), "feeds failing now"),
    ]
    return Html('<div class="cards">' + join(
        f'<div class="card"><b>{esc(v)}</b><span>{esc(label)}</span></div>'
        for v, label in cards) + "</div>")


def render_report(data: ReportData, *, vega_js: str) -> str:
    """The whole report. `vega_js` defines window.vegaEmbed (vl-convert's bundle)."""
    c = _Charts()
    sections = []
    for anchor, title, build in SECTIONS:
        sections.append(f'<section id="{anchor}"><h2>{esc(title)}</h2>{build(data, c)}'
                        "</section>")
    nav = join(f'<a href="#{anchor}">{esc(title)}</a>' for anchor, title, _ in SECTIONS)
    banner = ""
    if data.missing_marts:
        names = ", ".join(f"marts.{m}" for m in data.missing_marts)
        banner = (f'<p class="banner">Not built yet (or built by an older newswire): '
                  f"{esc(names)}. Run <code>newswire models</code> first to build the marts, "
                  "then the report again.</p>")
    built = (f" Marts built {esc(fmt_time(data.marts_built_at))}."
             if data.marts_built_at else "")
    title = f"newswire report {data.window.start:%Y-%m-%d} to {data.window.end:%Y-%m-%d}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="newswire report">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n"
        f"<script>{script_safe_js(vega_js)}</script>\n"
        "</head><body>\n"
        f'<header><h1>newswire report</h1><p class="window">{_window_text(data)}</p>'
        f"<nav>{nav}</nav>{banner}{_cards(data)}</header>\n"
        f"<main>{''.join(sections)}</main>\n"
        f"<footer>Generated {esc(fmt_time(data.generated_at))} by <code>newswire report"
        f"</code> from the warehouse's marts.{built} Charts: Vega-Lite, "
        "embedded; this file makes no network request.</footer>\n"
        f"{c.scripts()}<script>{RENDER_SCRIPT}</script>\n"
        "</body></html>\n"
    )
