"""`newswire status` as rich renderables: recent runs and feed health.

Pure: a StatusData in, rich objects out (the caller prints them). Warehouse text (feed names,
URLs, error messages) is untrusted: it goes into rich `Text` objects, never through rich's
markup parser, and control characters (escape sequences included) become spaces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from transforms.report.data import FeedHealth, RunSummary, StatusData

STATUS_STYLES = {"success": "green", "partial": "yellow", "failed": "red", "crashed": "red",
                 "running": "cyan"}
ERROR_CHARS = 70


def plain(value: object) -> str:
    """Text safe to print on a terminal: control characters (ESC, CR, newlines) -> spaces."""
    text = "" if value is None else str(value)
    return "".join(ch if ch.isprintable() else " " for ch in text)


def cell(value: object, style: str = "") -> Text:
    return Text(plain(value), style=style)


def _short(text: str | None, limit: int) -> str:
    text = " ".join(plain(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _time(t: datetime | None) -> str:
    return "never" if t is None else f"{t:%Y-%m-%d %H:%M}"


def _ago(t: datetime | None, now: datetime) -> str:
    if t is None:
        return ""
    seconds = (now - t).total_seconds()
    if seconds < 0:
        return "(future)"
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"({seconds / size:.0f} {unit} ago)"
    return "(just now)"


def _took(run: RunSummary) -> str:
    if run.finished_at is None:
        return "–"
    return f"{(run.finished_at - run.started_at).total_seconds():.1f} s"


def merge_configured(
    feeds: Sequence[FeedHealth], configured: Sequence[tuple[str, str]] | None
) -> list[FeedHealth]:
    """Feed health for the feeds file's feeds too: a configured feed never fetched gets a row;
    each row says whether its feed is configured. `configured`: (name, url) pairs, or None
    when the feeds file could not be read (rows then say nothing about it)."""
    if configured is None:
        return list(feeds)
    names = {name for name, _ in configured}
    rows = [replace(f, configured=f.feed_name in names) for f in feeds]
    seen = {f.feed_name for f in feeds}
    rows += [FeedHealth(name, url, None, None, None, 0, 0, 0, 0, 0, 0, 0, configured=True)
             for name, url in configured if name not in seen]
    return sorted(rows, key=lambda f: f.feed_name)


def runs_table(runs: Sequence[RunSummary], total: int) -> Table:
    table = Table(title=f"Recent runs ({len(runs)} of {total}, newest first, UTC)",
                  title_justify="left", highlight=False)
    for name, justify in (("Started", "left"), ("Flow", "left"), ("Status", "left"),
                          ("Took", "right"), ("Feeds ok", "right"), ("New", "right"),
                          ("Updated", "right"), ("Unchanged", "right"),
                          ("Pages failed", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in runs:
        table.add_row(
            cell(_time(r.started_at)), cell(r.flow_name),
            cell(r.status, STATUS_STYLES.get(r.status, "")), cell(_took(r)),
            cell(f"{r.feeds_ok}/{r.feeds_ok + r.feeds_failed}",
                 "red" if r.feeds_failed else ""),
            cell(f"{r.articles_new:,}"), cell(f"{r.articles_updated:,}"),
            cell(f"{r.articles_unchanged:,}"),
            cell(f"{r.pages_failed:,}", "red" if r.pages_failed else ""))
    return table


def feeds_table(feeds: Sequence[FeedHealth], now: datetime, days: int) -> Table:
    table = Table(title=f"Feed health (requests and items over the last {days} days; "
                        "last success and last error over all time)",
                  title_justify="left", highlight=False)
    for name, justify in (("Feed", "left"), ("Last success", "left"), ("Last error", "left"),
                          ("Requests", "right"), ("304 rate", "right"), ("Failed", "right"),
                          ("Items", "right"), ("Items (all)", "right"),
                          ("Pages failed", "right"), ("Feed problems", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for f in feeds:
        failing = f.last_error_at is not None and (
            f.last_success_at is None or f.last_error_at > f.last_success_at)
        name = cell(f.feed_name, "bold")
        if f.configured is False:
            name.append(" (not in feeds file)", style="dim")
        success = cell(f"{_time(f.last_success_at)} {_ago(f.last_success_at, now)}".strip(),
                       "" if f.last_success_at else "yellow")
        error = (cell(f"{_time(f.last_error_at)}: {_short(f.last_error, ERROR_CHARS)}",
                      "red" if failing else "dim")
                 if f.last_error_at else cell("none", "dim"))
        rate = f.not_modified_rate
        table.add_row(name, success, error, cell(f"{f.requests:,}"),
                      cell("–" if rate is None else f"{100 * rate:.0f}%"),
                      cell(f"{f.failed:,}", "red" if f.failed else ""), cell(f"{f.items:,}"),
                      cell(f"{f.items_all_time:,}"),
                      cell(f"{f.pages_failed:,}", "red" if f.pages_failed else ""),
                      problems_cell(f))
    return table


def problems_cell(f: FeedHealth) -> Text:
    """How many problems the feed's documents had in the window, and the newest one."""
    if not f.last_problem:
        return cell("none", "dim")
    return cell(f"{f.problems:,}; {_time(f.last_problem_at)}: "
                f"{_short(f.last_problem, ERROR_CHARS)}", "yellow" if f.problems else "dim")


def status_renderables(data: StatusData, *, days: int, warehouse: str) -> list[RenderableType]:
    """What `newswire status` prints, top to bottom."""
    head = Text()
    head.append("newswire status", style="bold")
    head.append(f"  {plain(warehouse)}  at {_time(data.generated_at)} UTC\n")
    newest = (f", the newest dated {_time(data.newest_article_at)} UTC"
              if data.newest_article_at else "")
    head.append(f"{data.articles_total:,} articles{newest}; {data.runs_total:,} runs recorded")
    parts: list[RenderableType] = [head]
    if data.runs:
        parts.append(runs_table(data.runs, data.runs_total))
    else:
        parts.append(Text("No run recorded yet: run `newswire ingest`.", style="yellow"))
    if data.feeds:
        parts.append(feeds_table(data.feeds, data.generated_at, days))
    else:
        parts.append(Text("No feed fetched yet, and no feeds file to list.", style="yellow"))
    return [Group(*parts)]
