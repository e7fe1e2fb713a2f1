"""Per-host manners for the HTTP client: bounded concurrency, a politeness delay between
requests, and robots.txt, fetched once per host per client."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from transforms.records import FetchResult
from transforms.robots import RobotsPolicy

RobotsFetch = Callable[[str, str | None], Awaitable[FetchResult]]


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class HostGate:
    """At most `max_per_host` requests in flight per host, and request starts spaced by at
    least `delay_s` (or the site's robots.txt Crawl-delay, when larger)."""

    def __init__(self, max_per_host: int, delay_s: float) -> None:
        self._delay_s = delay_s
        self._slots: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(max_per_host))
        self._spacing: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._last_start: dict[str, float] = {}
        self._site_delay: dict[str, float] = {}

    def set_site_delay(self, host: str, delay_s: float) -> None:
        self._site_delay[host] = delay_s

    @asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        host = host_of(url)
        async with self._slots[host]:
            delay = max(self._delay_s, self._site_delay.get(host, 0.0))
            if delay > 0:
                async with self._spacing[host]:
                    wait = self._last_start.get(host, 0.0) + delay - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    self._last_start[host] = time.monotonic()
            yield


class RobotsCache:
    """robots.txt per host, fetched on first use; every fetch is kept for the fetch log."""

    def __init__(self, fetch: RobotsFetch, user_agent: str, gate: HostGate,
                 max_crawl_delay_s: float = 10.0) -> None:
        self._fetch = fetch
        self._user_agent = user_agent
        self._gate = gate
        self._max_crawl_delay_s = max_crawl_delay_s
        self._policies: dict[str, RobotsPolicy] = {}
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.fetches: list[FetchResult] = []

    async def allowed(self, url: str, trusted_host: str | None) -> tuple[bool, str]:
        """(allowed, reason when not). `trusted_host` passes on to the robots.txt request."""
        host = host_of(url)
        async with self._locks[host]:
            if host not in self._policies:
                result = await self._fetch(f"{host}/robots.txt", trusted_host)
                self.fetches.append(result)
                policy = RobotsPolicy.from_response(result.http_status, result.body)
                self._policies[host] = policy
                delay = policy.crawl_delay(self._user_agent)
                if delay:
                    self._gate.set_site_delay(host, min(delay, self._max_crawl_delay_s))
        policy = self._policies[host]
        if policy.allows(url, self._user_agent):
            return True, ""
        return False, policy.reason or "disallowed by robots.txt"
