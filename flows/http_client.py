"""The one HTTP client. Every request newswire makes goes through `Fetcher`.

Guarantees, whatever the server does: bounded time (connect, read and total timeouts), bounded
memory (a cap on the decoded body, enforced while streaming, which also caps decompression
bombs), a redirect limit with http(s) checked at every hop, bounded concurrency overall and per
host, and retries with backoff and jitter only where a retry can help (timeouts, 429, 5xx),
honouring Retry-After. Failures never raise: they come back as a FetchResult with `error` set.
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import random
import socket
import ssl
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import certifi
import httpx

from flows import __version__
from flows.host_policy import HostGate, RobotsCache
from transforms.netguard import blocked_reason, same_host
from transforms.records import FetchKind, FetchResult

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class HttpSettings:
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 30.0
    total_timeout_s: float = 60.0
    max_body_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    max_connections: int = 16
    max_per_host: int = 4
    politeness_delay_s: float = 0.1  # between request starts to one host
    respect_robots: bool = True  # for pages and sitemaps; feeds are the user's explicit choice
    block_private_addresses: bool = True  # the SSRF guard, for everything but configured feeds
    retries: int = 2
    backoff_base_s: float = 0.5
    max_retry_after_s: float = 30.0
    user_agent: str = f"newswire/{__version__} (news ingestion; +https://pypi.org/project/newswire/)"


@dataclass(frozen=True, slots=True)
class FetchRequest:
    url: str
    kind: FetchKind
    feed_name: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    item_published_at: datetime | None = None
    # The host of the configured feed that led here: pages on that same host pass the SSRF
    # guard even at a private address, since the user pointed newswire there deliberately.
    trusted_host: str | None = None


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle costs ~80 ms of CPU; a run opens a client per page batch.
    return ssl.create_default_context(cafile=certifi.where())


class _Refused(Exception):
    """A response we will not accept (too large, bad redirect): recorded, never retried."""


def _retry_after_s(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _describe(exc: BaseException) -> str:
    if isinstance(exc, _Refused):
        return str(exc)
    if isinstance(exc, (TimeoutError, httpx.TimeoutException)):
        return f"timeout ({type(exc).__name__})"
    if isinstance(exc, httpx.ConnectError):
        return f"connection failed: {exc}" if str(exc) else "connection failed"
    if isinstance(exc, (httpx.ReadError, httpx.RemoteProtocolError)):
        # reset mid-body, fewer bytes than Content-Length, a malformed response
        return f"response broken off: {type(exc).__name__}: {exc}"
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Fetcher:
    """Async fetcher: `async with Fetcher(settings) as f: await f.fetch_many(requests)`."""

    def __init__(
        self, settings: HttpSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._settings = settings
        timeout = httpx.Timeout(
            connect=settings.connect_timeout_s, read=settings.read_timeout_s,
            write=settings.read_timeout_s, pool=settings.total_timeout_s,
        )
        limits = httpx.Limits(max_connections=settings.max_connections,
                              max_keepalive_connections=settings.max_connections)
        self._client = httpx.AsyncClient(
            timeout=timeout, limits=limits, follow_redirects=False, transport=transport,
            verify=_tls_context(),
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            trust_env=False,  # a stray proxy variable must not reroute or leak feed traffic
        )
        self._gate = HostGate(settings.max_per_host, settings.politeness_delay_s)
        self._robots = RobotsCache(self._fetch_robots, settings.user_agent, self._gate)

    @property
    def robots_fetches(self) -> list[FetchResult]:
        """The robots.txt requests made so far, for the fetch log."""
        return self._robots.fetches

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._client.aclose()

    async def fetch_many(self, requests: Sequence[FetchRequest]) -> list[FetchResult]:
        """Fetch all, concurrently within the limits; results in the order of `requests`."""
        return list(await asyncio.gather(*(self.fetch(r) for r in requests)))

    async def _fetch_robots(self, url: str, trusted_host: str | None) -> FetchResult:
        return await self._fetch_with_retries(FetchRequest(url, "robots",
                                                           trusted_host=trusted_host))

    async def fetch(self, request: FetchRequest) -> FetchResult:
        try:
            # Guarded before robots.txt, so a blocked host gets no request at all.
            await self._guard(request, request.url)
            if self._settings.respect_robots and request.kind in ("page", "sitemap"):
                allowed, reason = await self._robots.allowed(request.url, request.trusted_host)
                if not allowed:
                    raise _Refused(f"refused by robots.txt: {reason}")
        except (_Refused, httpx.InvalidURL, ValueError, OSError) as exc:
            return self._failure(request, datetime.now(UTC), exc)
        return await self._fetch_with_retries(request)

    async def _fetch_with_retries(self, request: FetchRequest) -> FetchResult:
        attempt = 0
        while True:
            started = datetime.now(UTC)
            delay: float | None = None
            try:
                async with self._gate.slot(request.url):
                    async with asyncio.timeout(self._settings.total_timeout_s):
                        result, retry_after = await self._fetch_once(request, started)
                if result.http_status in _RETRY_STATUSES:
                    delay = self._backoff(attempt, retry_after)
            except (TimeoutError, httpx.TimeoutException) as exc:
                result = self._failure(request, started, exc)
                delay = self._backoff(attempt, None)
            # InvalidURL is no HTTPError: a 100,000-character link or redirect raises it
            except (httpx.HTTPError, httpx.InvalidURL, _Refused, OSError, ValueError) as exc:
                return self._failure(request, started, exc)
            if delay is None or attempt >= self._settings.retries:
                return result
            attempt += 1
            await asyncio.sleep(delay)

    def _backoff(self, attempt: int, retry_after_s: float | None) -> float | None:
        """Seconds to wait before the next attempt; None when the server asks for too long."""
        if retry_after_s is not None:
            return retry_after_s if retry_after_s <= self._settings.max_retry_after_s else None
        base = self._settings.backoff_base_s * (2 ** attempt)
        return base + random.uniform(0, base)  # jitter keeps parallel retries from bunching

    async def _guard(self, request: FetchRequest, url: str) -> None:
        """The SSRF guard: refuse a host that resolves to a non-public address, unless it is
        the host of the configured feed that led here. Configured feeds are never guarded."""
        if not self._settings.block_private_addresses or request.kind == "feed":
            return
        parts = urlsplit(url)
        if same_host(parts.hostname, request.trusted_host):
            return
        infos = await asyncio.get_running_loop().getaddrinfo(
            parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
            type=socket.SOCK_STREAM)
        for address in sorted({info[4][0] for info in infos}):
            reason = blocked_reason(str(address))
            if reason:
                raise _Refused(f"blocked: {parts.hostname} resolves to {address} ({reason})")

    def _check_peer(self, request: FetchRequest, url: str, response: httpx.Response) -> None:
        """Check the address actually connected to, which DNS may have changed since _guard."""
        if not self._settings.block_private_addresses or request.kind == "feed":
            return
        host = urlsplit(url).hostname
        stream = response.extensions.get("network_stream")
        peer = stream.get_extra_info("server_addr") if stream is not None else None
        if peer and not same_host(host, request.trusted_host):
            reason = blocked_reason(str(peer[0]))
            if reason:
                raise _Refused(f"blocked: {host} connected to {peer[0]} ({reason})")

    def _failure(self, request: FetchRequest, started: datetime, exc: BaseException) -> FetchResult:
        return FetchResult(url=request.url, kind=request.kind, fetched_at=started,
                           http_status=None, error=_describe(exc), feed_name=request.feed_name,
                           item_published_at=request.item_published_at)

    async def _fetch_once(
        self, request: FetchRequest, started: datetime
    ) -> tuple[FetchResult, float | None]:
        headers = {}
        if request.etag:
            headers["If-None-Match"] = request.etag
        if request.last_modified:
            headers["If-Modified-Since"] = request.last_modified
        url = request.url
        for _hop in range(self._settings.max_redirects + 1):
            scheme = urlsplit(url).scheme.lower()
            if scheme not in ("http", "https"):
                raise _Refused(f"refused: redirect to a non-http(s) URL {url!r}")
            await self._guard(request, url)
            async with self._client.stream("GET", url, headers=headers) as response:
                self._check_peer(request, url, response)
                if response.status_code in _REDIRECT_STATUSES and "location" in response.headers:
                    url = urljoin(url, response.headers["location"])
                    continue
                body = await self._read_capped(response) if response.status_code != 304 else None
                result = FetchResult(
                    url=request.url, kind=request.kind, fetched_at=started,
                    http_status=response.status_code,
                    body=body if response.is_success else None,
                    content_type=response.headers.get("content-type"),
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                    error=None if response.is_success or response.status_code == 304
                    else f"HTTP {response.status_code} {response.reason_phrase}".strip(),
                    final_url=url if url != request.url else None,
                    feed_name=request.feed_name,
                    item_published_at=request.item_published_at,
                    body_bytes=len(body) if body is not None else None,
                )
                return result, _retry_after_s(response.headers.get("retry-after"))
        raise _Refused(f"refused: more than {self._settings.max_redirects} redirects")

    async def _read_capped(self, response: httpx.Response) -> bytes:
        cap = self._settings.max_body_bytes
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise _Refused(f"refused: body of {int(declared)} bytes exceeds the {cap}-byte cap")
        chunks: list[bytes] = []
        size = 0
        # aiter_bytes yields decoded bytes, so the cap also bounds gzip/deflate bombs.
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > cap:
                raise _Refused(f"refused: body exceeds the {cap}-byte cap")
            chunks.append(chunk)
        return b"".join(chunks)


class ArchiveUnavailable(Exception):
    """A web archive that cannot be read from its URL (HTTP error, network gone)."""


class ArchiveStream:
    """A web archive at an http(s) URL as a file read front to back (`read(size)`), streamed:
    it is never downloaded whole, so a 1 GB CC-NEWS file costs one read buffer. A connection
    broken mid-file is resumed where it stopped with a Range request (up to `retries` times,
    with backoff) when the server answers 206; the bytes are the file's own (no content
    decoding: Accept-Encoding identity), so record offsets are offsets in the file. The URL is
    the user's explicit choice, so no SSRF guard applies. `offset`: start there (a Range
    request), for reading one record back."""

    def __init__(self, url: str, settings: HttpSettings, *, offset: int = 0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.url = url
        self.position = offset
        self._settings = settings
        self._client = httpx.Client(
            timeout=httpx.Timeout(connect=settings.connect_timeout_s,
                                  read=settings.read_timeout_s,
                                  write=settings.read_timeout_s, pool=settings.total_timeout_s),
            follow_redirects=True, max_redirects=settings.max_redirects, transport=transport,
            verify=_tls_context(), trust_env=False,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "identity"})
        self._response: httpx.Response | None = None
        self._chunks: Iterator[bytes] = iter(())
        self._pending = b""
        self._done = False
        self._open(first=True)

    def _open(self, *, first: bool) -> None:
        headers = {"Range": f"bytes={self.position}-"} if self.position else {}
        request = self._client.build_request("GET", self.url, headers=headers)
        try:
            response = self._client.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise ArchiveUnavailable(f"{self.url}: {_describe(exc)}") from exc
        if response.status_code == 416 and not first:  # resumed exactly at the end
            response.close()
            self._done = True
            return
        if not response.is_success or (self.position and response.status_code != 206):
            response.close()
            reason = (f"HTTP {response.status_code} {response.reason_phrase}".strip()
                      if not response.is_success else
                      "the server cannot resume (no 206 answer to a Range request)")
            raise ArchiveUnavailable(f"{self.url}: {reason}")
        self._response = response
        self._chunks = response.iter_raw(64 * 1024)

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes (fewer at the end of a network chunk); b"" at the end."""
        attempt = 0
        while not self._pending and not self._done:
            try:
                self._pending = next(self._chunks, b"")
                if not self._pending:
                    self._done = True
            except httpx.HTTPError as exc:
                attempt += 1
                if attempt > self._settings.retries:
                    raise ArchiveUnavailable(
                        f"{self.url}: broken off at byte {self.position}: {_describe(exc)}"
                    ) from exc
                self._close_response()
                time.sleep(self._settings.backoff_base_s * 2 ** (attempt - 1))
                self._open(first=False)
        if size < 0:
            size = len(self._pending)
        out, self._pending = self._pending[:size], self._pending[size:]
        self.position += len(out)
        return out

    def _close_response(self) -> None:
        if self._response is not None:
            self._response.close()
            self._response = None

    def close(self) -> None:
        self._close_response()
        self._client.close()

    def __enter__(self) -> ArchiveStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
