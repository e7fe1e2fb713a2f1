"""Any news site: trafilatura finds the article text and headline, htmldate the date."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import htmldate
import trafilatura

from transforms.profiles.base import (
    drop_title_paragraph,
    element_text,
    first,
    meta_content,
    one_line,
    page_language,
    parse_html,
    parse_local_datetime,
)
from transforms.records import ExtractedPage

# htmldate bounds dates by "today" unless told otherwise; a fixed bound keeps this pure.
_MAX_DATE = "2100-12-31"
_ISO_META = ("article:published_time", "og:article:published_time", "datePublished",
             "pubdate", "publishdate", "publish-date", "date", "dc.date")


class GenericProfile:
    """Site-agnostic extraction, also the fallback of site profiles on unknown layouts."""

    name = "generic"
    agency: str | None = None
    language: str | None = None
    title_suffix: re.Pattern[str] | None = None

    def extract(self, html: str, url: str) -> ExtractedPage:
        doc = parse_html(html)
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
        title = getattr(extracted, "title", None) or meta_content(doc, "og:title")
        paragraphs = tuple(line for line in text.split("\n") if line.strip())
        h1 = one_line(element_text(first(doc, "//h1")))
        return ExtractedPage(
            title=title,
            published_at=published_at(html, doc_meta=meta_content(doc, *_ISO_META)),
            editor=None,
            source_name=meta_content(doc, "og:site_name") or getattr(extracted, "sitename", None),
            paragraphs=drop_title_paragraph(paragraphs, title, h1, meta_content(doc, "og:title")),
            language=page_language(doc) or getattr(extracted, "language", None),
            layout="generic",
        )


def published_at(html: str, doc_meta: str | None = None) -> datetime | None:
    """Publication time in UTC: an ISO meta with its offset if any, else htmldate (as UTC)."""
    from_meta = parse_local_datetime(doc_meta, 0)
    if from_meta is not None:
        return from_meta
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
