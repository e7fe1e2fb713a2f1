"""Hostile pages do not hold the run. A page whose extraction never returns (lxml busy in C code,
where no signal reaches it), or takes far too long (hundreds of thousands of elements), has its
chunk stopped from outside after the time limit, the worker replaced, the page recorded as
failed with the reason, and every other page loaded. A link too long to be an address is
skipped and recorded with the feed's problems."""

from __future__ import annotations

import duckdb
import pytest

from flows.cli import main
from flows.site_server import demo_site_dir
from tests.loopback import Loopback, reply

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]

SITE = demo_site_dir()
GOOD = sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("c.html"))[:3]
HOSTILE = "/hostile/c.html"
SPANS = "/hostile/spans.html"
PARAGRAPHS = "/hostile/paragraphs.html"
LONG_LINK = "/hostile/" + "x" * 100_000
LIMIT_S = 4


def _hostile_page() -> bytes:
    """One element with 200,000 attributes: extraction runs for many minutes."""
    attributes = " ".join(f'data-a{i}="v"' for i in range(200_000))
    return (f"<html><head><title>Crafted</title></head><body><div {attributes}>"
            f"<p>{'Words of a paragraph. ' * 40}</p></div></body></html>").encode()


def _spans_page() -> bytes:
    """5.6 MB of 400,000 spans (37 s of extraction on the project's machine)."""
    return (b"<html><body><div>" + b"<span>word</span> " * 400_000 + b"</div></body></html>")


def _paragraphs_page() -> bytes:
    """120,000 paragraphs, 3.8 MB. At 60,000 (7 s of trafilatura alone on a quiet machine)
    the whole page once finished inside the 4 s limit on a quiet CI machine; extraction time
    grows faster than the page (240,000 took over 200 s)."""
    return (b"<html><body><article>" + b"<p>A short paragraph of text.</p>" * 120_000
            + b"</article></body></html>")


def test_hostile_pages_are_stopped_and_recorded(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    routes = {f"/{path}": reply(200, (SITE / path).read_bytes(),
                                {"Content-Type": "text/html; charset=utf-8"}) for path in GOOD}
    html = {"Content-Type": "text/html; charset=utf-8"}
    routes[HOSTILE] = reply(200, _hostile_page(), html)
    routes[SPANS] = reply(200, _spans_page(), html)
    routes[PARAGRAPHS] = reply(200, _paragraphs_page(), html)
    site = Loopback(routes)
    with site.running():
        links = [HOSTILE, SPANS, LONG_LINK, PARAGRAPHS, *(f"/{p}" for p in GOOD)]
        items = "".join(f"<item><title>Item {i}</title><link>{site.url(link)}</link></item>"
                        for i, link in enumerate(links))
        site.routes["/feed.xml"] = reply(200, (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}'
            "</channel></rss>").encode(), {"Content-Type": "application/rss+xml"})
        feeds = tmp_path / "feeds.toml"
        feeds.write_text(f'[[feed]]\nname = "t"\nurl = "{site.url("/feed.xml")}"\n'
                         'profile = "xinhua"\n', encoding="utf-8")
        monkeypatch.setenv("NEWSWIRE_PAGE_TIME_LIMIT", str(LIMIT_S))
        monkeypatch.setenv("NEWSWIRE_WORKERS", "2")
        code = main(["ingest", "--db", str(tmp_path / "w.duckdb"), "--feeds", str(feeds),
                     "--data-dir", str(tmp_path / "data")])
    assert code == 3  # partial: the hostile pages failed, recorded
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        loaded = con.execute("SELECT count(*) FROM core.fact_article").fetchone()[0]
        errors = dict(con.execute("SELECT url, error FROM raw.fetch_log WHERE kind = 'page'"
                                  " AND url LIKE '%/hostile/%'").fetchall())
        problems = con.execute("SELECT kind, detail FROM raw.feed_problem").fetchall()
        status = con.execute("SELECT status, pages_failed FROM core.etl_run").fetchone()
    assert loaded == len(GOOD)
    assert sorted(errors) == sorted(site.url(p) for p in (HOSTILE, SPANS, PARAGRAPHS))
    for url, error in errors.items():
        assert f"exceeded the {LIMIT_S} s time limit" in error and "worker replaced" in error, url
    assert [kind for kind, _ in problems] == ["bad_url"]
    assert "longer than" in problems[0][1]
    assert status == ("partial", 3)
