"""Any news site: the page's JSON-LD first for headline, dates, authors and paywall; then
meta tags; trafilatura finds the article text (and a headline), htmldate a date."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import htmldate
import lxml.html
import trafilatura

from transforms.profiles.base import (
    drop_title_paragraph,
    element_text,
    first,
    meta_content,
    not_after_fetch,
    one_line,
    page_language,
    parse_html,
    parse_local_datetime,
    states_offset,
)
from transforms.profiles.jsonld import JsonLdArticle, read_jsonld, split_author_names
from transforms.records import ExtractedPage

# htmldate bounds dates by "today" unless told otherwise; a fixed bound keeps this pure. The
# fetch time is not passed as its bound: past a page's only date, htmldate makes one up from
# its year and month (measured: '2025-02-27' bounded by 2025-02-20 gave 2025-02-01). Its
# answer is checked against the fetch instead.
_MAX_DATE = "2100-12-31"
_ISO_META = ("article:published_time", "og:article:published_time", "datePublished",
             "pubdate", "publishdate", "publish-date", "date", "dc.date")
# Meta tags naming the author; 'article:author' often holds a profile URL instead (skipped).
_AUTHOR_META = ("author", "article:author", "dc.creator")


class GenericProfile:
    """Site-agnostic extraction, also the fallback of site profiles on unknown layouts."""

    name = "generic"
    agency: str | None = None
    language: str | None = None
    title_suffix: re.Pattern[str] | None = None

    def extract(self, html: str, url: str, *, fetched_at: datetime | None = None
                ) -> ExtractedPage:
        doc = parse_html(html)
        ld = read_jsonld(doc, url) or JsonLdArticle()
        extracted = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            deduplicate=False,
        )
        text = getattr(extracted, "text", None) or ""
        found_title = getattr(extracted, "title", None)
        title = ld.headline or found_title or meta_content(doc, "og:title")
        paragraphs = tuple(line for line in text.split("\n") if line.strip())
        h1 = one_line(element_text(first(doc, "//h1")))
        return ExtractedPage(
            title=title,
            published_at=published_at(html, doc, ld, fetched_at),
            editor=None,
            source_name=meta_content(doc, "og:site_name") or getattr(extracted, "sitename", None),
            paragraphs=drop_title_paragraph(paragraphs, title, found_title, h1,
                                            meta_content(doc, "og:title")),
            language=page_language(doc) or getattr(extracted, "language", None),
            layout="generic",
            authors=ld.authors or meta_authors(doc),
            is_free=ld.is_free,
        )


def meta_authors(doc: lxml.html.HtmlElement) -> tuple[str, ...]:
    """Names of the first author meta tag that names someone (not a URL)."""
    for name in _AUTHOR_META:
        names = split_author_names(meta_content(doc, name) or "")
        if names:
            return tuple(dict.fromkeys(names))
    return ()


def _stated_times(doc: lxml.html.HtmlElement, ld: JsonLdArticle) -> Iterator[str]:
    """What the page states as its time, best first: JSON-LD datePublished, the ISO metas,
    then JSON-LD dateModified (no earlier than publication: a statement about this article
    still beats htmldate's search of the whole page for a date)."""
    if ld.date_published:
        yield ld.date_published
    for name in _ISO_META:
        for el in doc.xpath("//meta[@name=$n or @property=$n or @itemprop=$n]", n=name):
            content = one_line(el.get("content") or "")
            if content:
                yield content
    if ld.date_modified:
        yield ld.date_modified


def published_at(html: str, doc: lxml.html.HtmlElement, ld: JsonLdArticle,
                 fetched_at: datetime | None = None) -> datetime | None:
    """Publication time in UTC: the first time the page states (see _stated_times; UTC when it
    gives no offset) that is not after the fetch, else htmldate's date (as UTC)."""
    for text in _stated_times(doc, ld):
        when = not_after_fetch(parse_local_datetime(text, 0), fetched_at,
                               zone_known=states_offset(text))
        if when is not None:
            return when
    return not_after_fetch(_htmldate(html), fetched_at, zone_known=False)


def _htmldate(html: str) -> datetime | None:
    try:
        found = htmldate.find_date(
            html, extensive_search=False, original_date=True,
            outputformat="%Y-%m-%d %H:%M:%S", max_date=_MAX_DATE,
        )
    except (ValueError, TypeError):
        return None
    if not found:
        return None
    parsed = parse_local_datetime(one_line(found), 0)
    return parsed.astimezone(UTC) if parsed else None


PROFILE = GenericProfile()
