"""Feed documents (RSS/Atom bytes) to typed feed items."""

from __future__ import annotations

import calendar
import time
from collections.abc import Sequence
from datetime import UTC, datetime

import feedparser

from transforms.mojibake import repair_mojibake
from transforms.records import FeedItem, FeedProblem, FeedProblemKind, ParsedFeed
from transforms.urls import InvalidUrl, article_id_for, canonicalize_url, resolve_url

_MAX_TITLE = 1_000
_MAX_SUMMARY = 10_000


class FeedParseError(ValueError):
    """The document is not a feed at all (no channel, no items, not XML)."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


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


_LISTED = 5  # item positions named in a problem's detail; the count covers the rest


def _bozo_problem(parsed: feedparser.FeedParserDict, content_type: str | None
                  ) -> FeedProblem | None:
    """What feedparser's `bozo` flag means for this document, if it is set."""
    if not parsed.bozo:
        return None
    exc = parsed.bozo_exception
    if isinstance(exc, feedparser.NonXMLContentType):
        return FeedProblem("content_type", f"served as {content_type!r}, not an XML type"
                           if content_type else "served without a Content-Type")
    if isinstance(exc, feedparser.CharacterEncodingOverride):
        return FeedProblem("encoding", str(exc)[:300])
    return FeedProblem("malformed", f"{type(exc).__name__}: {str(exc)[:300]}; read as far as "
                       f"it goes ({len(parsed.entries)} items)")


def _skipped(kind: FeedProblemKind, what: str, positions: list[int],
             reasons: list[str] | None = None) -> FeedProblem:
    named = [f"{p}" + (f" ({r})" if reasons else "")
             for p, r in zip(positions, reasons or [""] * len(positions), strict=True)][:_LISTED]
    more = f" and {len(positions) - _LISTED} more" if len(positions) > _LISTED else ""
    return FeedProblem(kind, f"{len(positions)} items skipped, {what}: item "
                       f"{', '.join(named)}{more}", len(positions))


def parse_feed(
    content: bytes, *, feed_name: str, feed_url: str, max_items: int = 200,
    content_type: str | None = None, location: str | None = None,
) -> ParsedFeed:
    """Parse an RSS/Atom document fetched from `feed_url`, as served: `content_type` is the
    response's Content-Type (its charset and whether it is XML matter to feedparser) and
    `location` the URL it came from after redirects (relative links resolve against it).

    A malformed document keeps whatever items parsed before the fault; that, a non-XML
    Content-Type, a wrong declared charset and skipped items are `problems`, not failures. A
    feed with a channel and no items is a quiet feed, not a failure. Raises FeedParseError
    only when the document is no feed at all.
    """
    base = location or feed_url
    headers = {"content-location": base}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(content, response_headers=headers)
    bozo = _bozo_problem(parsed, content_type)
    if not parsed.entries and not parsed.get("version"):
        exc = parsed.get("bozo_exception") if bozo and bozo.kind == "malformed" else None
        raise FeedParseError("not an RSS or Atom document" + (
            f" ({type(exc).__name__}: {str(exc)[:200]})" if exc else ""))
    problems: list[FeedProblem] = [bozo] if bozo else []
    items: list[FeedItem] = []
    seen: set[str] = set()
    no_link: list[int] = []
    bad: list[tuple[int, str]] = []
    for position, entry in enumerate(parsed.entries, start=1):
        if len(items) >= max_items:
            skipped = len(parsed.entries) - position + 1
            problems.append(FeedProblem("max_items", f"{skipped} items beyond max_items="
                                        f"{max_items} skipped", skipped))
            break
        link = entry.get("link") or ""
        guid = (entry.get("id") or "").strip()
        if not link and guid.startswith(("http://", "https://")):
            link = guid
        if not link.strip():
            no_link.append(position)
            continue
        try:
            url = resolve_url(link, base)
            canonical = canonicalize_url(url)
        except InvalidUrl as exc:
            bad.append((position, str(exc)[:120]))
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
    if no_link:
        problems.append(_skipped("no_link", "no link", no_link))
    if bad:
        problems.append(_skipped("bad_url", "unusable link",
                                 [p for p, _ in bad], [r for _, r in bad]))
    title = _clean_field(parsed.feed.get("title"), _MAX_TITLE) if parsed.feed else None
    return ParsedFeed(feed_name=feed_name, title=title, items=tuple(items),
                      problems=tuple(problems))


def oldest_first(items: Sequence[FeedItem]) -> list[FeedItem]:
    """Items in the order the feeds date them, oldest first; undated ones last, each group in
    its given order. Pages processed in this order load a story's first article before its
    updates and copies (feeds list the newest first), so the story is started, and named,
    by that first article."""
    return sorted(items, key=lambda i: (i.published_at is None, i.published_at or _EPOCH))
