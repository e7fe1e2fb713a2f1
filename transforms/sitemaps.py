"""Sitemaps (and robots.txt) to article URLs within a date window. Pure: bytes in, records out.

Handles <urlset> and <sitemapindex> documents, gzip-compressed sitemaps (with a cap on the
decompressed size), Google News sitemaps (news:publication_date), and URLs without any date,
whose date is read from the URL path as agencies print it (/20241121/..., /2019-05/14/...).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime

from lxml import etree

from transforms.urls import InvalidUrl, resolve_url

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit for one file, uncompressed

_PATH_DATES = (
    re.compile(r"/(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)/"),
    re.compile(r"/(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)/(?P<d>[0-3]\d)/"),
    re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>[01]\d)/(?P<d>[0-3]\d)/"),
)


class SitemapError(ValueError):
    """Not a sitemap, or one too large to read."""


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    url: str
    modified: datetime | None  # lastmod, or the news publication date when given


@dataclass(frozen=True, slots=True)
class Sitemap:
    pages: tuple[SitemapEntry, ...]
    children: tuple[SitemapEntry, ...]  # further sitemaps, from a sitemap index


def sitemaps_in_robots(robots_txt: bytes, base_url: str) -> tuple[str, ...]:
    """The `Sitemap:` URLs a robots.txt declares."""
    found = []
    for line in robots_txt.decode("utf-8", errors="replace").splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            try:
                found.append(resolve_url(value.strip(), base_url))
            except InvalidUrl:
                continue
    return tuple(dict.fromkeys(found))


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    text = text.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _gunzip_capped(content: bytes) -> bytes:
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(content, MAX_SITEMAP_BYTES + 1)
    except zlib.error as exc:
        raise SitemapError(f"corrupt gzip sitemap: {exc}") from None
    if len(out) > MAX_SITEMAP_BYTES or inflater.unconsumed_tail:
        raise SitemapError(f"sitemap larger than {MAX_SITEMAP_BYTES} bytes uncompressed")
    return out


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(content: bytes, base_url: str) -> Sitemap:
    """Parse a sitemap or sitemap index; SitemapError when it is neither."""
    if content[:2] == b"\x1f\x8b":
        content = _gunzip_capped(content)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             recover=True)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise SitemapError(f"not XML: {exc}") from None
    if root is None or _local(root.tag) not in ("urlset", "sitemapindex"):
        raise SitemapError("not a sitemap: the root is neither <urlset> nor <sitemapindex>")
    entries: list[SitemapEntry] = []
    for node in root:
        if _local(node.tag) not in ("url", "sitemap"):
            continue
        fields = {_local(child.tag): (child.text or "") for child in node.iter()}
        try:
            url = resolve_url(fields.get("loc", "").strip(), base_url)
        except InvalidUrl:
            continue
        modified = _parse_time(fields.get("publication_date")) or _parse_time(
            fields.get("lastmod"))
        entries.append(SitemapEntry(url, modified))
    if _local(root.tag) == "sitemapindex":
        return Sitemap(pages=(), children=tuple(entries))
    return Sitemap(pages=tuple(entries), children=())


def date_in_url(url: str) -> date | None:
    """The publication date agencies print in article paths, if any."""
    for pattern in _PATH_DATES:
        match = pattern.search(url)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                continue
    return None


def entry_date(entry: SitemapEntry) -> date | None:
    """The entry's date: from the URL path when it has one (the publication date), else the
    sitemap's lastmod (which may be a later edit)."""
    return date_in_url(entry.url) or (entry.modified.date() if entry.modified else None)


def in_window(day: date | None, start: datetime, end: datetime) -> bool:
    if day is None:
        return False
    return start.date() <= day < end.date()
