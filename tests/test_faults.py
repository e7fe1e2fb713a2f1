"""Fault injection: a loopback server that misbehaves in every way we know, one ingest run.

Each scenario asserts what raw.fetch_log recorded for its URL; the run as a whole must exit 3
(partial) and load every good article.
"""

from __future__ import annotations

import gzip
import socket
import struct
import time
from http.server import BaseHTTPRequestHandler

import duckdb
import pytest

from flows.cli import main
from flows.site_server import demo_site_dir
from tests.loopback import Loopback, Route, endless, refused_url, reply

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]

SITE = demo_site_dir()
GOOD = sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("c.html"))[:6]
TRUNCATED_GOOD = GOOD[4:6]  # listed only by the truncated feed, before the cut


def _base(h: BaseHTTPRequestHandler) -> str:
    return f"http://127.0.0.1:{h.server.server_address[1]}"


def page(path: str, charset: str = "utf-8") -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        body = (SITE / path).read_bytes().replace(b"{{BASE}}", _base(h).encode())
        reply(200, body, {"Content-Type": f"text/html; charset={charset}"})(h)
    return route


def feed(paths: list[str], cut_after: int | None = None) -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        items = "".join(f"<item><title>Item {i}</title><link>{_base(h)}/{p}</link>"
                        f"<guid>{_base(h)}/{p}</guid></item>" for i, p in enumerate(paths))
        body = (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>Faults</title>{items}</channel></rss>").encode()
        if cut_after is not None:
            cut = body.index(b"<item>", body.index(paths[cut_after].encode()))
            body = body[:cut] + b"<item><ti"
        reply(200, body, {"Content-Type": "application/rss+xml"})(h)
    return route


def slowloris(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    try:
        for _ in range(60):
            h.wfile.write(b"<")
            h.wfile.flush()
            time.sleep(0.3)
    except OSError:
        pass


def reset_mid_body(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Length", "50000")
    h.end_headers()
    h.wfile.write(b"<html><body>" + b"x" * 100)
    h.wfile.flush()
    # SO_LINGER 0: close with a TCP RST instead of a FIN. The socket closes only when its
    # file objects are closed too.
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.close_connection = True
    h.wfile.close()
    h.rfile.close()
    h.connection.close()


def short_body(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Length", "10000")
    h.send_header("Connection", "close")
    h.end_headers()
    h.wfile.write(b"<html><body><p>only part of it</p>")
    h.close_connection = True


def hang(h: BaseHTTPRequestHandler) -> None:
    time.sleep(20)


def gzip_bomb(h: BaseHTTPRequestHandler) -> None:
    body = gzip.compress(b" " * (64 * 1024 * 1024), compresslevel=9)  # 64 MiB in ~64 KiB
    reply(200, body, {"Content-Encoding": "gzip", "Content-Type": "text/html"})(h)


def flaky(first: int, then: Route, headers: dict[str, str] | None = None) -> Route:
    calls = {"n": 0}

    def route(h: BaseHTTPRequestHandler) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            return reply(first, b"try later", headers)(h)
        return then(h)
    return route


def nested_html(h: BaseHTTPRequestHandler) -> None:
    body = b"<html><body>" + b"<div>" * 200_000 + b"deep" + b"</div>" * 200_000
    reply(200, body, {"Content-Type": "text/html"})(h)


ENTITY_BOMB = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
               + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">'
                         for i in range(9))
               + ']><rss version="2.0"><channel><title>&j;</title></channel></rss>').encode()

BAD_PAGES = {
    "/gone.html": reply(404, b"not here"),
    "/slowloris.html": slowloris,
    "/reset.html": reset_mid_body,
    "/short.html": short_body,
    "/hang.html": hang,
    "/endless.html": endless,
    "/bomb.html": gzip_bomb,
    "/loop.html": reply(302, b"", {"Location": "/loop.html"}),
    "/ftp.html": reply(301, b"", {"Location": "ftp://127.0.0.1/file"}),
    "/private/secret.html": page(GOOD[0]),
    "/empty.html": reply(200, b"<html><body><nav>Home | World</nav></body></html>",
                         {"Content-Type": "text/html"}),
    "/nested.html": nested_html,
}
# Scenario -> (path, expected http_status, expected error fragment).
RECORDED: dict[str, tuple[str, int | None, str]] = {
    "page answers 404": ("/gone.html", 404, "HTTP 404"),
    "slowloris page": ("/slowloris.html", None, "timeout"),
    "connection reset mid-body": ("/reset.html", None, "response broken off"),
    "body shorter than Content-Length": ("/short.html", None, "response broken off"),
    "server accepts and hangs": ("/hang.html", None, "timeout"),
    "endless body": ("/endless.html", None, "cap"),
    "gzip bomb": ("/bomb.html", None, "cap"),
    "redirect loop": ("/loop.html", None, "redirects"),
    "redirect to ftp": ("/ftp.html", None, "non-http"),
    "disallowed by robots.txt": ("/private/secret.html", None, "robots.txt"),
    "page without article text": ("/empty.html", 200, "extraction failed"),
    "feed answers 500": ("/rss/broken.xml", 500, "HTTP 500"),
    "feed is an HTML page": ("/rss/notafeed.xml", 200, "feed parse failed"),
}
# Scenarios whose good articles must load in spite of the fault.
RECOVERED = {
    "429 with Retry-After, then 200": "/busy/c.html",
    "503, then 200": "/unavailable/c.html",
    "UTF-8 page labelled iso-8859-1": "/liar/c.html",
}


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("faults")
    main_items = [*GOOD[:4], "busy/c.html", "unavailable/c.html", "liar/c.html",
                  *(p.lstrip("/") for p in BAD_PAGES), "nested.html"]
    routes: dict[str, Route] = {
        "/robots.txt": reply(200, b"User-agent: *\nDisallow: /private/\n"),
        "/rss/main.xml": feed(main_items),
        "/rss/truncated.xml": feed([*TRUNCATED_GOOD, GOOD[0]], cut_after=1),
        "/rss/broken.xml": reply(500, b"oops"),
        "/rss/notafeed.xml": reply(200, b"<html><body><p>Just a web page.</p></body></html>",
                                   {"Content-Type": "text/html"}),
        "/rss/bomb.xml": reply(200, ENTITY_BOMB, {"Content-Type": "application/rss+xml"}),
        "/busy/c.html": flaky(429, page(GOOD[1]), {"Retry-After": "1"}),
        "/unavailable/c.html": flaky(503, page(GOOD[2])),
        "/liar/c.html": page(GOOD[3], charset="iso-8859-1"),
        **{f"/{p}": page(p) for p in GOOD},
        **BAD_PAGES,
    }
    site = Loopback(routes)
    with site.running():
        feeds = {"main": site.url("/rss/main.xml"), "truncated": site.url("/rss/truncated.xml"),
                 "broken": site.url("/rss/broken.xml"), "notafeed": site.url("/rss/notafeed.xml"),
                 "bomb": site.url("/rss/bomb.xml"), "refused": refused_url("/rss/refused.xml")}
        feeds_file = root / "feeds.toml"
        feeds_file.write_text("".join(f'[[feed]]\nname = "{n}"\nurl = "{u}"\n'
                                      f'profile = "xinhua"\n\n' for n, u in feeds.items()))
        mp = pytest.MonkeyPatch()
        for key, value in {"NEWSWIRE_HTTP_READ_TIMEOUT": "1", "NEWSWIRE_HTTP_TOTAL_TIMEOUT": "3",
                           "NEWSWIRE_HTTP_CONNECT_TIMEOUT": "2", "NEWSWIRE_POLITENESS_DELAY": "0",
                           "NEWSWIRE_MAX_BODY_BYTES": str(4 * 1024 * 1024)}.items():
            mp.setenv(key, value)
        started = time.monotonic()
        try:
            code = main(["ingest", "--db", str(root / "w.duckdb"), "--feeds", str(feeds_file),
                         "--data-dir", str(root / "data")])
        finally:
            mp.undo()
        elapsed = time.monotonic() - started
        base = site.url("")
    with duckdb.connect(str(root / "w.duckdb"), read_only=True) as con:
        log = con.execute("SELECT url, kind, http_status, error FROM raw.fetch_log").fetchall()
        problems = con.execute("SELECT url, kind, detail FROM raw.feed_problem").fetchall()
        articles = [r[0] for r in con.execute("SELECT url FROM core.fact_article").fetchall()]
    return {"code": code, "log": log, "articles": articles, "base": base, "elapsed": elapsed,
            "problems": problems}


def test_run_is_partial_and_bounded_in_time(outcome: dict) -> None:
    assert outcome["code"] == 3
    assert outcome["elapsed"] < 90


@pytest.mark.parametrize("scenario", sorted(RECORDED))
def test_fault_is_recorded_with_its_reason(outcome: dict, scenario: str) -> None:
    path, status, fragment = RECORDED[scenario]
    rows = [r for r in outcome["log"] if r[0] == outcome["base"] + path]
    assert rows, f"no fetch_log row for {path}"
    _url, _kind, got_status, error = rows[-1]
    assert got_status == status
    assert error and fragment in error
    assert outcome["base"] + path not in outcome["articles"]


def test_refused_feed_is_recorded(outcome: dict) -> None:
    rows = [r for r in outcome["log"] if r[0].endswith("/rss/refused.xml")]
    assert rows and rows[0][2] is None and "connection failed" in rows[0][3]


def test_entity_bomb_feed_is_read_without_expanding(outcome: dict) -> None:
    # A channel with no items is a quiet feed, not a failure; the refused expansion is
    # recorded as a problem of the document.
    rows = [r for r in outcome["log"] if r[0] == outcome["base"] + "/rss/bomb.xml"]
    assert rows and rows[0][2] == 200 and rows[0][3] is None
    problems = [p for p in outcome["problems"] if p[0] == outcome["base"] + "/rss/bomb.xml"]
    assert [p[1] for p in problems] == ["malformed"]
    assert "amplification" in problems[0][2]


@pytest.mark.parametrize("scenario", sorted(RECOVERED))
def test_transient_faults_recover(outcome: dict, scenario: str) -> None:
    assert outcome["base"] + RECOVERED[scenario] in outcome["articles"]


def test_every_good_article_loaded(outcome: dict) -> None:
    expected = {outcome["base"] + "/" + p for p in GOOD}
    assert expected <= set(outcome["articles"])


def test_truncated_feed_keeps_the_items_before_the_cut(outcome: dict) -> None:
    for path in TRUNCATED_GOOD:
        assert outcome["base"] + "/" + path in outcome["articles"]


def test_nested_html_is_a_failed_page_not_a_failed_run(outcome: dict) -> None:
    # 200,000 nested divs around one word: the parser gives up on the depth (libxml2's limit)
    # and the page has no article text; the run goes on.
    rows = [r for r in outcome["log"] if r[0] == outcome["base"] + "/nested.html"]
    assert rows and rows[-1][2] == 200
    assert rows[-1][3] is not None and "no article text" in rows[-1][3]
    assert outcome["base"] + "/nested.html" not in outcome["articles"]

