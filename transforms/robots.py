"""robots.txt rules (RFC 9309) for one site, from the bytes of its robots.txt."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309: crawlers must read at least 500 KiB


@dataclass(frozen=True, slots=True)
class RobotsPolicy:
    """What one site allows. `reason` explains a blanket allow or deny."""

    _parser: RobotFileParser | None
    allow_all: bool
    reason: str = ""

    @classmethod
    def from_response(cls, status: int | None, content: bytes | None) -> RobotsPolicy:
        """RFC 9309: a 4xx means no rules (allow all); a server error means assume everything
        is disallowed until it can be read. No response at all (status None) allows: the page
        request itself then fails and records the real cause (refused, timeout...)."""
        if status is None:
            return cls(None, allow_all=True, reason="robots.txt unreachable")
        if status >= 500:
            return cls(None, allow_all=False, reason=f"robots.txt unavailable (HTTP {status})")
        if 400 <= status < 500:
            return cls(None, allow_all=True, reason=f"no robots.txt ({status})")
        parser = RobotFileParser()
        text = (content or b"")[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
        parser.parse(text.splitlines())
        return cls(parser, allow_all=False)

    def allows(self, url: str, user_agent: str) -> bool:
        if self._parser is None:
            return self.allow_all
        return self._parser.can_fetch(user_agent.split("/", 1)[0], url)

    def crawl_delay(self, user_agent: str) -> float | None:
        if self._parser is None:
            return None
        delay = self._parser.crawl_delay(user_agent.split("/", 1)[0])
        return float(delay) if delay is not None else None
