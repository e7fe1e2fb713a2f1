"""What a site profile is, and the small HTML helpers the profiles share."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Protocol, runtime_checkable

import lxml.html
from lxml import etree

from transforms.errors import ExtractionError
from transforms.records import ExtractedPage


@runtime_checkable
class Profile(Protocol):
    """Reads one site's article pages. Supporting another site means adding a module."""

    name: str
    agency: str | None  # default source_name, and the agency whose credits mark captions
    language: str | None  # default when the page does not say and the body is inconclusive
    title_suffix: re.Pattern[str] | None  # site suffix of <title> and feed titles

    def extract(self, html: str, url: str, *, fetched_at: datetime | None = None
                ) -> ExtractedPage:
        """Read the page. `fetched_at`: when it was fetched; a publication time later than
        that is rejected (see not_after_fetch). None: no bound."""
        ...


def parse_html(html: str) -> lxml.html.HtmlElement:
    """Parse a page; ExtractionError when there is no document at all."""
    # lxml refuses str input that carries an encoding declaration, and the text is decoded
    # already, so the declaration is dropped.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    if not html.strip():
        raise ExtractionError("empty page")
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as e:
        raise ExtractionError(f"unparsable page: {e}") from e


def has_class(name: str) -> str:
    """XPath predicate: the element's class list contains `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def first(doc: lxml.html.HtmlElement, xpath: str) -> lxml.html.HtmlElement | None:
    found = doc.xpath(xpath)
    return found[0] if found else None


def element_text(el: lxml.html.HtmlElement | None) -> str:
    """Visible text of an element; <br> becomes a line break, scripts and styles are skipped."""
    if el is None:
        return ""
    parts: list[str] = []
    _collect(el, parts)
    return "".join(parts)


def _collect(el: lxml.html.HtmlElement, parts: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in ("script", "style", "noscript", "template") or not isinstance(el.tag, str):
        return  # comments and processing instructions have no visible text either
    if tag == "br":
        parts.append("\n")
    elif el.text:
        parts.append(el.text)
    for child in el:
        _collect(child, parts)
        if child.tail:
            parts.append(child.tail)


def one_line(text: str) -> str:
    return " ".join(text.split())


def meta_content(doc: lxml.html.HtmlElement, *names: str) -> str | None:
    """Content of the first <meta name=...> or <meta property=...> among `names`, if non-empty."""
    for name in names:
        for el in doc.xpath("//meta[@name=$n or @property=$n or @itemprop=$n]", n=name):
            content = one_line(el.get("content") or "")
            if content:
                return content
    return None


# Paragraph-like elements of an article body: <p>, and the headings some templates use for
# sub-headings (which are body text).
_PARAGRAPHS = ".//p | .//h2 | .//h3 | .//h4 | .//h5 | .//h6"
_BLOCKS = frozenset({
    "p", "div", "section", "article", "blockquote", "center", "figure", "figcaption", "header",
    "footer", "aside", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "td", "th", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6",
})


def block_paragraphs(container: lxml.html.HtmlElement | None) -> tuple[str, ...]:
    """Texts of the paragraphs of an article container in document order, empty ones skipped.

    The paragraphs are its <p> elements (and headings); a container without any gives the
    texts of its innermost blocks and the runs of loose text between them instead.
    """
    if container is None:
        return ()
    if any(element_text(p).strip() for p in container.iter("p")):
        texts = (element_text(el) for el in container.xpath(_PARAGRAPHS))
        return tuple(t for t in texts if t.strip())
    out: list[str] = []
    _leaf_blocks(container, out)
    return tuple(t for t in out if t.strip())


def _is_block(el: lxml.html.HtmlElement) -> bool:
    return isinstance(el.tag, str) and el.tag in _BLOCKS


def _leaf_blocks(el: lxml.html.HtmlElement, out: list[str]) -> None:
    if not any(_is_block(d) for d in el.iterdescendants()):
        out.append(element_text(el))
        return
    run: list[str] = [el.text or ""]
    for child in el:
        if _is_block(child):
            out.append("".join(run))
            run = []
            _leaf_blocks(child, out)
        else:
            run.append(element_text(child))
        run.append(child.tail or "")
    out.append("".join(run))


def drop_title_paragraph(paragraphs: tuple[str, ...], *titles: str | None) -> tuple[str, ...]:
    """Extractors that read the whole article element return the headline as paragraph one."""
    if not paragraphs:
        return paragraphs
    head = one_line(paragraphs[0]).casefold()
    if any(t and one_line(t).casefold() == head for t in titles):
        return paragraphs[1:]
    return paragraphs


def page_language(doc: lxml.html.HtmlElement) -> str | None:
    """ISO 639-1 code from <html lang> or a content-language meta, if the page says."""
    raw = doc.get("lang") or doc.get("xml:lang") or meta_content(doc, "language")
    if not raw:
        xpath = "//meta[translate(@http-equiv, 'LANGUE', 'langue')='content-language']/@content"
        raw = next(iter(doc.xpath(xpath)), None)
    m = re.match(r"\s*([A-Za-z]{2})(?:[-_]|\s*$)", raw or "")
    return m.group(1).lower() if m else None


# Between year, month and day: '2024-10-16', '2024/10/16', '2024 10 / 16', '2024年10月16'.
_SEP = r"(?:\s*[-/.\u5e74\u6708]\s*|\s+)"
_DATETIME = re.compile(
    r"(?P<y>\d{4})" + _SEP + r"(?P<mo>\d{1,2})" + _SEP + r"(?P<d>\d{1,2})\u65e5?"
    r"(?:[T\s]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d{1,9})?)?)?"
    r"\s*(?P<tz>(?:UTC|GMT)\s*[+-]\s*\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}|Z|UTC|GMT)?",
)


def parse_local_datetime(text: str | None, default_offset_hours: float) -> datetime | None:
    """First date-time in `text` as an aware UTC datetime.

    Without an offset in the text the time is taken to be at `default_offset_hours` from UTC
    (8 for Beijing time); a date without a time is midnight there.
    """
    if not text:
        return None
    m = _DATETIME.search(text)
    if m is None:
        return None
    try:
        local = datetime(
            int(m["y"]), int(m["mo"]), int(m["d"]),
            int(m["h"] or 0), int(m["mi"] or 0), int(m["s"] or 0),
        )
    except ValueError:
        return None
    try:
        zone = timezone(_offset(m["tz"], default_offset_hours))
        return local.replace(tzinfo=zone).astimezone(UTC)
    except (ValueError, OverflowError):
        return None  # an offset of a day or more, or a time outside the datetime range


def states_offset(text: str | None) -> bool:
    """Whether the first date-time in `text` says its UTC offset ('Z', '+08:00', 'GMT')."""
    m = _DATETIME.search(text or "")
    return m is not None and m["tz"] is not None


# A page fetched at T was published by T; a little later is the two clocks disagreeing.
CLOCK_SKEW = timedelta(hours=1)
# A time printed without its offset is read in a default zone that may be wrong by up to 14
# hours (UTC+14 is the zone furthest ahead): a fresh article of a site east of UTC, read as
# UTC, seems to come from the future.
UNSTATED_ZONE_SLACK = timedelta(hours=14)


def not_after_fetch(
    when: datetime | None, fetched_at: datetime | None, *, zone_known: bool = True
) -> datetime | None:
    """`when`, or None when it lies after the fetch (beyond CLOCK_SKEW, and beyond
    UNSTATED_ZONE_SLACK too when its zone was guessed): a date in the future is an event's,
    an embargo's or a template's, not the publication time. No bound without `fetched_at`."""
    limit = latest_publication(fetched_at, zone_known=zone_known)
    if when is None or limit is None:
        return when
    return when if when <= limit else None


def latest_publication(fetched_at: datetime | None, *, zone_known: bool = True
                       ) -> datetime | None:
    """The latest publication time (UTC) a page fetched at `fetched_at` can have (a naive
    fetch time is UTC); None without a fetch time."""
    if fetched_at is None:
        return None
    fetched = fetched_at.replace(tzinfo=UTC) if fetched_at.tzinfo is None else fetched_at
    return fetched.astimezone(UTC) + CLOCK_SKEW + (
        timedelta(0) if zone_known else UNSTATED_ZONE_SLACK)


def _offset(tz: str | None, default_hours: float) -> timedelta:
    if not tz:
        return timedelta(hours=default_hours)
    tz = tz.replace(" ", "")
    if tz in ("Z", "UTC", "GMT"):
        return timedelta(0)
    m = re.search(r"([+-])(\d{1,2}):?(\d{2})?$", tz)
    if m is None:
        return timedelta(hours=default_hours)
    sign = -1 if m.group(1) == "-" else 1
    return sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
