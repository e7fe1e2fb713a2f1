"""Assemble the Article record of one fetched page: decode, extract, clean, fill the gaps."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

from transforms.captions import DEFAULT_AGENCIES
from transforms.cleaning import clean_line, clean_paragraphs, clean_title, order_fixes
from transforms.encoding import decode_html
from transforms.errors import ExtractionError
from transforms.language import article_language
from transforms.profiles import get_profile
from transforms.profiles.base import not_after_fetch
from transforms.records import Article

# A word has at least one letter or digit: a free-standing dash or bullet is not a word.
_WORD = re.compile(r"\S*[^\W_]\S*")
# Article text has at least one sentence: a paragraph of a few words (or, for scripts without
# spaces, characters) with a full stop. Navigation and link lists that an extractor may return
# from a non-article page do not.
_SENTENCE_END = re.compile(r"[.!?\u3002\uff01\uff1f]")
_MIN_SENTENCE_WORDS = 5
_MIN_SENTENCE_CHARS = 30


def has_article_text(body: str) -> bool:
    return any(
        _SENTENCE_END.search(p)
        and (len(_WORD.findall(p)) >= _MIN_SENTENCE_WORDS or len(p) >= _MIN_SENTENCE_CHARS)
        for p in body.split("\n\n")
    )


def word_count(body: str) -> int:
    return len(_WORD.findall(body))


def content_hash(body: str) -> str:
    """sha256 (hex) of the clean body: it changes exactly when the article text does."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _as_utc(when: datetime | None) -> datetime | None:
    if when is None:
        return None
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC)  # records promise aware UTC datetimes
    return when.astimezone(UTC)


def build_article(
    *,
    item_url: str,
    canonical_url: str,
    article_id: str,
    body: bytes,
    content_type: str | None,
    profile: str,
    feed_published_at: datetime | None = None,
    feed_title: str | None = None,
    fetched_at: datetime | None = None,
) -> Article:
    """Turn the bytes of an article page into an Article.

    The page is preferred for every field; the feed's title and time fill in when the page has
    none. `fetched_at` is when the page was fetched (the original fetch, for a replay): a
    publication time after it is not believed (see profiles.base.not_after_fetch); None sets
    no bound. Authors: on an agency's pages the byline first, then the page's metadata; on
    other sites the other way round. The language is the page's declaration, else what the
    body reads as, else the site profile's default. ExtractionError when the page yields no
    article text; ValueError for an unknown profile.
    """
    site = get_profile(profile)
    html, _codec, encoding_fixes = decode_html(body, content_type)
    page = site.extract(html, item_url, fetched_at=fetched_at)
    agencies = (site.agency,) if site.agency else DEFAULT_AGENCIES
    clean = clean_paragraphs(page.paragraphs, agencies=agencies)
    if not has_article_text(clean.body):
        raise ExtractionError(
            f"no article text on {item_url} (profile {site.name!r}, layout {page.layout!r}, "
            f"{len(page.paragraphs)} raw paragraphs)"
        )
    title = clean_title(page.title, site.title_suffix) or clean_title(feed_title, site.title_suffix)
    source_name = clean_line(page.source_name) or site.agency
    # The feed's zone may have been guessed (a naive time is read as UTC): the wider bound.
    feed_time = not_after_fetch(_as_utc(feed_published_at), _as_utc(fetched_at), zone_known=False)
    return Article(
        article_id=article_id,
        canonical_url=canonical_url,
        url=item_url,
        source_name=source_name,
        title=title,
        published_at=_as_utc(page.published_at) or feed_time,
        dateline_place=clean.dateline_place,
        editor=clean_line(page.editor) or clean.editor,
        photo_credits=clean.photo_credits,
        body=clean.body,
        word_count=word_count(clean.body),
        language=article_language(page.language, clean.body, site.language),
        content_hash=content_hash(clean.body),
        text_fixes=order_fixes((*encoding_fixes, *clean.fixes)),
        authors=_authors(clean.authors, page.authors, agency_first=site.agency is not None,
                         publishers=(site.agency, source_name)),
        is_free=page.is_free,
    )


def _authors(byline: tuple[str, ...], metadata: tuple[str, ...], *, agency_first: bool,
             publishers: tuple[str | None, ...]) -> tuple[str, ...]:
    """One source of names, never a mix (the same person spelt twice): an agency's bylines
    follow its house style, other sites' metadata is the more regular. A publisher named as
    author ('Xinhua') is no person."""
    not_people = {p.casefold() for p in publishers if p}
    for names in (byline, metadata) if agency_first else (metadata, byline):
        people = [n for n in map(clean_line, names) if n and n.casefold() not in not_people]
        if people:
            return tuple(dict.fromkeys(people))
    return ()
