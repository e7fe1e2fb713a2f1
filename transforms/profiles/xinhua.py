"""Xinhua English article pages: the 2021+ layout of english.news.cn and the 2017-2020 layout
of www.xinhuanet.com/english. Any other layout goes through the generic profile, keeping what
the Xinhua conventions still say about it (Beijing time, site suffix, agency).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

import lxml.html

from transforms import boilerplate
from transforms.cleaning import clean_title
from transforms.profiles.base import (
    block_paragraphs,
    drop_title_paragraph,
    element_text,
    first,
    has_class,
    meta_content,
    not_after_fetch,
    one_line,
    page_language,
    parse_html,
    parse_local_datetime,
)
from transforms.profiles.generic import PROFILE as GENERIC
from transforms.profiles.generic import meta_authors
from transforms.profiles.jsonld import read_jsonld
from transforms.records import ExtractedPage

BEIJING_UTC_OFFSET_HOURS = 8  # pages print Beijing time unless they give an offset

# ' - Xinhua | English.news.cn', ' - Xinhua', ' | Xinhuanet', '_English_Xinhua'; removed one at
# a time from the end until none is left.
TITLE_SUFFIX = re.compile(
    r"\s*(?:(?:[-|_\u2013\u2014]\s*)+(?:Xinhua(?:net)?(?:\s*English)?|(?:english\.)?news\.cn|"
    r"(?:www\.)?xinhuanet\.com(?:/english)?)|_English)\s*$",
    re.IGNORECASE,
)
# 'Source: Xinhua| 2018-09-12 19:08:55' as the old layout prints it, anywhere in the page.
_SOURCE_AND_TIME = re.compile(
    r"Source\s*[:\uff1a]\s*[^|\n]{1,40}\|\s*(\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?)"
)


@dataclass(frozen=True)
class Layout:
    """Where one page template keeps each field (XPath, first match wins)."""

    name: str
    body: str
    title: tuple[str, ...]
    time: tuple[str, ...]
    source: tuple[str, ...]
    editor: tuple[str, ...]


LAYOUT_2021 = Layout(
    name="xinhua-2021",
    body="//div[@id='detail']",
    title=(
        f"//div[{has_class('head-line')}]//h1//span[{has_class('title')}]",
        f"//div[{has_class('head-line')}]//h1",
    ),
    time=(f"//div[{has_class('header-time')}]",),
    source=(f"//span[{has_class('source')}]", f"//div[{has_class('source')}]"),
    editor=(f"//div[{has_class('editor')}]", f"//span[{has_class('editor')}]"),
)
LAYOUT_2017 = Layout(
    name="xinhua-2017",
    body="//div[@id='p-detail']",
    title=(f"//div[{has_class('h-title')}]", "//h1[@id='title']"),
    time=(f"//span[{has_class('h-time')}]", f"//div[{has_class('h-info')}]"),
    source=(f"//span[{has_class('h-source')}]",),
    editor=(f"//span[{has_class('p-editor')}]", f"//div[{has_class('p-tags')}]"),
)
LAYOUTS: tuple[Layout, ...] = (LAYOUT_2021, LAYOUT_2017)
# On an unknown layout the header fields are still looked for wherever either template has them.
ANY_LAYOUT = Layout(
    name="xinhua-unknown",
    body="",
    title=LAYOUT_2021.title + LAYOUT_2017.title,
    time=LAYOUT_2021.time + LAYOUT_2017.time,
    source=LAYOUT_2021.source + LAYOUT_2017.source,
    editor=LAYOUT_2021.editor + LAYOUT_2017.editor,
)


def _texts(doc: lxml.html.HtmlElement, xpaths: tuple[str, ...]) -> list[str]:
    return [one_line(element_text(el)) for xp in xpaths for el in doc.xpath(xp)]


def _first_text(doc: lxml.html.HtmlElement, xpaths: tuple[str, ...]) -> str | None:
    return next((t for t in _texts(doc, xpaths) if t), None)


def _time_text(el: lxml.html.HtmlElement) -> str:
    # header-time splits the date into <em>s ('2024', '10', '/', '16'); keep them apart.
    return " ".join(t.strip() for t in el.itertext() if t.strip())


def page_time(doc: lxml.html.HtmlElement, layout: Layout,
              fetched_at: datetime | None = None) -> datetime | None:
    """Publication time (UTC): meta publishdate, the layout's time element, the source line;
    the first that is not after the fetch (Beijing time is the site's, not a guess)."""
    candidates = [meta_content(doc, "publishdate", "PubDate", "pubdate")]
    candidates += [_time_text(el) for xp in layout.time for el in doc.xpath(xp)]
    m = _SOURCE_AND_TIME.search(one_line(element_text(first(doc, "//body"))))
    candidates.append(m.group(1) if m else None)
    for text in candidates:
        when = not_after_fetch(parse_local_datetime(text, BEIJING_UTC_OFFSET_HOURS), fetched_at)
        if when is not None:
            return when
    return None


def page_title(doc: lxml.html.HtmlElement, layout: Layout) -> str | None:
    """Headline as the page shows it; else <title> or og:title without the site suffix."""
    heading = _first_text(doc, layout.title)
    if heading:
        return heading
    raw = one_line(element_text(first(doc, "//head/title"))) or meta_content(doc, "og:title")
    return clean_title(raw, TITLE_SUFFIX)


def page_editor(doc: lxml.html.HtmlElement, layout: Layout) -> str | None:
    for text in _texts(doc, layout.editor):
        name = boilerplate.find_editor(text)
        if name:
            return name
    return None


def page_source(doc: lxml.html.HtmlElement, layout: Layout) -> str | None:
    for text in [*_texts(doc, layout.source), meta_content(doc, "source") or ""]:
        source = boilerplate.source_line(text, require_label=False) if text else None
        if source:
            return source
    return None


def detect_layout(doc: lxml.html.HtmlElement) -> Layout | None:
    for layout in LAYOUTS:
        body = first(doc, layout.body)
        if body is not None and block_paragraphs(body):
            return layout
    return None


class XinhuaProfile:
    name = "xinhua"
    agency: str | None = "Xinhua"
    language: str | None = "en"
    title_suffix: re.Pattern[str] | None = TITLE_SUFFIX

    def extract(self, html: str, url: str, *, fetched_at: datetime | None = None
                ) -> ExtractedPage:
        doc = parse_html(html)
        layout = detect_layout(doc)
        if layout is None:
            page = GENERIC.extract(html, url, fetched_at=fetched_at)
            title = page_title(doc, ANY_LAYOUT) or page.title
            return replace(
                page,
                title=title,
                paragraphs=drop_title_paragraph(page.paragraphs, title),
                published_at=page_time(doc, ANY_LAYOUT, fetched_at) or page.published_at,
                editor=page_editor(doc, ANY_LAYOUT),
                source_name=page_source(doc, ANY_LAYOUT) or self.agency,
                layout=f"{ANY_LAYOUT.name}/generic",
            )
        # Bylines in the text are the main source of authors; metadata, where a page has it.
        ld = read_jsonld(doc, url)
        return ExtractedPage(
            title=page_title(doc, layout),
            published_at=page_time(doc, layout, fetched_at),
            editor=page_editor(doc, layout),
            source_name=page_source(doc, layout) or self.agency,
            paragraphs=block_paragraphs(first(doc, layout.body)),
            language=page_language(doc),  # the default is build_article's last resort
            layout=layout.name,
            authors=(ld.authors if ld else ()) or meta_authors(doc),
            is_free=ld.is_free if ld else None,
        )


PROFILE = XinhuaProfile()
