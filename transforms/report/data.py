"""What the report and `newswire status` show: typed records read from the warehouse.

warehouse/report_data.py fills the report's records from the marts only (`newswire status`
reads core.* and raw.*, as it must work before any model is built); transforms/report renders
them. Nothing here does I/O. Every string that came from the warehouse (titles, names, quotes,
URLs, error texts) is untrusted: the renderers escape it.

Two windows, because the warehouse has two clocks:
- the *article window* (`ReportWindow.start`..`end`, UTC days) selects articles by their day
  (published_at, else first_seen_at: the marts' rule). It ends on the newest article day that
  is not in the future, so a warehouse of older articles (a backfill, an archive) still shows
  its newest N days;
- the *operations window* (`ops_start`..`ops_end`) selects requests and runs by the UTC day
  they happened: the N UTC days ending on the report's "now" (ops_start is the first one's
  midnight), as the marts count them per day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class ReportWindow:
    days: int
    start: date  # first article day, inclusive
    end: date  # last article day, inclusive
    ops_start: datetime  # requests and runs of this instant's UTC day (a midnight) ...
    ops_end: datetime  # ... to this one's (the report's "now")
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
    quotes_all_time: int | None  # marts.quotes_by_speaker; None: not known
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
    sitemaps_fetched: int = 0  # (sitemap backfills)
    sitemaps_failed: int = 0


@dataclass(frozen=True, slots=True)
class FailedFetch:
    """A request that failed (marts.failed_requests)."""

    fetched_at: datetime
    kind: str
    feed_name: str | None
    url: str
    http_status: int | None
    error: str | None


@dataclass(frozen=True, slots=True)
class FeedHealth:
    """One feed's requests, items, failed pages and feed problems: from
    marts.feed_health_daily for the report, from raw.fetch_log, raw.feed_problem and
    core.fact_feed_item for status (the same rules; tests/test_report.py checks they agree).

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
    problems: int = 0  # raw.feed_problem rows in the window: wrong but not failed
    last_problem: str | None = None  # the newest of them, all time ('kind: detail')
    last_problem_at: datetime | None = None

    @property
    def not_modified_rate(self) -> float | None:
        return self.not_modified / self.requests if self.requests else None


@dataclass(frozen=True, slots=True)
class RunSummary:
    """One run (marts.etl_runs for the report, core.etl_run for status)."""

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
class TopStory:
    """A story with articles in the article window (marts.stories). Its counts and its
    publication span are over all its articles, those outside the window included."""

    story_id: str  # the article_id of its first article
    headline: str | None
    articles: int
    feeds: int  # distinct feeds that listed any of its articles
    sources: int  # distinct publishers (source_name)
    first_published_at: datetime | None
    last_published_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReportData:
    generated_at: datetime
    window: ReportWindow
    missing_marts: tuple[str, ...]  # marts not built (or out of date): nothing was read
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
    stories: tuple[TopStory, ...] = field(default_factory=tuple)  # largest first


@dataclass(frozen=True, slots=True)
class StatusData:
    generated_at: datetime
    since: datetime  # counts in `feeds` are from this instant on
    runs: tuple[RunSummary, ...]  # newest first
    runs_total: int
    feeds: tuple[FeedHealth, ...]
    articles_total: int
    newest_article_at: datetime | None
