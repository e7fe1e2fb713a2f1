"""Typed records that cross between flows/, transforms/ and warehouse/.

Defined once here; the other packages import them and never redefine them.
All datetimes are timezone-aware and normalised to UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Literal, TypeVar, dataclass_transform

FetchKind = Literal["feed", "page", "robots", "sitemap", "warc"]

R = TypeVar("R")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[R]) -> type[R]:
    """A frozen, slotted dataclass that pickles as its class and field values. Records cross
    process boundaries by the thousand (the workers return every mention); the pickling that
    dataclasses gives frozen slotted classes looks their fields up again for every object,
    which made unpickling twice as slow (measured: 2.9 us -> 1.6 us a record)."""
    made: Any = dataclass(frozen=True, slots=True)(cls)
    names = tuple(f.name for f in fields(made))

    def __reduce__(self: Any) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return made, tuple(getattr(self, name) for name in names)

    made.__reduce__ = __reduce__
    return made


@record
class FeedConfig:
    """One `[[feed]]` entry of feeds.toml."""

    name: str
    url: str
    profile: str
    schedule: str | None = None
    enabled: bool = True
    max_items: int = 200


@record
class FetchResult:
    """One HTTP request, successful or not: what raw.fetch_log records.

    `body` is kept in memory only until it is landed and processed; it never enters the log
    table. `body_bytes` is the size of the body received (whatever the status), and stays when
    the body itself is dropped.
    """

    url: str
    kind: FetchKind
    fetched_at: datetime
    http_status: int | None
    body: bytes | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_sha256: str | None = None
    error: str | None = None
    final_url: str | None = None  # after redirects
    feed_name: str | None = None  # the feed itself, or the feed whose item linked the page
    item_published_at: datetime | None = None  # pages: the linking feed item's date
    body_bytes: int | None = None
    # feeds: what reading the body found wrong without failing it (raw.feed_problem)
    problems: tuple[FeedProblem, ...] = ()
    # A page read from a web archive: the archive (path or URL) and the offset of its record
    # (of the gzip member holding it, in a gzipped archive), where its raw bytes stay.
    archive: str | None = None
    archive_offset: int | None = None
    # kind 'warc', one row per archive read: its records, and how many were kept
    records_read: int | None = None
    records_kept: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.http_status is not None and 200 <= self.http_status < 300

    @property
    def not_modified(self) -> bool:
        return self.error is None and self.http_status == 304

    @property
    def succeeded(self) -> bool:
        """The request did its job: new content, or the server confirmed ours is current."""
        return self.ok or self.not_modified

    @property
    def size(self) -> int:
        return len(self.body) if self.body is not None else 0

    @property
    def received_bytes(self) -> int | None:
        """What raw.fetch_log.bytes records: the body size, NULL when no body arrived."""
        if self.body_bytes is not None:
            return self.body_bytes
        return len(self.body) if self.body is not None else None


@record
class FeedItem:
    """An item of a parsed feed, with its link already resolved and canonicalised."""

    feed_name: str
    url: str
    canonical_url: str
    article_id: str
    guid: str
    title: str | None = None
    published_at: datetime | None = None
    summary: str | None = None


FeedProblemKind = Literal["malformed", "content_type", "encoding", "max_items", "no_link",
                          "bad_url"]


@record
class FeedProblem:
    """Something wrong with a feed that did not stop it: a malformed document read as far as
    it goes, a non-XML Content-Type, a wrong declared charset, items skipped. The feed still
    succeeds; these are recorded in raw.feed_problem."""

    kind: FeedProblemKind
    detail: str
    items: int = 0  # items affected (skipped ones for max_items/no_link/bad_url)


@record
class ParsedFeed:
    """What a feed document yielded: the items that parsed, and what went wrong with the rest."""

    feed_name: str
    title: str | None
    items: tuple[FeedItem, ...]
    problems: tuple[FeedProblem, ...] = ()


@record
class ExtractedPage:
    """What a site profile reads off an article page, before text cleaning.

    `paragraphs` are the raw texts of the article's paragraphs in document order (captions,
    datelines, end marks and editor lines still in them); cleaning decides what is body.
    """

    title: str | None
    published_at: datetime | None
    editor: str | None
    source_name: str | None
    paragraphs: tuple[str, ...]
    language: str | None = None
    layout: str = "unknown"  # which template the profile recognised, for diagnostics
    authors: tuple[str, ...] = ()  # as the page's metadata (JSON-LD, meta tags) names them
    is_free: bool | None = None  # JSON-LD isAccessibleForFree; None when the page does not say


@record
class CleanText:
    """The result of cleaning an article's paragraphs."""

    body: str  # paragraphs joined with "\n\n"
    dateline_place: str | None
    photo_credits: tuple[str, ...]
    editor: str | None  # an editor line found inside the paragraphs, if any
    fixes: tuple[str, ...]  # e.g. ("mojibake", "end_mark", "caption")
    authors: tuple[str, ...] = ()  # the names of a byline taken out of the body


@record
class StorySignature:
    """What story matching keeps of an article (transforms/stories/signature.py): MinHash
    values of its body's and its lead's word shingles, the body's distinct shingle count, and
    its normalised title. `scheme` names the parameters that made it."""

    scheme: str
    body_minhash: bytes
    lead_minhash: bytes
    shingles: int
    title_key: str | None


@record
class Article:
    """One row of core.fact_article as the transforms produce it (load adds ingestion times)."""

    article_id: str
    canonical_url: str
    url: str
    source_name: str | None
    title: str | None
    published_at: datetime | None
    dateline_place: str | None
    editor: str | None
    photo_credits: tuple[str, ...]
    body: str
    word_count: int
    language: str | None
    content_hash: str
    text_fixes: tuple[str, ...] = field(default_factory=tuple)
    # The entity model that read the body ('en_core_web_sm-3.8.0'); None when no model ran,
    # because the article's language has none (set after NER, see flows/page_task.py).
    entities_model: str | None = None
    authors: tuple[str, ...] = ()  # byline or metadata names; never in the body, so never mentions
    is_free: bool | None = None  # False when the page marks itself paywalled; None unknown
    # Set after extraction (flows/page_task.py); the loader computes it when missing.
    story_signature: StorySignature | None = None


@record
class EtlRun:
    """One row of core.etl_run."""

    run_id: str
    flow_name: str
    started_at: datetime
    finished_at: datetime | None
    status: str  # 'running' | 'success' | 'partial' | 'failed'
    feeds_ok: int = 0
    feeds_failed: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    pages_failed: int = 0


@record
class Entity:
    """One row of core.dim_entity. `entity_id` is stable: derived from type and canonical name
    (or country code), so every article and every run maps a real entity to the same id."""

    entity_id: str
    name: str
    type: str  # OntoNotes label: PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, ...
    country_code: str | None = None  # the country this entity IS (or whose people it names)
    located_in: str | None = None  # for cities and regions: the country they lie in


@record
class EntityMention:
    """One row of core.fact_entity_mention; offsets index into the article's clean body."""

    article_id: str
    entity_id: str
    surface: str
    start_char: int
    end_char: int


@record
class Quote:
    """One row of core.fact_quote: reported speech and its canonical speaker."""

    article_id: str
    speaker_entity_id: str | None
    speaker: str | None
    quote: str
    start_char: int
    end_char: int


@record
class Enrichment:
    """Entities, mentions and quotes found in one article's clean body."""

    article_id: str
    entities: tuple[Entity, ...]
    mentions: tuple[EntityMention, ...]
    quotes: tuple[Quote, ...]
