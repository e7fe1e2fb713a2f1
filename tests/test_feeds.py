from datetime import UTC, datetime

import pytest

from transforms.feeds import FeedParseError, parse_feed

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Agency | Region</title><link>http://a.test/</link>
<item><title>Harbour city opens new ferry line</title>
<link>http://a.test/20250101/aaa/c.html</link>
<guid isPermaLink="true">http://a.test/20250101/aaa/c.html</guid>
<pubDate>Wed, 01 Jan 2025 18:02:09 +0800</pubDate>
<description>The ferry line links two districts.</description></item>
<item><title>Same story again, tracked</title>
<link>http://a.test/20250101/aaa/c.html?utm_source=rss&amp;utm_medium=feed</link>
<guid isPermaLink="false">agency-aaa-region</guid></item>
<item><title>Relative link</title><link>/20250102/bbb/c.html</link>
<description>Farmersâ€™ markets reopen.</description></item>
<item><title>No link at all</title></item>
<item><title>Bad scheme</title><link>ftp://a.test/x</link></item>
</channel></rss>"""


def parse(content: bytes | str, max_items: int = 200):
    data = content.encode() if isinstance(content, str) else content
    return parse_feed(data, feed_name="f", feed_url="http://a.test/rss/f.xml", max_items=max_items,
                      content_type="application/rss+xml; charset=utf-8")


def test_items_are_resolved_canonicalised_and_deduplicated() -> None:
    feed = parse(FEED)
    assert feed.title == "Agency | Region"
    assert [i.canonical_url for i in feed.items] == [
        "http://a.test/20250101/aaa/c.html", "http://a.test/20250102/bbb/c.html"]
    first = feed.items[0]
    assert first.published_at == datetime(2025, 1, 1, 10, 2, 9, tzinfo=UTC)
    assert first.guid == "http://a.test/20250101/aaa/c.html"
    assert feed.items[1].summary == "Farmers’ markets reopen."


def test_unusable_items_are_reported_not_fatal() -> None:
    problems = parse(FEED).problems
    assert [(p.kind, p.items) for p in problems] == [("no_link", 1), ("bad_url", 1)]
    assert "not an http(s) URL" in problems[1].detail


def test_max_items_caps_the_feed() -> None:
    feed = parse(FEED, max_items=1)
    assert len(feed.items) == 1
    assert [(p.kind, p.items) for p in feed.problems] == [("max_items", 4)]


def test_truncated_feed_keeps_items_that_parsed() -> None:
    cut = FEED[: FEED.index("<item><title>Relative")] + "<item><title>Half"
    feed = parse(cut)
    assert [i.canonical_url for i in feed.items] == ["http://a.test/20250101/aaa/c.html"]
    assert [p.kind for p in feed.problems] == ["malformed", "no_link"]


@pytest.mark.parametrize("content", [b"", b"\x00\xff\xfe garbage", b"<html><body>Not a feed"])
def test_non_feeds_raise(content: bytes) -> None:
    with pytest.raises(FeedParseError):
        parse(content)


def test_an_entity_bomb_is_read_without_expanding_it() -> None:
    """A billion-laughs DOCTYPE: ten levels of ten references, 10**10 characters if expanded.
    The feed is read as the text it literally holds, within bounded memory."""
    import tracemalloc

    bomb = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
            + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">'
                      for i in range(9))
            + ']><rss version="2.0"><channel><title>&j;</title></channel></rss>').encode()
    tracemalloc.start()
    try:
        feed = parse(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert feed.items == () and len(feed.title or "") < 100
    assert [p.kind for p in feed.problems] == ["malformed"]
    assert peak < 200 * 1024 * 1024


def test_oldest_first_orders_by_feed_date_with_undated_items_last() -> None:
    from datetime import UTC, datetime

    from transforms.feeds import oldest_first
    from transforms.records import FeedItem

    def item(n: int, day: int | None) -> FeedItem:
        return FeedItem(feed_name="f", url=f"http://a.test/{n}", canonical_url=f"http://a.test/{n}",
                        article_id=f"a{n}", guid=f"g{n}",
                        published_at=None if day is None else datetime(2025, 1, day, tzinfo=UTC))

    items = [item(1, 3), item(2, None), item(3, 1), item(4, 3), item(5, None), item(6, 2)]
    assert [i.article_id for i in oldest_first(items)] == ["a3", "a6", "a1", "a4", "a2", "a5"]
