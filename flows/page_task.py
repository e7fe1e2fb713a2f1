"""The task that runs on the Dask workers: a chunk of pages in, articles, entities and quotes
out. Kept apart from the flow side (flows/pages.py), so that a worker imports what the work
needs and nothing of the warehouse (DuckDB and Arrow would cost every worker 38 MB); and the
work's own libraries (spaCy, trafilatura) are imported where it runs, so that the flow's
process, which only hands chunks over, does without them (40 MB, half a second of start-up).
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import MissingContextError
from prefect.logging import get_run_logger

from transforms.records import Article, Enrichment, FeedItem, FetchResult

if TYPE_CHECKING:
    from spacy.language import Language

# Documents per nlp.pipe batch: spaCy's working set grows with it (64: +190 MB per worker at
# its peak, 32: +95 MB, 16: +45 MB) and its speed a little (64 is 2% faster than 32).
NER_BATCH = 32


@functools.cache
def entity_pipeline(model: str | None) -> Language:
    """The spaCy pipeline, loaded once per process (about a second) and reused."""
    from transforms.entities import load_pipeline

    return load_pipeline(model)


@functools.cache
def language_pipeline(language: str, english_model: str | None) -> Language | None:
    """The entity pipeline of `language`, loaded once per process when its first article
    arrives; None when its model is not installed (said once per process, in the run's log):
    that language's articles then get no entities. English is `entity_pipeline`, whose model
    the command line checked before starting."""
    from transforms.entities import ModelNotFoundError
    from transforms.entities.languages import ENGLISH, LANGUAGE_MODELS, load_language_pipeline

    if language == ENGLISH:
        return entity_pipeline(english_model)
    try:
        return load_language_pipeline(language)
    except ModelNotFoundError as exc:
        _logger().warning("no entities for articles in %r: %s (install it with `pip install "
                          "newswire[%s]`, or pip install %s)", language, exc, language,
                          LANGUAGE_MODELS[language].replace("_", "-"))
        return None


def _logger() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    """The task run's logger (it reaches the Prefect API) inside a run, else the module's."""
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PageWork:
    """A page to turn into an article: the feed item that linked it, the fetch that got it
    (with its body) and the site profile that reads it."""

    item: FeedItem
    page: FetchResult
    profile: str
    # A page a web archive captured outside the backfill's window: kept only if its own
    # date (published_at) falls in this window [start, end).
    window: tuple[datetime, datetime] | None = None


class PageChunk:
    """The pages of one processing task, handed over as one value: Prefect does not walk
    through it looking for futures (its `opaque` annotation does not survive prefect-dask),
    and Dask names the task after the chunk's id (its documented `__dask_tokenize__`) instead
    of hashing every page. Together that saved the flow's process about 1.5 s of CPU per
    1,000 pages (measured)."""

    __slots__ = ("chunk_id", "pages")

    def __init__(self, pages: Sequence[PageWork]) -> None:
        self.chunk_id = uuid.uuid4().hex
        self.pages = tuple(pages)

    def __len__(self) -> int:
        return len(self.pages)

    def __dask_tokenize__(self) -> str:
        return self.chunk_id


@dataclass(frozen=True, slots=True)
class ProcessedChunk:
    articles: list[Article]
    page_log: list[FetchResult]  # one per page, body dropped, extraction failures in `error`
    enrichments: list[Enrichment]
    outside_window: int = 0  # pages dropped (no article, no log row): dated outside the window


@task(name="process-pages", cache_policy=NO_CACHE)
def process_pages(chunk: PageChunk, model: str | None) -> ProcessedChunk:
    """Extract each page's article, then its entities and quotes, one nlp.pipe pass per
    language with the model of that language (`model`: the English one; see
    transforms/entities/languages.py), and its story signature. Bodies do not travel back:
    they are landed already, and the fetch log keeps their size."""
    from transforms.article import build_article
    from transforms.entities.languages import enrich_by_language
    from transforms.errors import ExtractionError
    from transforms.stories import story_signature
    from transforms.warc import in_window

    articles: list[Article] = []
    page_log: list[FetchResult] = []
    outside_window = 0
    for w in chunk.pages:
        result = w.page
        if result.ok and result.body is not None:
            try:
                article = build_article(
                    item_url=w.item.url, canonical_url=w.item.canonical_url,
                    article_id=w.item.article_id, body=result.body,
                    content_type=result.content_type, profile=w.profile,
                    feed_published_at=w.item.published_at, feed_title=w.item.title,
                    # the page's own fetch time: a replay of the landing zone gives the
                    # time of the original fetch (raw.fetch_log), so it decides the same
                    fetched_at=result.fetched_at)
            except ExtractionError as exc:
                result = replace(result, error=f"extraction failed: {exc}")
            else:
                if w.window is not None and not in_window(article.published_at, w.window):
                    outside_window += 1
                    continue
                articles.append(article)
        page_log.append(replace(result, body=None))
    results = enrich_by_language(lambda language: language_pipeline(language, model),
                                 [(a.article_id, a.body, a.language) for a in articles],
                                 batch_size=NER_BATCH)
    # The story signature is made here, on the workers, so that the load (one process for
    # the whole run) only matches.
    articles = [replace(a, entities_model=m, story_signature=story_signature(a.body, a.title))
                for a, (_, m) in zip(articles, results, strict=True)]
    return ProcessedChunk(articles, page_log, [e for e, _ in results], outside_window)
