"""HTML building blocks for the report: escaping, formatting, tables. Pure.

Everything from the warehouse is untrusted: text goes through `esc` (HTML-escaped, quotes
included) unless it is an `Html` value built here; links are only made for http(s) URLs.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

NO_DATA = "No data in this window."
QUOTE_CHARS = 280
ERROR_CHARS = 160


class Html(str):
    """Markup built here from escaped parts: `esc` passes it through unchanged."""

    __slots__ = ()


def esc(value: object) -> Html:
    if isinstance(value, Html):
        return value
    return Html(html.escape("" if value is None else str(value), quote=True))


def join(parts: Iterable[str], sep: str = "") -> Html:
    """Concatenate markup. The parts are markup already: build them with `esc` around every
    value (only `table` cells and `esc` itself escape)."""
    return Html(sep.join(parts))


def json_for_script(value: Any) -> str:
    """JSON that is safe inside a <script> element, whatever strings it holds."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def script_safe_js(code: str) -> str:
    """Library JavaScript for an inline <script>: '</script' cannot end the element early
    (inside JS strings and regular expressions, '<\\/' means '</')."""
    return code.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def fmt_int(n: int | None) -> str:
    return "–" if n is None else f"{n:,}"


def fmt_pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def fmt_time(t: datetime | None) -> str:
    return "never" if t is None else f"{t:%Y-%m-%d %H:%M} UTC"


def fmt_ago(t: datetime | None, now: datetime) -> str:
    if t is None:
        return "never"
    seconds = (now - t).total_seconds()
    if seconds < 0:
        return "in the future"
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{seconds / size:.0f} {unit} ago"
    return "just now"


def shorten(text: str | None, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def link(url: str | None, text: object) -> Html:
    """An <a> to an http(s) URL; any other scheme (javascript:, data:) gets plain text."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return Html(f'<a href="{esc(url.strip())}" rel="noopener noreferrer">{esc(text)}</a>')
    return esc(text)


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], *,
          numeric: Iterable[int] = (), caption: str | None = None) -> Html:
    right = set(numeric)
    head = join(f'<th{" class=num" if i in right else ""}>{esc(h)}</th>'
                for i, h in enumerate(headers))
    body = join(
        "<tr>" + join(f'<td{" class=num" if i in right else ""}>{esc(c)}</td>'
                      for i, c in enumerate(row)) + "</tr>"
        for row in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return Html(f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def empty(message: str = NO_DATA) -> Html:
    return Html(f'<p class="empty">{esc(message)}</p>')
