"""flows.page_task.process_pages, called directly (no flow, no cluster): what it hands to
build_article."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from flows.page_task import PageChunk, PageWork, process_pages
from transforms.records import FeedItem, FetchResult

PAGE = Path(__file__).parent / "fixtures" / "pages" / "xinhua_2017.htm"
PUBLISHED = datetime(2019, 12, 31, 15, 48, 2, tzinfo=UTC)  # what the page says
URL = "http://127.0.0.1:8000/english/2019-12/31/c_1.htm"


def work(fetched_at: datetime) -> PageWork:
    item = FeedItem(feed_name="f", url=URL, canonical_url=URL, article_id="a1", guid="g1")
    page = FetchResult(url=URL, kind="page", fetched_at=fetched_at, http_status=200,
                       body=PAGE.read_bytes(), content_type="text/html")
    return PageWork(item, page, "xinhua")


def test_the_pages_fetch_time_bounds_its_publication_time() -> None:
    """The fetch's own time reaches build_article; a replay of the landing zone carries the
    original fetch time (raw.fetch_log), so it decides the same as the first run."""
    later = process_pages.fn(PageChunk([work(PUBLISHED + timedelta(hours=2))]), None)
    earlier = process_pages.fn(PageChunk([work(PUBLISHED - timedelta(hours=2))]), None)
    assert [a.published_at for a in later.articles] == [PUBLISHED]
    assert [a.published_at for a in earlier.articles] == [None]
