"""The SSRF guard end to end, on loopback only: a feed served on 127.0.0.2 may not lead the
fetcher to 127.0.0.1, directly, by a redirect, or through a name that resolves there."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import duckdb
import pytest

from flows.cli import main
from flows.site_server import demo_site_dir
from tests.loopback import Loopback, Route, reply

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]

SITE = demo_site_dir()
PAGES = sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("c.html"))[:3]


def page(path: str) -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        reply(200, (SITE / path).read_bytes(), {"Content-Type": "text/html; charset=utf-8"})(h)
    return route


def rss(links: list[str]) -> Route:
    items = "".join(f"<item><title>t{i}</title><link>{u}</link></item>"
                    for i, u in enumerate(links))
    return reply(200, f'<rss version="2.0"><channel><title>x</title>{items}</channel></rss>'
                 .encode(), {"Content-Type": "application/rss+xml"})


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("ssrf")
    internal = Loopback({"/secret.html": page(PAGES[0]), "/own.html": page(PAGES[1])})
    public = Loopback({}, host="127.0.0.2")
    with internal.running(), public.running():
        targets = {
            "direct": internal.url("/secret.html"),
            "redirect": public.url("/hop.html"),
            "name": f"http://localhost:{internal.port}/secret.html",
        }
        public.routes.update({
            "/feed.xml": rss([*targets.values(), public.url("/fine.html")]),
            "/hop.html": reply(302, b"", {"Location": internal.url("/secret.html")}),
            "/fine.html": page(PAGES[2]),
        })
        internal.routes["/feed.xml"] = rss([internal.url("/own.html")])
        feeds = root / "feeds.toml"
        feeds.write_text(f'[[feed]]\nname = "outside"\nurl = "{public.url("/feed.xml")}"\n'
                         f'profile = "xinhua"\n\n[[feed]]\nname = "inside"\n'
                         f'url = "{internal.url("/feed.xml")}"\nprofile = "xinhua"\n')
        code = main(["ingest", "--db", str(root / "w.duckdb"), "--feeds", str(feeds),
                     "--data-dir", str(root / "data")])
        hits = dict(internal.hits)
    with duckdb.connect(str(root / "w.duckdb"), read_only=True) as con:
        log = {r[0]: r[1:] for r in con.execute(
            "SELECT url, http_status, error FROM raw.fetch_log WHERE kind = 'page'").fetchall()}
        loaded = {r[0] for r in con.execute("SELECT url FROM core.fact_article").fetchall()}
    return {"code": code, "log": log, "loaded": loaded, "targets": targets, "hits": hits,
            "fine": public.url("/fine.html"), "own": internal.url("/own.html")}


@pytest.mark.parametrize("route", ["direct", "redirect", "name"])
def test_pages_leading_to_another_loopback_host_are_blocked(outcome: dict, route: str) -> None:
    url = outcome["targets"][route]
    status, error = outcome["log"][url]
    assert status is None and error.startswith("blocked:") and "loopback" in error
    assert url not in outcome["loaded"]


def test_the_internal_host_never_served_the_secret(outcome: dict) -> None:
    assert outcome["hits"].get("/secret.html", 0) == 0


def test_pages_on_the_feeds_own_host_still_load(outcome: dict) -> None:
    assert outcome["code"] == 3
    assert {outcome["fine"], outcome["own"]} <= outcome["loaded"]
