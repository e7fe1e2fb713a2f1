import asyncio
import gzip
import time
from http.server import BaseHTTPRequestHandler

from flows.http_client import Fetcher, FetchRequest, HttpSettings
from tests.loopback import Loopback, refused_url, reply

FAST = HttpSettings(connect_timeout_s=2, read_timeout_s=1, total_timeout_s=3,
                    max_body_bytes=64 * 1024, retries=2, backoff_base_s=0.01)


def fetch(url: str, settings: HttpSettings = FAST, **kw: str):
    async def go():
        async with Fetcher(settings) as f:
            return await f.fetch(FetchRequest(url, "page", "f", trusted_host="127.0.0.1", **kw))
    return asyncio.run(go())


def slow(h: BaseHTTPRequestHandler) -> None:
    time.sleep(2.5)
    reply(200, b"late")(h)


def gzip_bomb(h: BaseHTTPRequestHandler) -> None:
    body = gzip.compress(b"\0" * (8 * 1024 * 1024))  # 8 MiB of zeros in ~8 KiB
    reply(200, body, {"Content-Encoding": "gzip", "Content-Type": "text/html"})(h)


def endless(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    try:
        while True:
            h.wfile.write(b"x" * 8192)
    except (BrokenPipeError, ConnectionResetError):
        pass


ROUTES = {
    "/ok": reply(200, b"<html>ok</html>", {
        "Content-Type": "text/html; charset=utf-8", "ETag": '"v1"',
        "Last-Modified": "Wed, 01 Jan 2025 00:00:00 GMT"}),
    "/gone": reply(404, b"no"),
    "/boom": reply(500, b"err"),
    "/busy-1s": reply(429, b"slow down", {"Retry-After": "1"}),
    "/busy-1h": reply(429, b"slow down", {"Retry-After": "3600"}),
    "/loop": reply(302, b"", {"Location": "/loop"}),
    "/hop": reply(301, b"", {"Location": "/ok"}),
    "/hop-long": reply(301, b"", {"Location": "/ok?q=" + "x" * 70_000}),
    "/ftp": reply(302, b"", {"Location": "ftp://127.0.0.1/x"}),
    "/big": reply(200, b"y" * (100 * 1024)),
    "/bomb": gzip_bomb,
    "/endless": endless,
    "/slow": slow,
}


def test_success_carries_validators_and_body() -> None:
    with Loopback(ROUTES).running() as site:
        r = fetch(site.url("/ok"))
    assert r.ok and r.body == b"<html>ok</html>" and r.etag == '"v1"'
    assert r.content_type == "text/html; charset=utf-8" and r.error is None


def test_http_errors_are_recorded_not_raised() -> None:
    with Loopback(ROUTES).running() as site:
        gone, boom = fetch(site.url("/gone")), fetch(site.url("/boom"))
        assert site.hits["/gone"] == 1  # 404 is final
        assert site.hits["/boom"] == 3  # 5xx retried twice
    assert gone.http_status == 404 and "404" in gone.error and gone.body is None
    assert boom.http_status == 500 and "500" in boom.error


def test_429_honours_retry_after() -> None:
    # The backoff alone would retry after 0.01-0.08 s; the server asks for 1 s, twice.
    with Loopback(ROUTES).running() as site:
        started = time.monotonic()
        r = fetch(site.url("/busy-1s"))
        elapsed = time.monotonic() - started
        assert site.hits["/busy-1s"] == 3
    assert r.http_status == 429
    assert elapsed >= 2.0


def test_a_retry_after_beyond_the_limit_is_not_waited_for() -> None:
    with Loopback(ROUTES).running() as site:
        started = time.monotonic()
        r = fetch(site.url("/busy-1h"))
        assert site.hits["/busy-1h"] == 1
    assert r.http_status == 429 and time.monotonic() - started < 2.0


def test_connection_refused_is_recorded() -> None:
    r = fetch(refused_url())
    assert r.http_status is None and r.error.startswith("connection failed")


def test_redirects_are_followed_and_bounded() -> None:
    with Loopback(ROUTES).running() as site:
        hop, loop, ftp = fetch(site.url("/hop")), fetch(site.url("/loop")), fetch(site.url("/ftp"))
    assert hop.ok and hop.final_url == site.url("/ok")
    assert loop.error and "redirects" in loop.error
    assert ftp.error and "non-http" in ftp.error


def test_size_caps_hold_for_plain_gzip_and_endless_bodies() -> None:
    with Loopback(ROUTES).running() as site:
        for path in ("/big", "/bomb", "/endless"):
            r = fetch(site.url(path))
            assert r.body is None and "cap" in r.error, path


def test_timeouts_bound_a_hanging_server() -> None:
    settings = HttpSettings(connect_timeout_s=1, read_timeout_s=0.5, total_timeout_s=1,
                            retries=0)
    with Loopback(ROUTES).running() as site:
        started = time.monotonic()
        r = fetch(site.url("/slow"), settings)
    assert "timeout" in r.error and time.monotonic() - started < 2.5


def test_conditional_headers_are_sent() -> None:
    with Loopback(ROUTES).running() as site:
        fetch(site.url("/ok"), etag='"v1"', last_modified="Wed, 01 Jan 2025 00:00:00 GMT")
        sent = {k.lower(): v for k, v in site.headers_seen["/ok"].items()}
    assert sent["if-none-match"] == '"v1"'
    assert sent["user-agent"].startswith("newswire/")


def test_an_unfetchable_url_is_a_failed_request_not_an_exception() -> None:
    with Loopback(ROUTES).running() as site:
        long = fetch(site.url("/ok") + "?q=" + "x" * 100_000)
        hop = fetch(site.url("/hop-long"))
    assert long.error is not None and not long.succeeded
    assert hop.error is not None and not hop.succeeded
