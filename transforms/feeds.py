"""Feed documents (RSS/Atom bytes) to typed feed items."""

from __future__ import annotations

import calendar
import time
from datetime import UTC, datetime

import feedparser

from transforms.mojibake import repair_mojibake
from transforms.records import FeedItem, ParsedFeed
from transforms.urls import InvalidUrl, article_id_for, canonicalize_url, resolve_url

_MAX_TITLE = 1_000
_MAX_SUMMARY = 10_000


class FeedParseError(ValueError):
    """The document is not a feed at all (no channel, no items, not XML)."""


def _entry_time(entry: feedparser.FeedParserDict) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed: time.struct_time | None = entry.get(key)
        if parsed:
            # feedparser has already converted to UTC; timegm reads the tuple as UTC.
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    return None


def _clean_field(value: str | None, limit: int) -> str | None:
    if not value:
        return None
    text, _ = repair_mojibake(" ".join(value.split()))
    return text[:limit] or None


def parse_feed(
    content: bytes, *, feed_name: str, feed_url: str, max_items: int = 200
) -> ParsedFeed:
    """Parse an RSS/Atom document fetched from `feed_url`.

    Items without a usable link are skipped and reported in `problems`; a malformed document
    keeps whatever items parsed before the fault. Raises FeedParseError when nothing at all
    looks like a feed.
    """
    parsed = feedparser.parse(content, response_headers={"content-location": feed_url})
    problems: list[str] = []
    if parsed.bozo:
        problems.append(f"malformed feed: {type(parsed.bozo_exception).__name__}: "
                        f"{str(parsed.bozo_exception)[:200]}")
    if not parsed.entries and (parsed.bozo or not parsed.feed):
        raise FeedParseError(problems[0] if problems else "document has no feed channel or items")

    items: list[FeedItem] = []
    seen: set[str] = set()
    for position, entry in enumerate(parsed.entries):
        if len(items) >= max_items:
            problems.append(f"{len(parsed.entries) - position} items beyond max_items={max_items} "
                            "skipped")
            break
        link = entry.get("link") or ""
        guid = (entry.get("id") or "").strip()
        if not link and guid.startswith(("http://", "https://")):
            link = guid
        if not link.strip():
            problems.append(f"item {position + 1}: no link")
            continue
        try:
            url = resolve_url(link, feed_url)
            canonical = canonicalize_url(url)
        except InvalidUrl as exc:
            problems.append(f"item {position + 1}: {exc}")
            continue
        if canonical in seen:  # the same article twice in one feed counts once
            continue
        seen.add(canonical)
        items.append(
            FeedItem(
                feed_name=feed_name,
                url=url,
                canonical_url=canonical,
                article_id=article_id_for(canonical),
                guid=guid or canonical,
                title=_clean_field(entry.get("title"), _MAX_TITLE),
                published_at=_entry_time(entry),
                summary=_clean_field(entry.get("summary"), _MAX_SUMMARY),
            )
        )
    title = _clean_field(parsed.feed.get("title"), _MAX_TITLE) if parsed.feed else None
    return ParsedFeed(feed_name=feed_name, title=title, items=tuple(items),
                      problems=tuple(problems))
