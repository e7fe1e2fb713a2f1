"""What each run leaves in Prefect's UI: a markdown summary and a table of its failures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prefect.artifacts import create_markdown_artifact, create_table_artifact

if TYPE_CHECKING:
    from flows.runs import RunSummary

_MAX_ROWS = 200  # the table is for reading; raw.fetch_log holds every failure


def _cell(text: str | None, limit: int = 160) -> str:
    text = (text or "").replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def summary_markdown(summary: RunSummary) -> str:
    c = summary.counts
    lines = [
        f"# {summary.flow_name} run `{summary.run_id}`: {summary.status}",
        "",
        "| feeds ok | feeds failed | pages processed | pages failed | new | updated | unchanged |",
        "|---|---|---|---|---|---|---|",
        f"| {summary.feeds_ok} | {summary.feeds_failed} | {summary.pages_processed} | "
        f"{summary.pages_failed} | {c.new} | {c.updated} | {c.unchanged} |",
        "",
        "## Text fixes",
        "",
    ]
    if summary.text_fixes:
        lines += ["| fix | articles |", "|---|---|"]
        lines += [f"| {fix} | {n} |" for fix, n in summary.text_fixes]
    else:
        lines.append("No article needed repair.")
    lines += ["", "## Feed problems", ""]
    if summary.feed_problems:
        lines += ["| feed | kind | detail |", "|---|---|---|"]
        lines += [f"| {_cell(feed)} | {p.kind} | {_cell(p.detail)} |"
                  for feed, p in summary.feed_problems[:_MAX_ROWS]]
    else:
        lines.append("None: every feed read was well-formed.")
    lines += ["", "## Failures", ""]
    if summary.failures:
        lines += ["| kind | url | status | reason |", "|---|---|---|---|"]
        lines += [f"| {f.kind} | {_cell(f.url)} | {f.http_status or ''} | {_cell(f.error)} |"
                  for f in summary.failures[:_MAX_ROWS]]
        if len(summary.failures) > _MAX_ROWS:
            lines.append(f"… and {len(summary.failures) - _MAX_ROWS} more in raw.fetch_log.")
    else:
        lines.append("None.")
    return "\n".join(lines)


def failures_table(summary: RunSummary) -> list[dict[str, object]]:
    return [{"kind": f.kind, "feed": f.feed_name, "url": f.url, "http_status": f.http_status,
             "error": f.error} for f in summary.failures[:_MAX_ROWS]]


def publish_run_artifacts(summary: RunSummary) -> None:
    key = f"newswire-{summary.flow_name}"
    create_markdown_artifact(summary_markdown(summary), key=f"{key}-summary",
                             description=f"{summary.flow_name} run summary")
    create_table_artifact(failures_table(summary) or [{"kind": "", "feed": "", "url": "",
                                                       "http_status": None, "error": "none"}],
                          key=f"{key}-failures",
                          description=f"{summary.flow_name}: feeds and pages that failed")
