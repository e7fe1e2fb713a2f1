"""transforms.profiles.jsonld: the article's schema.org description in its many shapes."""

from __future__ import annotations

import json

import pytest

from transforms.profiles.base import parse_html
from transforms.profiles.jsonld import JsonLdArticle, read_jsonld, split_author_names

URL = "https://news.example/2025/03/rail.html"


def page(*blocks: object, raw: str = "") -> str:
    scripts = "".join(f'<script type="application/ld+json">{json.dumps(b)}</script>'
                      for b in blocks)
    return f"<html><head>{scripts}{raw}</head><body><p>Text.</p></body></html>"


def read(html: str) -> JsonLdArticle | None:
    return read_jsonld(parse_html(html), URL)


def test_one_news_article() -> None:
    got = read(page({"@context": "https://schema.org", "@type": "NewsArticle",
                     "headline": "Rail line reopens", "datePublished": "2025-03-14T15:12:00Z",
                     "dateModified": "2025-03-15T08:00:00Z",
                     "author": [{"@type": "Person", "name": "Ingrid Halvorsen"},
                                {"@type": "Person", "name": "Tomas Achebe-Lund"}],
                     "isAccessibleForFree": False}))
    assert got == JsonLdArticle("Rail line reopens", "2025-03-14T15:12:00Z",
                                "2025-03-15T08:00:00Z", ("Ingrid Halvorsen", "Tomas Achebe-Lund"),
                                False)


def test_graph_with_author_by_reference_and_type_list() -> None:
    got = read(page({"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "@id": "https://news.example/#site", "name": "News"},
        {"@type": ["Article", "NewsArticle"], "headline": "Garden doubles its plots",
         "author": {"@id": "https://news.example/#/person/1"},
         "isAccessibleForFree": "True"},
        {"@type": "Person", "@id": "https://news.example/#/person/1", "name": "Mara Quill"},
    ]}))
    assert got is not None
    assert (got.headline, got.authors, got.is_free) == ("Garden doubles its plots",
                                                         ("Mara Quill",), True)


def test_article_nested_in_a_webpage_and_a_list_of_blocks() -> None:
    got = read(page([{"@type": "BreadcrumbList"},
                     {"@type": "WebPage", "mainEntity": {
                         "@type": "http://schema.org/ReportageNews", "headline": "Flood",
                         "author": "Jane Doe and John Roe", "isAccessibleForFree": "false"}}]))
    assert got is not None
    assert (got.headline, got.authors, got.is_free) == ("Flood", ("Jane Doe", "John Roe"), False)


def test_article_under_main_entity_of_page() -> None:
    got = read(page({"@type": "WebPage", "mainEntityOfPage": {
        "@type": "BlogPosting", "headline": "Notes", "author": {"name": "Ana Ruiz"}}}))
    assert got is not None and (got.headline, got.authors) == ("Notes", ("Ana Ruiz",))


def test_the_article_of_this_page_wins_over_related_ones() -> None:
    got = read(page({"@graph": [
        {"@type": "NewsArticle", "headline": "Related story", "url": "https://news.example/x"},
        {"@type": "NewsArticle", "headline": "This story", "mainEntityOfPage": {"@id": URL}},
    ]}))
    assert got is not None and got.headline == "This story"


def test_organisation_authors_name_nobody() -> None:
    got = read(page({"@type": "NewsArticle", "headline": "H",
                     "author": [{"@type": "NewsMediaOrganization", "name": "Rail Today"},
                                {"@type": "Person", "name": "Pieter van Aalst"}]}))
    assert got is not None and got.authors == ("Pieter van Aalst",)


@pytest.mark.parametrize(("value", "expected"), [
    (True, True), (False, False), ("True", True), ("False", False), ("false", False),
    ("maybe", None), (None, None), (0, None),
])
def test_is_accessible_for_free(value: object, expected: bool | None) -> None:
    block = {"@type": "NewsArticle", "headline": "H"}
    if value is not None:
        block["isAccessibleForFree"] = value
    got = read(page(block))
    assert got is not None and got.is_free is expected


def test_malformed_blocks_are_skipped_not_errors() -> None:
    good = {"@type": "NewsArticle", "headline": "Still read"}
    got = read(page(good, raw='<script type="application/ld+json">{"@type": "NewsArticle",'
                              ' "headline": </script><script type="application/ld+json">'
                              '</script>'))
    assert got is not None and got.headline == "Still read"
    assert read(page(raw='<script type="application/ld+json">{not json</script>')) is None


def test_raw_newlines_in_strings_and_comment_wrapping_are_tolerated() -> None:
    raw = ('<script type="application/ld+json"><!--\n{"@type": "NewsArticle",'
           ' "headline": "Two\nlines"}\n--></script>')
    got = read(page(raw=raw))
    assert got is not None and got.headline == "Two lines"


def test_pages_without_article_json_ld() -> None:
    assert read(page()) is None
    assert read(page({"@type": "Organization", "name": "News"}, [], "text", 3)) is None


def test_split_author_names() -> None:
    assert split_author_names("By Jane Doe & John Roe") == ["Jane Doe", "John Roe"]
    assert split_author_names("https://www.facebook.com/someone") == []
    assert split_author_names("  ") == []
