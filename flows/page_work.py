"""The CPU-bound work on fetched pages: extraction, then entities. Free of Prefect, so that
worker processes can import it quickly; flows/tasks.py wraps the same functions as tasks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.language import Language

from transforms.article import build_article
from transforms.entities import enrich_articles, load_pipeline
from transforms.errors import ExtractionError
from transforms.records import Article, Enrichment, FeedItem, FetchResult

_PIPELINES: dict[str | None, Language] = {}


def pipeline(model: str | None) -> Language:
    """The spaCy pipeline, loaded once per process (loading costs about a second)."""
    if model not in _PIPELINES:
        _PIPELINES[model] = load_pipeline(model)
    return _PIPELINES[model]


def extract_pages(
    results: Sequence[FetchResult], items: Sequence[FeedItem], profiles: dict[str, str]
) -> tuple[list[Article], list[FetchResult]]:
    """Turn fetched pages into articles. `items[i]` is the feed item that linked `results[i]`;
    `profiles` maps feed name to site profile. Extraction failures are written into the
    page's fetch result, so fetch_log records the reason."""
    articles: list[Article] = []
    logged: list[FetchResult] = []
    for result, item in zip(results, items, strict=True):
        if result.ok and result.body is not None:
            try:
                articles.append(build_article(
                    item_url=item.url, canonical_url=item.canonical_url,
                    article_id=item.article_id, body=result.body,
                    content_type=result.content_type, profile=profiles[item.feed_name],
                    feed_published_at=item.published_at, feed_title=item.title,
                ))
            except ExtractionError as exc:
                result = replace(result, error=f"extraction failed: {exc}")
        logged.append(result)
    return articles, logged


def enrich_batch(articles: Sequence[Article], model: str | None) -> list[Enrichment]:
    """Entities, mentions and quotes of each article's clean body, in one nlp.pipe pass."""
    if not articles:
        return []
    return enrich_articles(pipeline(model), [(a.article_id, a.body) for a in articles])


def warm_worker(model: str | None) -> None:
    """Process-pool initializer: load the model before the first batch arrives."""
    pipeline(model)


def process_pages(
    results: Sequence[FetchResult], items: Sequence[FeedItem], profiles: dict[str, str],
    model: str | None,
) -> tuple[list[Article], list[FetchResult], list[Enrichment]]:
    """Extract and enrich one batch (in a worker process). Bodies are not sent back: the
    fetch log needs only the metadata, and they are already landed."""
    articles, logged = extract_pages(results, items, profiles)
    return articles, [replace(r, body=None) for r in logged], enrich_batch(articles, model)
