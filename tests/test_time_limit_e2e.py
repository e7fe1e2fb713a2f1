"""A page whose extraction never returns (lxml busy in C code, where no signal reaches it) does
not hold the run: its chunk is stopped from outside after the time limit, the worker replaced,
the page recorded as failed with the reason, and every other page loaded."""

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
LIMIT_S = 4


def _hostile_page() -> bytes:
    """One element with 200,000 attributes: extraction runs for many minutes."""
    attributes = " ".join(f'data-a{i}="v"' for i in range(200_000))
    return (f"<html><head><title>Crafted</title></head><body><div {attributes}>"
            f"<p>{'Words of a paragraph. ' * 40}</p></div></body></html>").encode()


def test_a_page_that_never_finishes_is_stopped_and_recorded(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    routes = {f"/{path}": reply(200, (SITE / path).read_bytes(),
                                {"Content-Type": "text/html; charset=utf-8"}) for path in GOOD}
    routes[HOSTILE] = reply(200, _hostile_page(), {"Content-Type": "text/html; charset=utf-8"})
    site = Loopback(routes)
    with site.running():
        links = [HOSTILE, *(f"/{p}" for p in GOOD)]
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
    assert code == 3  # partial: one page failed, recorded
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        loaded = con.execute("SELECT count(*) FROM core.fact_article").fetchone()[0]
        error = con.execute("SELECT error FROM raw.fetch_log WHERE url LIKE '%/hostile/%'"
                            ).fetchone()[0]
        status = con.execute("SELECT status, pages_failed FROM core.etl_run").fetchone()
    assert loaded == len(GOOD)
    assert f"exceeded the {LIMIT_S} s time limit" in error and "worker replaced" in error
    assert status == ("partial", 1)
