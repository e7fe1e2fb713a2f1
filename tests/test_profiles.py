"""transforms.profiles: the registry, the Xinhua layouts and the generic fallback."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from transforms.cleaning import clean_title
from transforms.errors import ExtractionError
from transforms.profiles import Profile, get_profile, profile_names
from transforms.profiles.base import (
    block_paragraphs,
    element_text,
    not_after_fetch,
    parse_html,
    parse_local_datetime,
    states_offset,
)
from transforms.profiles.xinhua import TITLE_SUFFIX

PAGES = Path(__file__).parent / "fixtures" / "pages"
URL = "https://english.news.cn/20230302/abc/c.html"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_registry() -> None:
    assert profile_names() == ("generic", "xinhua")
    for name in profile_names():
        profile = get_profile(name)
        assert isinstance(profile, Profile)
        assert profile.name == name
    assert get_profile("xinhua").agency == "Xinhua"


def test_unknown_profile_is_a_clear_value_error() -> None:
    with pytest.raises(ValueError, match=r"unknown site profile 'reuters'.*'generic', 'xinhua'"):
        get_profile("reuters")


def test_xinhua_2021_layout() -> None:
    got = get_profile("xinhua").extract(page("xinhua_2021_full.html"), URL)
    assert got.layout == "xinhua-2021"
    assert got.title == "Feature: Harbin ice festival draws record crowds despite cold snap"
    assert got.published_at == utc(2023, 3, 1, 23, 15, 20)  # 07:15:20 Beijing time
    assert got.editor == "Sun Mei"
    assert got.source_name == "Xinhua"
    assert got.language == "en"
    # image-only and &nbsp; paragraphs are not paragraphs; captions are still there
    assert len(got.paragraphs) == 8
    assert got.paragraphs[0].endswith("(Xinhua/Zhou Ming, Qiao Lan)")
    assert "China\u2019s Heilongjiang" in got.paragraphs[0]  # &rsquo;
    assert "the city's ice park" in got.paragraphs[1]  # &#39;
    assert got.paragraphs[3].startswith("\u201cWe drove")  # &ldquo;
    assert got.paragraphs[-2].endswith("mid-March. \u25a0")  # &#9632;
    assert "week,\na record" in got.paragraphs[5]  # <br> is a line break
    assert not any("not article text" in p for p in got.paragraphs)  # <script> skipped


def test_xinhua_2021_editor_after_the_body() -> None:
    got = get_profile("xinhua").extract(page("xinhua_2021_trailer.html"), URL)
    assert got.editor == "Gao Ning"
    assert got.published_at == utc(2022, 11, 29, 18, 5, 9)
    assert got.paragraphs[-1] == "Editor: Gao Ning"


def test_xinhua_2021_time_from_header_when_meta_is_missing() -> None:
    html = page("xinhua_2021_full.html").replace('name="publishdate"', 'name="other"')
    got = get_profile("xinhua").extract(html, URL)
    assert got.published_at == utc(2023, 3, 1, 23, 15, 20)


def test_xinhua_time_with_an_explicit_offset() -> None:
    html = page("xinhua_2021_full.html").replace("2023-03-02 07:15:20", "2023-03-02T07:15:20Z")
    assert get_profile("xinhua").extract(html, URL).published_at == utc(2023, 3, 2, 7, 15, 20)


def test_xinhua_title_falls_back_to_title_tag_without_suffix() -> None:
    html = page("xinhua_2021_full.html").replace('class="title"', 'class="x"')
    html = html.replace('<div class="head-line clearfix"><h1>', '<div class="headline"><h1>')
    got = get_profile("xinhua").extract(html, URL)
    assert got.title == "Harbin ice festival draws record crowds despite cold snap"


def test_xinhua_2017_layout() -> None:
    got = get_profile("xinhua").extract(page("xinhua_2017.htm"), URL)
    assert got.layout == "xinhua-2017"
    assert got.title == "Wind farm in Gansu starts feeding power to the grid"
    assert got.published_at == utc(2019, 12, 31, 15, 48, 2)
    assert got.editor == "Wu Jing"
    assert got.source_name == "Xinhua"
    assert got.language is None  # no <html lang>: build_article detects it or takes the default
    assert got.paragraphs[0].endswith("(Xinhua/Fan Pei)")  # caption inside <font>
    assert got.paragraphs[-1].endswith("Enditem")


def test_xinhua_2017_time_from_the_source_line() -> None:
    got = get_profile("xinhua").extract(page("xinhua_2017_sourceline.htm"), URL)
    assert got.published_at == utc(2018, 4, 1, 22, 30)
    assert got.editor is None
    assert got.title == "Port city opens new cruise terminal"


def test_xinhua_unknown_layout_falls_back_to_generic() -> None:
    got = get_profile("xinhua").extract(page("unknown_layout.html"), URL)
    assert got.layout == "xinhua-unknown/generic"
    assert got.title == "Tea harvest begins in Fujian hills"
    assert got.published_at == utc(2016, 5, 4, 2, 0)  # still Beijing time
    assert got.source_name == "Xinhua"
    assert got.paragraphs[0].startswith("FUZHOU, May 4 (Xinhua) --")  # headline not repeated
    assert len(got.paragraphs) == 4


def test_generic_profile() -> None:
    got = get_profile("generic").extract(page("generic_site.html"), "https://example.org/a")
    assert got.title == "City opens new riverside park"
    assert got.published_at == utc(2024, 5, 6, 7, 30)
    assert got.source_name == "Example Daily"
    assert got.language == "fr"
    assert len(got.paragraphs) == 3
    assert got.paragraphs[0].startswith("The city opened")


@pytest.mark.parametrize("html", ["", "   ", "<?xml version='1.0' encoding='utf-8'?>"])
def test_empty_page_is_an_extraction_error(html: str) -> None:
    with pytest.raises(ExtractionError):
        get_profile("xinhua").extract(html, URL)


def test_xml_declaration_in_decoded_text_is_tolerated() -> None:
    html = "<?xml version='1.0' encoding='utf-8'?>" + page("xinhua_2017.htm")
    assert get_profile("xinhua").extract(html, URL).layout == "xinhua-2017"


@pytest.mark.parametrize(
    ("text", "offset", "expected"),
    [
        ("2024-09-05 06:18:40", 8, utc(2024, 9, 4, 22, 18, 40)),
        (" 2018-09-12 19:08:55", 8, utc(2018, 9, 12, 11, 8, 55)),
        ("2024 09 / 05 06:18:40", 8, utc(2024, 9, 4, 22, 18, 40)),
        ("2024-09-05T06:18:40+08:00", 0, utc(2024, 9, 4, 22, 18, 40)),
        ("2024-09-05T06:18:40Z", 8, utc(2024, 9, 5, 6, 18, 40)),
        ("2024-09-05 06:18 GMT+2", 8, utc(2024, 9, 5, 4, 18)),
        ("2024-09-05", 8, utc(2024, 9, 4, 16, 0)),
        ("2024-09-05T06:18:40.123+02:00", 8, utc(2024, 9, 5, 4, 18, 40)),
        ("2024-02-30 10:00:00", 8, None),
        ("no date here", 8, None),
        (None, 8, None),
    ],
)
def test_parse_local_datetime(text: str | None, offset: int, expected: datetime | None) -> None:
    assert parse_local_datetime(text, offset) == expected


def test_states_offset() -> None:
    assert states_offset("2024-09-05T06:18:40Z") and states_offset("2024-09-05 06:18 GMT+2")
    assert not states_offset("2024-09-05 06:18:40") and not states_offset(None)


def test_not_after_fetch() -> None:
    fetched = utc(2025, 3, 14, 12, 0)
    assert not_after_fetch(fetched + timedelta(minutes=59), fetched) is not None  # clock skew
    assert not_after_fetch(fetched + timedelta(minutes=61), fetched) is None
    # a time read in a guessed zone may be up to 14 hours ahead of the truth
    assert not_after_fetch(fetched + timedelta(hours=14), fetched, zone_known=False) is not None
    assert not_after_fetch(fetched + timedelta(hours=16), fetched, zone_known=False) is None
    assert not_after_fetch(fetched + timedelta(days=400), None) is not None  # no bound
    assert not_after_fetch(None, fetched) is None


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("A - Xinhua | English.news.cn", "A"),
        ("Update: B - Xinhua", "Update: B"),
        ("C_English_Xinhua", "C"),
        ("Xinhua Headlines: D", "Xinhua Headlines: D"),
    ],
)
def test_title_suffix(title: str, expected: str) -> None:
    assert clean_title(title, TITLE_SUFFIX) == expected


def test_element_text_keeps_font_and_line_breaks() -> None:
    doc = parse_html("<p><font color='navy'>A caption<br>(Xinhua/Liu Tian)</font></p>")
    assert element_text(doc.xpath("//p")[0]) == "A caption\n(Xinhua/Liu Tian)"


def test_block_paragraphs_of_p_elements_and_headings() -> None:
    doc = parse_html('<div id="d"><p>One.</p><h3>SUB</h3><p><img src="x"></p><p>Two.</p>'
                     '<div class="ad">advert</div></div>')
    assert block_paragraphs(doc.xpath("//div[@id='d']")[0]) == ("One.", "SUB", "Two.")


def test_block_paragraphs_without_p_elements() -> None:
    doc = parse_html('<div id="d">Loose intro<br>line two<div>First block.</div>'
                     "<div><div>Nested block.</div></div>tail<br><br>after blank</div>")
    assert block_paragraphs(doc.xpath("//div[@id='d']")[0]) == (
        "Loose intro\nline two", "First block.", "Nested block.", "tail\n\nafter blank")


def test_xinhua_page_written_with_divs_instead_of_p() -> None:
    html = page("xinhua_2017.htm").replace("<p", "<div").replace("</p>", "</div>")
    got = get_profile("xinhua").extract(html, URL)
    assert got.layout == "xinhua-2017"
    assert len(got.paragraphs) == 4


def generic_page(*, ld: dict | None = None, meta: str = "", body: str = "") -> str:
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else ""
    text = body or ("<p>The city opened a new riverside park on Monday after two years of work,"
                    " giving residents lawns and paths along the water.</p>"
                    "<p>The mayor said the park would be open every day of the year.</p>")
    return (f"<html><head><title>Site title</title>{meta}{script}</head><body><article>"
            f"<h1>Page heading</h1>{text}</article></body></html>")


PUBLISHED_META = '<meta property="article:published_time" content="2025-03-01T08:00:00+01:00">'


def test_generic_reads_json_ld_before_meta_tags() -> None:
    html = generic_page(ld={"@type": "NewsArticle", "headline": "Park opens by the river",
                            "datePublished": "2025-03-02T10:00:00+01:00",
                            "author": {"@type": "Person", "name": "Mara Quill"},
                            "isAccessibleForFree": False},
                        meta=PUBLISHED_META + '<meta name="author" content="Someone Else">')
    got = get_profile("generic").extract(html, "https://example.org/a")
    assert got.title == "Park opens by the river"
    assert got.published_at == utc(2025, 3, 2, 9, 0)
    assert got.authors == ("Mara Quill",)
    assert got.is_free is False


def test_generic_falls_back_to_meta_tags() -> None:
    html = generic_page(meta=PUBLISHED_META + '<meta name="author" content="Jane Doe, John Roe">'
                        '<meta property="article:author" content="https://fb.example/jd">')
    got = get_profile("generic").extract(html, "https://example.org/a")
    assert got.published_at == utc(2025, 3, 1, 7, 0)
    assert got.authors == ("Jane Doe", "John Roe")
    assert got.is_free is None
    url_only = generic_page(meta='<meta property="article:author" content="https://fb.example/x">')
    assert get_profile("generic").extract(url_only, "https://example.org/a").authors == ()


def test_generic_rejects_a_publication_time_after_the_fetch() -> None:
    fetched = utc(2025, 3, 1, 12, 0)
    html = generic_page(ld={"@type": "NewsArticle", "headline": "H",
                            "datePublished": "2025-06-01T10:00:00Z",
                            "dateModified": "2025-03-01T09:00:00Z"},
                        meta=PUBLISHED_META)
    generic = get_profile("generic")
    assert generic.extract(html, "https://example.org/a").published_at == utc(2025, 6, 1, 10)
    # the future datePublished falls back to the next source: the meta tag
    assert generic.extract(html, "https://example.org/a",
                           fetched_at=fetched).published_at == utc(2025, 3, 1, 7, 0)
    # every stated time in the future, htmldate bounded by the fetch: no date at all
    future = generic_page(ld={"@type": "NewsArticle", "headline": "H",
                              "datePublished": "2031-01-01T00:00:00Z"})
    assert generic.extract(future, "https://example.org/a", fetched_at=fetched).published_at \
        is None


def test_generic_takes_date_modified_when_nothing_states_publication() -> None:
    html = generic_page(ld={"@type": "NewsArticle", "headline": "H",
                            "dateModified": "2025-03-01T09:00:00Z"})
    got = get_profile("generic").extract(html, "https://example.org/a",
                                         fetched_at=utc(2025, 3, 1, 12, 0))
    assert got.published_at == utc(2025, 3, 1, 9, 0)


def test_generic_allows_an_unstated_zone_a_fresh_page_east_of_utc() -> None:
    # 09:00 at UTC+8 is 01:00 UTC: read as UTC, it looks 8 hours after a 01:30 UTC fetch
    html = generic_page(meta='<meta property="article:published_time" content="2025-03-01 09:00">')
    got = get_profile("generic").extract(html, "https://example.org/a",
                                         fetched_at=utc(2025, 3, 1, 1, 30))
    assert got.published_at == utc(2025, 3, 1, 9, 0)


def test_xinhua_rejects_a_header_time_after_the_fetch() -> None:
    xinhua = get_profile("xinhua")
    html = page("xinhua_2021_full.html")
    published = xinhua.extract(html, URL).published_at
    assert published is not None
    assert xinhua.extract(html, URL, fetched_at=published).published_at == published
    assert xinhua.extract(html, URL, fetched_at=published - timedelta(hours=2)).published_at \
        is None


def test_generic_bounds_htmldate_by_the_fetch() -> None:
    html = generic_page(body='<p><time datetime="2025-02-27T10:00:00">Feb. 27</time></p>'
                             "<p>The city opened a new riverside park on Monday after two"
                             " years of work, giving residents lawns and paths.</p>")
    generic, url = get_profile("generic"), "https://example.org/a"
    assert generic.extract(html, url).published_at == utc(2025, 2, 27, 10)
    assert generic.extract(html, url, fetched_at=utc(2025, 2, 27, 11)).published_at == utc(
        2025, 2, 27, 10)
    # after the fetch: no date, rather than one htmldate makes up below a bound
    assert generic.extract(html, url, fetched_at=utc(2025, 2, 20)).published_at is None
