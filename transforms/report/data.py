"""What the report and `newswire status` show: typed records read from the warehouse.

warehouse/report_data.py fills these from the marts (and, where a mart answers only for all
time, from the core facts); transforms/report renders them. Nothing here does I/O. Every
string that came from the warehouse (titles, names, quotes, URLs, error texts) is untrusted:
the renderers escape it.

Two windows, because the warehouse has two clocks:
- the *article window* (`ReportWindow.start`..`end`, UTC days) selects articles by their day
  (published_at, else first_seen_at: the marts' rule). It ends on the newest article day that
  is not in the future, so a warehouse of older articles (a backfill, the dev set) still shows
  its newest N days;
- the *operations window* (`ops_start`..`ops_end`, instants) selects requests and runs by when
  they happened: the N days up to now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class ReportWindow:
    days: int
    start: date  # first article day, inclusive
    end: date  # last article day, inclusive
    ops_start: datetime  # requests and runs at or after this instant (UTC)
    ops_end: datetime  # ... and before this one (the report's "now")
    newest_article_day: date | None  # None: no article at all


@dataclass(frozen=True, slots=True)
class FeedVolume:
    """Articles of one day listed by one feed (marts.daily_feed_articles)."""

    day: date
    feed_name: str
    articles: int


@dataclass(frozen=True, slots=True)
class EntityCount:
    """An entity's mentions and mentioning articles over the article window."""

    entity_id: str
    name: str
    type: str
    mentions: int
    articles: int


@dataclass(frozen=True, slots=True)
class CountryCount:
    """A country's mentions (by name or demonym) and mentioning articles over the window."""

    country_code: str
    name: str
    mentions: int
    articles: int


@dataclass(frozen=True, slots=True)
class CoMention:
    """Articles of the window that mention both entities (entity_a < entity_b by id)."""

    entity_a: str
    entity_b: str
    articles: int


@dataclass(frozen=True, slots=True)
class QuoteSample:
    quote: str
    title: str | None
    url: str | None
    published_at: datetime | None


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker's quotes in the window, a few samples, and their all-time count."""

    speaker_entity_id: str | None  # None: the speaker text resolved to no entity
    speaker: str
    speaker_type: str | None
    quotes: int
    articles: int
    last_quoted_at: datetime | None
    quotes_all_time: int | None  # marts.quotes_by_speaker; None if the mart is missing
    samples: tuple[QuoteSample, ...] = ()


@dataclass(frozen=True, slots=True)
class TextFixDay:
    """What cleaning repaired in the articles of one day (marts.data_quality)."""

    day: date
    articles: int
    articles_with_fixes: int
    fixes: tuple[tuple[str, int], ...]  # (kind, articles with that fix), kinds in mart order


@dataclass(frozen=True, slots=True)
class RequestDay:
    """Requests and runs of one UTC day (marts.data_quality)."""

    day: date
    pages_fetched: int
    pages_failed: int
    feeds_fetched: int
    feeds_failed: int
    feeds_not_modified: int
    runs: int
    runs_partial: int
    runs_failed: int
    sitemaps_fetched: int = 0  # (sitemap backfills; columns a newer data_quality adds)
    sitemaps_failed: int = 0


@dataclass(frozen=True, slots=True)
class FailedFetch:
    """A request that failed (raw.fetch_log)."""

    fetched_at: datetime
    kind: str
    feed_name: str | None
    url: str
    http_status: int | None
    error: str | None


@dataclass(frozen=True, slots=True)
class FeedHealth:
    """One feed's requests (raw.fetch_log, kind 'feed') and items (core.fact_feed_item).

    last_* are over all time; the counts are over the operations window.
    """

    feed_name: str
    url: str | None
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str | None
    requests: int
    ok: int  # 2xx
    not_modified: int  # 304
    failed: int
    items: int  # feed items first seen in the window
    items_all_time: int
    pages_failed: int  # pages linked by this feed that failed in the window
    configured: bool | None = None  # in the feeds file (status only; None: not known)

    @property
    def not_modified_rate(self) -> float | None:
        return self.not_modified / self.requests if self.requests else None


@dataclass(frozen=True, slots=True)
class RunSummary:
    """One row of core.etl_run."""

    run_id: str
    flow_name: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    feeds_ok: int
    feeds_failed: int
    articles_new: int
    articles_updated: int
    articles_unchanged: int
    pages_failed: int


@dataclass(frozen=True, slots=True)
class ReportData:
    generated_at: datetime
    window: ReportWindow
    missing_marts: tuple[str, ...]  # marts the report needs that are not built
    marts_built_at: datetime | None
    articles: int  # distinct articles in the article window (marts.daily_articles)
    feed_volume: tuple[FeedVolume, ...]
    people: tuple[EntityCount, ...]
    organisations: tuple[EntityCount, ...]
    countries: tuple[CountryCount, ...]
    co_entities: tuple[EntityCount, ...]  # the top entities the co-mention matrix shows
    co_mentions: tuple[CoMention, ...]
    speakers: tuple[Speaker, ...]
    text_fixes: tuple[TextFixDay, ...]
    requests: tuple[RequestDay, ...]
    failed_fetches: tuple[FailedFetch, ...]  # newest first, at most a few dozen
    failed_fetches_total: int
    feeds: tuple[FeedHealth, ...]
    runs: tuple[RunSummary, ...] = field(default_factory=tuple)  # newest first


@dataclass(frozen=True, slots=True)
class StatusData:
    generated_at: datetime
    since: datetime  # counts in `feeds` are from this instant on
    runs: tuple[RunSummary, ...]  # newest first
    runs_total: int
    feeds: tuple[FeedHealth, ...]
    articles_total: int
    newest_article_at: datetime | None
