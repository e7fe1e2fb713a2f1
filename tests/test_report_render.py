"""The report's rendering (transforms/report): pure functions, no warehouse, no browser.

`sample_report_data()` and `empty_report_data()` are also used by test_report_browser.py.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser

import pytest

from transforms.report import charts
from transforms.report.data import (
    CoMention,
    CountryCount,
    EntityCount,
    FailedFetch,
    FeedHealth,
    FeedVolume,
    QuoteSample,
    ReportData,
    ReportWindow,
    RequestDay,
    RunSummary,
    Speaker,
    TextFixDay,
    TopStory,
)
from transforms.report.html import SECTIONS, render_report
from transforms.report.markup import NO_DATA, esc, json_for_script, link, script_safe_js

NOW = datetime(2025, 1, 13, 12, 0, tzinfo=UTC)
END = date(2025, 1, 12)

# Strings that would run script, fetch something or break the document if not escaped.
HOSTILE = '<img src=x onerror="window.__pwned=1">'
HOSTILE_SCRIPT = "</script><script>window.__pwned=2</script>"
HOSTILE_URL = "javascript:window.__pwned=3"
HOSTILE_ATTR = '" onmouseover="window.__pwned=4'
FAKE_JS = "window.vegaEmbed = function () { return Promise.resolve(); };"


def window(days: int = 7, end: date = END) -> ReportWindow:
    return ReportWindow(days=days, start=end - timedelta(days=days - 1), end=end,
                        ops_start=datetime.combine(NOW.date() - timedelta(days=days - 1),
                                                   time(0), UTC), ops_end=NOW,
                        newest_article_day=end)


def _entity(n: int, name: str, etype: str, mentions: int, articles: int) -> EntityCount:
    return EntityCount(f"e{n:02d}", name, etype, mentions, articles)


def sample_report_data() -> ReportData:
    """Every section populated; warehouse text includes hostile strings."""
    people = (_entity(1, "Xi Jinping", "PERSON", 12, 5), _entity(2, HOSTILE, "PERSON", 7, 3),
              _entity(3, "Li Qiang", "PERSON", 4, 2), _entity(4, "Li Qiang", "PERSON", 1, 1))
    orgs = (_entity(10, "United Nations", "ORG", 9, 4), _entity(11, HOSTILE_SCRIPT, "ORG", 2, 1))
    countries = (CountryCount("CN", "China", 30, 6), CountryCount("KZ", "Kazakhstan", 5, 2),
                 CountryCount("XX", HOSTILE, 1, 1))
    co_entities = (*people[:3], orgs[0], orgs[1])
    co = (CoMention("e01", "e02", 3), CoMention("e01", "e10", 4), CoMention("e02", "e11", 1),
          CoMention("e03", "e10", 2))
    speakers = (
        Speaker("e01", "Xi Jinping", "PERSON", 5, 3, NOW - timedelta(days=1), 40, (
            QuoteSample("China is ready to work with all parties " * 12, "A title",
                        "https://english.news.cn/20250112/abc/c.html", NOW - timedelta(days=1)),
            QuoteSample(HOSTILE_SCRIPT, HOSTILE, HOSTILE_URL, NOW - timedelta(days=2)),
        )),
        Speaker(None, HOSTILE_ATTR, None, 2, 1, NOW - timedelta(days=3), None, (
            QuoteSample("the talks were fruitful", None, None, None),)),
    )
    volume = tuple(FeedVolume(END - timedelta(days=d), feed, n)
                   for d, feed, n in ((0, "xinhua-world", 3), (0, HOSTILE, 1),
                                      (1, "xinhua-china", 2), (3, "xinhua-world", 1)))
    fixes = tuple(TextFixDay(END - timedelta(days=d), 3, 2,
                             (("encoding", 0), ("mojibake", 1), ("end_mark", 2), ("caption", d),
                              ("other", 0))) for d in range(3))
    requests = (RequestDay(NOW.date(), 20, 2, 6, 1, 3, 3, 1, 0),
                RequestDay(NOW.date() - timedelta(days=1), 10, 0, 3, 0, 1, 1, 0, 0))
    failed = (FailedFetch(NOW - timedelta(hours=2), "page", "xinhua-world",
                          "https://english.news.cn/missing.html", 404, "HTTP 404 Not Found"),
              FailedFetch(NOW - timedelta(hours=3), "feed", HOSTILE, HOSTILE_URL, None,
                          HOSTILE_SCRIPT))
    feeds = (
        FeedHealth("xinhua-world", "https://english.news.cn/rss/worldrss.xml",
                   NOW - timedelta(hours=1), None, None, 10, 4, 6, 0, 25, 300, 1),
        FeedHealth(HOSTILE, HOSTILE_URL, NOW - timedelta(days=2), NOW - timedelta(hours=3),
                   HOSTILE_SCRIPT, 5, 1, 1, 3, 2, 40, 0),
    )
    runs = (RunSummary("r2", "ingest", NOW - timedelta(hours=1), NOW - timedelta(minutes=59),
                       "partial", 1, 1, 3, 0, 10, 2),
            RunSummary("r1", "ingest", NOW - timedelta(hours=2), None, "running", 0, 0, 0, 0,
                       0, 0))
    stories = (TopStory("a1", "Summit opens in Astana", 4, 2, 3, NOW - timedelta(days=2),
                        NOW - timedelta(hours=5)),
               TopStory("a7", HOSTILE_SCRIPT, 2, 1, 1, None, None))
    return ReportData(
        generated_at=NOW, window=window(), missing_marts=(), marts_built_at=NOW,
        articles=6, feed_volume=volume, people=people, organisations=orgs, countries=countries,
        co_entities=co_entities, co_mentions=co, speakers=speakers, text_fixes=fixes,
        requests=requests, failed_fetches=failed, failed_fetches_total=7, feeds=feeds,
        runs=runs, stories=stories)


def empty_report_data(missing_marts: tuple[str, ...] = ()) -> ReportData:
    return ReportData(
        generated_at=NOW, window=window(), missing_marts=missing_marts, marts_built_at=None,
        articles=0, feed_volume=(), people=(), organisations=(), countries=(), co_entities=(),
        co_mentions=(), speakers=(), text_fixes=(), requests=(), failed_fetches=(),
        failed_fetches_total=0, feeds=(), runs=())


class _Doc(HTMLParser):
    """Element tree facts the tests need: tags with their attributes, script contents."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self.scripts.append((self._in_script, data))
        else:
            self.text.append(data)


def parse(document: str) -> _Doc:
    doc = _Doc()
    doc.feed(document)
    doc.close()
    return doc


@pytest.fixture(scope="module")
def sample_html() -> str:
    return render_report(sample_report_data(), vega_js=FAKE_JS)


def test_every_section_is_present_with_a_heading(sample_html: str) -> None:
    for anchor, title, _ in SECTIONS:
        assert f'<section id="{anchor}"><h2>{title}</h2>' in sample_html
    assert NO_DATA not in sample_html


def test_every_chart_has_a_spec_title_axis_titles_and_a_caption(sample_html: str) -> None:
    doc = parse(sample_html)
    chart_divs = [a for tag, a in doc.tags if tag == "div" and "data-spec" in a]
    specs = {a["id"]: json.loads(text) for a, text in doc.scripts
             if a.get("type") == "application/json"}
    assert [d["id"] for d in chart_divs] == [
        "chart-volume", "chart-people", "chart-organisations", "chart-countries",
        "chart-co-mentions", "chart-speakers", "chart-text-fixes", "chart-requests",
        "chart-feed-health"]
    assert {d["data-spec"] for d in chart_divs} == set(specs)
    for div in chart_divs:
        spec = specs[div["data-spec"]]
        assert spec["title"]["text"] and spec["title"]["subtitle"]
        encodings = [spec.get("encoding", {})] + [layer.get("encoding", {})
                                                  for layer in spec.get("layer", [])]
        axes = {ch: enc[ch] for enc in encodings for ch in ("x", "y") if ch in enc}
        assert set(axes) == {"x", "y"}, div["id"]
        assert all(axis.get("title") for axis in axes.values()), div["id"]
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v")
    captions = sample_html.count("<figcaption>")
    assert captions == len(chart_divs)


def test_warehouse_text_is_escaped_everywhere(sample_html: str) -> None:
    doc = parse(sample_html)
    # No element, attribute or handler came out of the data.
    assert not any(tag == "img" for tag, _ in doc.tags)
    assert not any(k.startswith("on") for _, attrs in doc.tags for k in attrs)
    assert "window.__pwned" not in "".join(
        text for attrs, text in doc.scripts if attrs.get("type") != "application/json")
    # The hostile text is there, as text.
    assert esc(HOSTILE) in sample_html and esc(HOSTILE_SCRIPT) in sample_html
    assert HOSTILE in "".join(doc.text)
    # Only the fake bundle, the render loop and JSON specs are scripts.
    scripts = [a for tag, a in doc.tags if tag == "script"]
    assert all(a.get("type") in (None, "application/json") for a in scripts)
    assert len([a for a in scripts if a.get("type") is None]) == 2


def test_json_specs_cannot_close_their_script_element(sample_html: str) -> None:
    doc = parse(sample_html)
    specs = [text for attrs, text in doc.scripts if attrs.get("type") == "application/json"]
    assert specs
    for text in specs:
        assert "<" not in text and ">" not in text and "&" not in text
    names = [v["label"] for t in specs for v in _values(json.loads(t)) if "label" in v]
    assert HOSTILE in names  # the data survives the escaping intact


def _values(spec: dict) -> list[dict]:
    out = list(spec.get("data", {}).get("values", []))
    for values in spec.get("datasets", {}).values():
        out += values
    return out


def test_json_for_script_escapes_what_html_parsers_look_for() -> None:
    text = json_for_script({"a": "</script><!-- & \u2028"})
    assert "</" not in text and "<!--" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}
    assert script_safe_js('x = "</script>";') == 'x = "<\\/script>";'


def test_only_http_links_become_anchors(sample_html: str) -> None:
    hrefs = [a["href"] for tag, a in parse(sample_html).tags if tag == "a" and "href" in a]
    external = [h for h in hrefs if not h.startswith("#")]
    assert external and all(h.startswith(("http://", "https://")) for h in external)
    assert str(link(HOSTILE_URL, "x")) == "x"
    assert 'href="https://a.test/?q=&quot;x&quot;"' in link('https://a.test/?q="x"', "t")


def test_content_security_policy_forbids_network_requests(sample_html: str) -> None:
    csp = next(a["content"] for tag, a in parse(sample_html).tags
               if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp
    assert "connect-src" not in csp and "http" not in csp
    # No resource is loaded from anywhere: no src= or <link href=>.
    assert not re.search(r"<(script|img|iframe|link)[^>]*\s(src|href)=", sample_html)


def test_long_quotes_are_shortened_and_unresolved_speakers_are_shown(sample_html: str) -> None:
    assert "China is ready to work with all parties China" in sample_html
    assert ("China is ready to work with all parties " * 12).strip() not in sample_html
    assert "(unresolved)" in sample_html


def test_an_empty_window_says_so_in_every_section() -> None:
    document = render_report(empty_report_data(), vega_js=FAKE_JS)
    doc = parse(document)
    assert not [a for tag, a in doc.tags if tag == "div" and "data-spec" in a]
    for anchor, _, _ in SECTIONS:
        section = document.split(f'<section id="{anchor}">', 1)[1].split("</section>", 1)[0]
        assert "No data in this window." in section or "No feed" in section or (
            "No failed" in section), anchor
    for anchor in ("volume", "stories", "entities", "co-mentions", "speakers", "quality"):
        section = document.split(f'<section id="{anchor}">', 1)[1].split("</section>", 1)[0]
        assert NO_DATA in section, anchor


def test_missing_marts_are_named_with_the_command_that_builds_them() -> None:
    document = render_report(
        empty_report_data(missing_marts=("entity_daily", "data_quality")), vega_js=FAKE_JS)
    assert 'class="banner"' in document
    assert "marts.entity_daily not built yet: run `newswire models`" in document
    assert "marts.data_quality not built yet" in document


def test_the_bundle_is_inlined_once_before_the_specs() -> None:
    document = render_report(sample_report_data(), vega_js=FAKE_JS)
    assert document.count(FAKE_JS) == 1
    assert document.index(FAKE_JS) < document.index('type="application/json"')


def test_time_grain_follows_the_window() -> None:
    assert charts.time_grain(7) == ("utcyearmonthdate", "day")
    assert charts.time_grain(92)[1] == "day"
    assert charts.time_grain(365)[1] == "week"
    assert charts.time_grain(3650)[1] == "month"


def test_entities_with_the_same_name_keep_their_own_bars() -> None:
    assert charts.unique_labels(["Li", "Xi", "Li", "Li"]) == ["Li", "Xi", "Li (2)", "Li (3)"]
    spec = charts.entity_bar_chart(sample_report_data().people, title="T", axis_title="Person")
    labels = [v["label"] for v in _values(spec)]
    assert len(set(labels)) == len(labels) == 4
    assert spec["encoding"]["y"]["sort"] == labels  # ranked order, not alphabetical


def test_charts_take_their_columns_width_and_count_in_whole_numbers(sample_html: str) -> None:
    """Every chart but the co-mention matrix (square cells) is as wide as its element, so a
    long name cannot push it over the next column; axis labels have a length limit (names in
    full in the tooltip); count axes tick in whole numbers. test_report_browser.py checks
    the layout itself in Chromium."""
    specs = {a["id"]: json.loads(text) for a, text in parse(sample_html).scripts
             if a.get("type") == "application/json"}
    for chart_id, spec in specs.items():
        if chart_id != "chart-co-mentions-spec":
            assert spec["width"] == "container", chart_id
        encodings = [spec.get("encoding", {})] + [layer.get("encoding", {})
                                                  for layer in spec.get("layer", [])]
        for enc in encodings:
            for channel in ("x", "y"):
                axis = enc.get(channel, {})
                if axis.get("type") == "quantitative":
                    assert axis["axis"]["tickMinStep"] == 1, chart_id
                    assert axis["axis"]["format"].endswith("d"), chart_id
                elif axis.get("type") == "nominal":
                    assert 0 < axis["axis"]["labelLimit"] <= charts.LABEL_LIMIT, chart_id
            tooltips = enc.get("tooltip", [])
            if enc.get("y", {}).get("field") == "label":
                assert {"field": "label", "type": "nominal"}.items() <= tooltips[0].items()
    people = specs["chart-people-spec"]["encoding"]["y"]["axis"]
    assert people["labelLimit"] == charts.NARROW_LABEL_LIMIT < 340 / 2
