"""Read the article's own description from a page's schema.org JSON-LD.

News sites describe the article in <script type="application/ld+json"> for search engines:
headline, datePublished, dateModified, author and isAccessibleForFree (Google's paywall
markup). The blocks come in many shapes: one object, a list, an "@graph", the article nested
under a WebPage's "mainEntity" or "mainEntityOfPage", "@type" as a list or a full IRI, authors
as a string, an object, a list or an "@id" reference to a Person elsewhere in the page. A block
that is not valid JSON is skipped: the page is read without it.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import lxml.html

ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "ReportageNews", "AnalysisNewsArticle", "BackgroundNewsArticle",
    "OpinionNewsArticle", "ReviewNewsArticle", "BlogPosting", "LiveBlogPosting",
})
_ORGANISATION_TYPES = frozenset({"Organization", "NewsMediaOrganization", "Corporation"})
# Nested nodes that may hold the article: a WebPage's main entity, the members of a graph.
_NESTING_KEYS = ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement", "item")
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*", re.IGNORECASE)
_MAX_DEPTH = 6


@dataclass(frozen=True, slots=True)
class JsonLdArticle:
    """What the JSON-LD says about the article; None / () where it says nothing."""

    headline: str | None = None
    date_published: str | None = None  # as written; the profile parses it
    date_modified: str | None = None
    authors: tuple[str, ...] = ()
    is_free: bool | None = None


def _types(node: dict[str, Any]) -> set[str]:
    raw = node.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    # 'http://schema.org/NewsArticle' and 'schema:NewsArticle' name the same type
    return {re.split(r"[/:#]", n)[-1] for n in names if isinstance(n, str)}


def _nodes(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every object of a JSON-LD value that may describe the article, in document order."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, list):
        for v in value:
            yield from _nodes(v, depth + 1)
    elif isinstance(value, dict):
        yield value
        for key in _NESTING_KEYS:
            if key in value:
                yield from _nodes(value[key], depth + 1)


def _blocks(doc: lxml.html.HtmlElement) -> Iterator[Any]:
    xpath = ("//script[contains(translate(@type, 'APLICTONDJS', 'aplictondjs'),"
             " 'application/ld+json')]")
    for script in doc.xpath(xpath):
        text = script.text or ""
        # Some templates wrap the JSON in an HTML comment or CDATA section.
        text = re.sub(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$", "", text.strip())
        try:
            yield json.loads(text, strict=False)  # raw newlines inside strings are common
        except ValueError:
            continue  # malformed: the page is read without it


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        text = " ".join(html.unescape(value).split())
        return text or None
    return None


def _is_free(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().casefold() in ("true", "false"):
        return value.strip().casefold() == "true"
    return None


def _author_names(value: Any, by_id: dict[str, dict[str, Any]], depth: int = 0) -> list[str]:
    if depth > _MAX_DEPTH:
        return []
    if isinstance(value, list):
        return [n for v in value for n in _author_names(v, by_id, depth + 1)]
    if isinstance(value, str):
        return split_author_names(value)
    if not isinstance(value, dict):
        return []
    if "name" not in value and isinstance(value.get("@id"), str):
        value = by_id.get(value["@id"], value)  # {"@id": ...}: the Person is described elsewhere
    if _types(value) & _ORGANISATION_TYPES:
        return []  # a publisher credited as author names no person
    name = _text(value.get("name"))
    return [name] if name else []


def split_author_names(text: str) -> list[str]:
    """'Jane Doe, John Roe and Li Ming' as three names; a leading 'By ' is dropped. A URL (a
    social profile, as 'article:author' often holds) names nobody."""
    text = " ".join(html.unescape(text).split())
    text = re.sub(r"^by\s+", "", text, flags=re.IGNORECASE)
    if not text or re.match(r"^(?:https?:)?//|^www\.", text, re.IGNORECASE):
        return []
    return [p.strip(" .") for p in _NAME_SPLIT.split(text) if p.strip(" .")]


def _matches_url(node: dict[str, Any], url: str) -> bool:
    page = node.get("mainEntityOfPage")
    candidates = [node.get("url"), node.get("@id"), page]
    if isinstance(page, dict):
        candidates += [page.get("@id"), page.get("url")]
    wanted = url.split("#")[0].split("?")[0].rstrip("/")
    return any(isinstance(c, str) and c.split("#")[0].split("?")[0].rstrip("/") == wanted
               for c in candidates) if wanted else False


def read_jsonld(doc: lxml.html.HtmlElement, url: str = "") -> JsonLdArticle | None:
    """The page's article description: the article-typed node whose URL is the page's, else
    the first one; None when the page has no (valid) article JSON-LD."""
    nodes = [n for block in _blocks(doc) for n in _nodes(block)]
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and "name" in n}
    articles = [n for n in nodes if _types(n) & ARTICLE_TYPES]
    if not articles:
        return None
    node = next((n for n in articles if _matches_url(n, url)), articles[0])
    return JsonLdArticle(
        headline=_text(node.get("headline")) or _text(node.get("name")),
        date_published=_text(node.get("datePublished")),
        date_modified=_text(node.get("dateModified")),
        authors=tuple(dict.fromkeys(_author_names(node.get("author"), by_id))),
        is_free=_is_free(node.get("isAccessibleForFree")),
    )
