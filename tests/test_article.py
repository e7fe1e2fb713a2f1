"""transforms.article.build_article: page bytes to an Article record."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from transforms.article import build_article, has_article_text, word_count
from transforms.errors import ExtractionError
from transforms.records import Article

PAGES = Path(__file__).parent / "fixtures" / "pages"
URL = "http://127.0.0.1:8000/20230302/abc/c.html"


def build(body: bytes, content_type: str | None = "text/html; charset=utf-8",
          profile: str = "xinhua", **feed: object) -> Article:
    return build_article(item_url=URL + "?utm_source=rss", canonical_url=URL, article_id="a1",
                         body=body, content_type=content_type, profile=profile, **feed)


def raw(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def test_full_2021_page() -> None:
    a = build(raw("xinhua_2021_full.html"))
    assert a.article_id == "a1"
    assert a.url == URL + "?utm_source=rss"
    assert a.canonical_url == URL
    assert a.title == "Feature: Harbin ice festival draws record crowds despite cold snap"
    assert a.published_at == datetime(2023, 3, 1, 23, 15, 20, tzinfo=UTC)
    assert a.dateline_place == "HARBIN"
    assert a.editor == "Sun Mei"
    assert a.photo_credits == ("Zhou Ming", "Qiao Lan", "Gu Yan")
    assert a.source_name == "Xinhua"
    assert a.language == "en"
    assert a.text_fixes == ("end_mark", "caption")
    paragraphs = a.body.split("\n\n")
    assert paragraphs[0].startswith("Bundled in thick coats")
    assert paragraphs[1] == "A WINTER ECONOMY"
    assert paragraphs[-1] == "The festival will close when temperatures start to rise in mid-March."
    assert len(paragraphs) == 5
    assert a.word_count == len(a.body.split())
    assert a.content_hash == hashlib.sha256(a.body.encode("utf-8")).hexdigest()


def test_header_editor_wins_over_the_body_line() -> None:
    a = build(raw("xinhua_2021_trailer.html"))
    assert a.editor == "Gao Ning"
    assert a.dateline_place is None
    assert a.text_fixes == ("mojibake", "end_mark")
    assert "Editor" not in a.body and "\u00e2" not in a.body
    assert a.body.endswith("not point fingers.")


def test_editor_from_the_body_when_the_header_has_none() -> None:
    html = raw("xinhua_2021_trailer.html")
    html = html.replace(b'<div class="editor">[Editor: Gao Ning]</div>', b"")
    html = html.replace(b"Editor: Gao Ning", b"Editor: Ma Li")
    assert build(html).editor == "Ma Li"


def test_old_layout() -> None:
    a = build(raw("xinhua_2017.htm"), None)
    assert (a.title, a.editor, a.dateline_place, a.photo_credits) == (
        "Wind farm in Gansu starts feeding power to the grid", "Wu Jing", "LANZHOU", ("Fan Pei",))
    assert a.published_at == datetime(2019, 12, 31, 15, 48, 2, tzinfo=UTC)
    assert a.body.endswith("said Ding Rui, the project manager.")


def test_utf8_page_served_as_latin1() -> None:
    a = build(raw("charset_trap.html"), "text/html; charset=iso-8859-1")
    assert a.title == "Nairobi\u2019s flower growers look east"
    assert a.body.startswith("\u201cRoses are our gold,\u201d said Mary Achieng")
    assert "\u00e2" not in a.body
    assert a.text_fixes == ("encoding", "end_mark")


def test_gb18030_page() -> None:
    body = (PAGES / "gb18030_template.html").read_text(encoding="utf-8").encode("gb18030")
    a = build(body, "text/html")
    assert a.title == "Lantern riddles draw crowds in Nanjing"
    assert a.photo_credits == ("Ji Chunpeng",)
    assert "\u201ccaidengmi\u201d (\u731c\u706f\u8c1c)" in a.body
    assert a.text_fixes == ("encoding", "caption")


def test_feed_fills_in_what_the_page_lacks() -> None:
    html = raw("xinhua_2017_sourceline.htm").replace(b"Source: Xinhua| 2018-04-02 06:30:00", b"")
    html = html.replace(b'<div class="h-title">Port city opens new cruise terminal</div>', b"")
    html = html.replace(b"<title>Port city opens new cruise terminal - Xinhua | English.news.cn",
                        b"<title>")
    when = datetime(2018, 4, 2, 6, 30, tzinfo=timezone(timedelta(hours=8)))
    a = build(html, feed_published_at=when, feed_title="  Port city opens terminal - Xinhua ")
    assert a.title == "Port city opens terminal"
    assert a.published_at == datetime(2018, 4, 1, 22, 30, tzinfo=UTC)


def test_page_wins_over_the_feed() -> None:
    a = build(raw("xinhua_2017.htm"), feed_title="Other", feed_published_at=datetime(2000, 1, 1))
    assert a.title == "Wind farm in Gansu starts feeding power to the grid"
    assert a.published_at == datetime(2019, 12, 31, 15, 48, 2, tzinfo=UTC)


def test_naive_feed_time_is_taken_as_utc() -> None:
    html = raw("xinhua_2017_sourceline.htm").replace(b"Source: Xinhua| 2018-04-02 06:30:00", b"")
    a = build(html, feed_published_at=datetime(2018, 4, 1, 22, 30))
    assert a.published_at == datetime(2018, 4, 1, 22, 30, tzinfo=UTC)


def test_unknown_layout_still_builds() -> None:
    a = build(raw("unknown_layout.html"))
    assert a.dateline_place == "FUZHOU"
    assert a.text_fixes == ("end_mark",)
    assert a.body.startswith("Farmers in the hills")


def test_generic_profile() -> None:
    a = build(raw("generic_site.html"), profile="generic")
    assert a.source_name == "Example Daily"
    # The page says fr-FR, but its three English paragraphs read as English beyond doubt.
    assert a.language == "en"
    assert a.body.count("\n\n") == 2


@pytest.mark.parametrize("body", [b"", b"   ", raw("not_an_article.html"), b"\x00\xff" * 50,
                                  b"<html><body><p></p></body></html>"])
def test_no_article_text_is_an_extraction_error(body: bytes) -> None:
    with pytest.raises(ExtractionError):
        build(body)


def test_unknown_profile() -> None:
    with pytest.raises(ValueError, match="unknown site profile"):
        build(raw("xinhua_2017.htm"), profile="nope")


def test_word_count_ignores_free_standing_punctuation() -> None:
    assert word_count("Growth rose 5.3 percent \u2014 a record.\n\nIt's here.") == 8


def test_has_article_text() -> None:
    assert has_article_text("The city opened a new park on Monday.")
    assert not has_article_text("China | World | Business")
    assert not has_article_text("")


BYLINE = b"<p>By Xinhua writers Liu Fang, Chen Bo</p>\n<p>HARBIN, March 1 (Xinhua)"


def with_byline() -> bytes:
    html = raw("xinhua_2021_full.html")
    assert html.count(b"<p>HARBIN, March 1 (Xinhua)") == 1
    return html.replace(b"<p>HARBIN, March 1 (Xinhua)", BYLINE)


def test_a_byline_leaves_the_body_and_names_the_authors() -> None:
    plain, bylined = build(raw("xinhua_2021_full.html")), build(with_byline())
    assert bylined.authors == ("Liu Fang", "Chen Bo")
    assert bylined.body == plain.body  # the same text as without the byline
    assert bylined.dateline_place == "HARBIN"
    assert bylined.text_fixes == ("end_mark", "caption", "byline")
    assert plain.authors == () and plain.is_free is None


def test_byline_names_are_never_person_mentions() -> None:
    from transforms.entities import enrich_articles, load_pipeline

    html = with_byline().replace(b"said Ma Tao, a teacher", b"said Liu Fang, a teacher")
    article = build(html)
    assert article.authors == ("Liu Fang", "Chen Bo")
    [enrichment] = enrich_articles(load_pipeline(), [(article.article_id, article.body)])
    people = {e.name for e in enrichment.entities if e.type == "PERSON"}
    surfaces = {article.body[m.start_char:m.end_char] for m in enrichment.mentions}
    assert "Liu Fang" in people  # quoted in the text: a mention, where the text names her
    assert "Chen Bo" not in people and "Chen Bo" not in surfaces
    assert all(m.start_char >= article.body.index("Bundled") for m in enrichment.mentions)


def test_metadata_authors_and_paywall_on_a_generic_page() -> None:
    html = raw("generic_site.html").replace(b"</head>", (
        b'<script type="application/ld+json">{"@type": "NewsArticle", "author": '
        b'[{"@type": "Person", "name": "Mara Quill"}, {"@type": "Organization", '
        b'"name": "Example Daily"}], "isAccessibleForFree": "False"}</script></head>'))
    a = build(html, profile="generic")
    assert (a.authors, a.is_free) == (("Mara Quill",), False)
    assert a.body == build(raw("generic_site.html"), profile="generic").body


def test_the_publisher_named_as_author_is_no_author() -> None:
    html = raw("xinhua_2021_full.html").replace(
        b"</head>", b'<meta name="author" content="Xinhua"></head>')
    assert build(html).authors == ()
    html = html.replace(b'content="Xinhua"', b'content="Sun Lei"')
    assert build(html).authors == ("Sun Lei",)


def test_a_byline_wins_over_metadata_on_agency_pages_and_loses_on_others() -> None:
    meta = b'<meta name="author" content="Sun Lei"></head>'
    assert build(with_byline().replace(b"</head>", meta)).authors == ("Liu Fang", "Chen Bo")
    generic = raw("generic_site.html").replace(b"</head>", meta).replace(
        b"<p>The city opened", b"<p>By Liu Fang</p><p>PARIS (AFP) -- The city opened")
    a = build(generic, profile="generic")
    assert a.authors == ("Sun Lei",)
    assert "Liu Fang" not in a.body and a.text_fixes == ("byline",)


def test_publication_times_after_the_fetch_are_not_believed() -> None:
    page_time = build(raw("xinhua_2017.htm")).published_at
    assert page_time == datetime(2019, 12, 31, 15, 48, 2, tzinfo=UTC)
    before = page_time - timedelta(hours=3)
    feed_time = page_time - timedelta(days=1)
    # the page's time is later than the fetch: the feed's time fills in
    a = build(raw("xinhua_2017.htm"), fetched_at=before, feed_published_at=feed_time)
    assert a.published_at == feed_time
    # the feed's time too: no time at all rather than a wrong one
    a = build(raw("xinhua_2017.htm"), fetched_at=before,
              feed_published_at=before + timedelta(days=2))
    assert a.published_at is None
    # a naive fetch time is UTC, like a naive feed time
    a = build(raw("xinhua_2017.htm"), fetched_at=page_time.replace(tzinfo=None))
    assert a.published_at == page_time
