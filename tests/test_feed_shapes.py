"""Feed shapes as a reader meets them, served over loopback with their HTTP headers, fetched
and parsed the way ingest does: which succeed (with which problems recorded), which fail, and
why. The categories follow feedparser's own test suite (wellformed, illformed, encoding); the
documents are written here."""

from __future__ import annotations

import asyncio
import gzip
from dataclasses import dataclass

import pytest

from flows.feeds import parse_feeds
from flows.http_client import Fetcher, FetchRequest, HttpSettings
from tests.loopback import Loopback, reply
from transforms.records import FeedConfig, FetchResult

HTTP = HttpSettings(connect_timeout_s=2, read_timeout_s=2, total_timeout_s=5,
                    max_body_bytes=1024 * 1024, retries=0, backoff_base_s=0.01)

RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"


def rss20(items: str, *, decl: str = '<?xml version="1.0" encoding="utf-8"?>',
          title: str = "Agency – World") -> str:
    return (f'{decl}<rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://agency.test/</link>{items}</channel></rss>")


def item(n: int, title: str = "", link: str | None = None) -> str:
    link = f"http://agency.test/2025/0{n}/story{n}.htm" if link is None else link
    return (f"<item><title>{title or f'Story {n}'}</title><link>{link}</link>"
            f"<pubDate>Wed, 0{n} Jan 2025 10:00:00 +0800</pubDate></item>")


TWO = item(1) + item(2)


@dataclass(frozen=True)
class Shape:
    body: bytes
    headers: dict[str, str]
    items: int | None  # None: the feed fails
    problems: tuple[str, ...] = ()  # problem kinds recorded (feed succeeds)
    error: str = ""  # fragment of the recorded error (feed fails)
    title: str | None = None  # the feed title as read, when the shape is about decoding


SHAPES: dict[str, Shape] = {
    # well-formed, each format
    "rss 2.0": Shape(rss20(TWO).encode(), {"Content-Type": RSS}, 2, title="Agency – World"),
    "rss 0.91": Shape(
        b'<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title>'
        b"<link>http://agency.test/</link><description>d</description><language>en</language>"
        + item(1).encode() + b"</channel></rss>", {"Content-Type": "application/xml"}, 1),
    "rss 0.92": Shape(
        b'<?xml version="1.0"?><rss version="0.92"><channel><title>Old</title>'
        + item(1).encode() + item(2).encode() + b"</channel></rss>",
        {"Content-Type": "text/xml; charset=us-ascii"}, 2),
    "rss 1.0 (rdf)": Shape(
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        b' xmlns="http://purl.org/rss/1.0/"><channel rdf:about="http://agency.test/">'
        b"<title>RDF</title><link>http://agency.test/</link></channel>"
        b'<item rdf:about="http://agency.test/a.htm"><title>A</title>'
        b"<link>http://agency.test/a.htm</link></item></rdf:RDF>",
        {"Content-Type": "application/rdf+xml"}, 1),
    "atom 1.0": Shape(
        b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        b"<title>Atom</title><id>urn:x</id><updated>2025-01-02T00:00:00Z</updated>"
        b'<entry><title>E</title><id>urn:e1</id><link href="http://agency.test/e1.htm"/>'
        b"<updated>2025-01-02T00:00:00Z</updated></entry></feed>", {"Content-Type": ATOM}, 1),
    "atom 0.3": Shape(
        b'<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#">'
        b"<title>Atom 0.3</title><entry><title>E</title>"
        b'<link rel="alternate" type="text/html" href="http://agency.test/e03.htm"/>'
        b"<id>urn:e03</id><issued>2025-01-02T00:00:00Z</issued></entry></feed>",
        {"Content-Type": "application/atom+xml"}, 1),
    "cdata and entities": Shape(
        rss20(item(1, "<![CDATA[Trade & <b>tariffs</b>]]>") + item(2, "Xi &amp; Lula"),
              title="Agency &#8212; World").encode(), {"Content-Type": RSS}, 2,
        title="Agency — World"),
    "gzip transfer": Shape(gzip.compress(rss20(TWO).encode()),
                           {"Content-Type": RSS, "Content-Encoding": "gzip"}, 2),
    "relative links": Shape(
        rss20(item(1, link="/2025/01/rel1.htm") + item(2, link="rel2.htm")).encode(),
        {"Content-Type": RSS}, 2),
    "quiet feed (no items)": Shape(rss20("").encode(), {"Content-Type": RSS}, 0),
    # encodings declared in XML versus HTTP
    "latin-1 declared in xml and http": Shape(
        rss20(TWO, decl='<?xml version="1.0" encoding="iso-8859-1"?>',
              title="Agência").encode("latin-1"),
        {"Content-Type": "application/xml; charset=iso-8859-1"}, 2, title="Agência"),
    "utf-16 with a bom": Shape(rss20(TWO, decl='<?xml version="1.0" encoding="utf-16"?>',
                                     title="Agência").encode("utf-16"),
                               {"Content-Type": "application/xml"}, 2, title="Agência"),
    "wrong http charset": Shape(
        rss20(TWO, decl='<?xml version="1.0" encoding="windows-1252"?>',
              title="Agência").encode("cp1252"),
        {"Content-Type": "application/rss+xml; charset=utf-8"}, 2, ("encoding",)),
    # served with the wrong type, or none
    "rss served as text/html": Shape(rss20(TWO).encode(),
                                     {"Content-Type": "text/html; charset=utf-8"}, 2,
                                     ("content_type",)),
    "no content-type": Shape(rss20(TWO).encode(), {}, 2, ("content_type",)),
    # ill-formed but recoverable: what parsed before the fault is kept
    "undefined entity": Shape(rss20(item(1, "Tariffs&nbsp;rise") + item(2)).encode(),
                              {"Content-Type": RSS}, 2, ("malformed",)),
    "truncated": Shape(rss20(TWO).encode()[:-40], {"Content-Type": RSS}, 2, ("malformed",)),
    # items that cannot be used are skipped and recorded
    "items without link or with a bad one": Shape(
        rss20(item(1) + "<item><title>No link</title></item>"
              + item(3, link="javascript:alert(1)") + item(4, link="http://x" + "y" * 100_000)
              + item(5, link="http://user:secret@agency.test/a.htm"))
        .encode(), {"Content-Type": RSS}, 1, ("no_link", "bad_url")),
    # not feeds at all
    "html page": Shape(b"<!doctype html><html><head><title>Home</title></head><body><p>News"
                       b"</p></body></html>", {"Content-Type": "text/html"}, None,
                       error="not an RSS or Atom document"),
    "json": Shape(b'{"items": []}', {"Content-Type": "application/json"}, None,
                  error="not an RSS or Atom document"),
    "empty body": Shape(b"", {"Content-Type": RSS}, None, error="not an RSS or Atom document"),
    "binary": Shape(b"\x00\xff\xfe\x00garbage", {"Content-Type": RSS}, None,
                    error="not an RSS or Atom document"),
}


def fetch_and_parse(shapes: dict[str, Shape]) -> dict[str, tuple[list, FetchResult]]:
    routes = {f"/{i}.xml": reply(200, s.body, s.headers) for i, s in enumerate(shapes.values())}
    with Loopback(routes).running() as site:
        configs = [FeedConfig(name, site.url(f"/{i}.xml"), "generic", max_items=50)
                   for i, name in enumerate(shapes)]

        async def fetch_all() -> list[FetchResult]:
            async with Fetcher(HTTP) as fetcher:
                return [await fetcher.fetch(FetchRequest(c.url, "feed", c.name,
                                                         trusted_host="127.0.0.1"))
                        for c in configs]

        results = asyncio.run(fetch_all())
    parsed, logged = parse_feeds.fn(configs, results)
    by_name = {p.feed_name: p for p in parsed}
    return {c.name: (by_name.get(c.name), log) for c, log in zip(configs, logged, strict=True)}


@pytest.fixture(scope="module")
def outcomes() -> dict[str, tuple[list, FetchResult]]:
    return fetch_and_parse(SHAPES)


@pytest.mark.parametrize("name", list(SHAPES))
def test_feed_shape(name: str, outcomes: dict[str, tuple[list, FetchResult]]) -> None:
    shape = SHAPES[name]
    parsed, log = outcomes[name]
    if shape.items is None:
        assert parsed is None and log.error is not None, f"{name} should fail"
        assert shape.error in log.error
        assert not log.succeeded
        return
    assert log.error is None and log.succeeded, log.error
    assert parsed is not None
    assert len(parsed.items) == shape.items
    assert sorted({p.kind for p in parsed.problems}) == sorted(shape.problems), parsed.problems
    assert log.problems == parsed.problems  # what the loader writes to raw.feed_problem
    if shape.title is not None:
        assert parsed.title == shape.title


def test_relative_links_resolve_against_the_feed_url(
        outcomes: dict[str, tuple[list, FetchResult]]) -> None:
    parsed, log = outcomes["relative links"]
    base = log.url.rsplit("/", 1)[0]
    assert [i.url for i in parsed.items] == [f"{base.split('/', 3)[0]}//"
                                             f"{base.split('/')[2]}/2025/01/rel1.htm",
                                             f"{base}/rel2.htm"]


def test_skipped_items_are_counted(outcomes: dict[str, tuple[list, FetchResult]]) -> None:
    parsed, _ = outcomes["items without link or with a bad one"]
    by_kind = {p.kind: p for p in parsed.problems}
    assert by_kind["no_link"].items == 1
    assert by_kind["bad_url"].items == 3
    assert "item 3" in by_kind["bad_url"].detail
    assert "longer than" in by_kind["bad_url"].detail
    assert "secret" not in by_kind["bad_url"].detail


@pytest.mark.e2e
@pytest.mark.usefixtures("prefect_harness")
def test_a_quiet_feed_is_a_successful_run(tmp_path) -> None:
    """A feed with its channel and no items: nothing to fetch, nothing failed, exit 0."""
    import duckdb

    from flows.cli import main

    routes = {"/quiet.xml": reply(200, rss20("").encode(), {"Content-Type": RSS})}
    with Loopback(routes).running() as site:
        feeds = tmp_path / "feeds.toml"
        feeds.write_text(f'[[feed]]\nname = "quiet"\nurl = "{site.url("/quiet.xml")}"\n'
                         'profile = "generic"\n', encoding="utf-8")
        code = main(["ingest", "--db", str(tmp_path / "w.duckdb"), "--feeds", str(feeds),
                     "--data-dir", str(tmp_path / "data")])
    assert code == 0
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("SELECT status, feeds_ok, feeds_failed FROM core.etl_run"
                           ).fetchall() == [("success", 1, 0)]
        assert con.execute("SELECT error FROM raw.fetch_log").fetchall() == [(None,)]
        assert con.execute("SELECT count(*) FROM raw.feed_problem").fetchone() == (0,)
