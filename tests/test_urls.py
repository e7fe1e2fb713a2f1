import pytest

from transforms.urls import InvalidUrl, article_id_for, canonicalize_url, resolve_url


@pytest.mark.parametrize(("url", "expected"), [
    ("https://english.news.cn/20241121/abc/c.html?utm_source=rss&utm_medium=feed",
     "https://english.news.cn/20241121/abc/c.html"),
    ("HTTPS://English.News.CN:443/a/b.html#top", "https://english.news.cn/a/b.html"),
    ("http://127.0.0.1:8080/x/../y/c.html?b=2&a=1&fbclid=zz", "http://127.0.0.1:8080/y/c.html?a=1&b=2"),
    ("http://example.com", "http://example.com/"),
    ("http://example.com/dir/", "http://example.com/dir/"),
    ("http://example.com/a%20b.html", "http://example.com/a%20b.html"),
])
def test_canonicalize_url(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


def test_canonical_url_is_a_fixed_point() -> None:
    url = canonicalize_url("https://Example.com/a/./b.html?z=1&utm_campaign=x#frag")
    assert canonicalize_url(url) == url


@pytest.mark.parametrize("url", ["ftp://example.com/feed", "file:///etc/passwd",
                                 "javascript:alert(1)", "http:///nohost", ""])
def test_non_http_urls_are_refused(url: str) -> None:
    with pytest.raises(InvalidUrl):
        canonicalize_url(url)


def test_relative_links_resolve_against_the_feed() -> None:
    assert resolve_url("/a/c.html", "http://host:81/rss/f.xml") == "http://host:81/a/c.html"


def test_article_id_is_stable_and_tracking_blind() -> None:
    a = article_id_for(canonicalize_url("https://x.cn/a.html?utm_source=rss"))
    b = article_id_for(canonicalize_url("https://x.cn/a.html"))
    assert a == b
    assert len(a) == 32
    assert a != article_id_for(canonicalize_url("https://x.cn/b.html"))
