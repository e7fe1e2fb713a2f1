"""Article texts for the story tests: the bundled demo pages, read by the xinhua profile, and
the variants a story's articles take (an update, a shortened version, a syndicated copy)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from flows.site_server import demo_site_dir
from transforms.article import build_article, content_hash, word_count
from transforms.records import Article

T0 = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Text:
    article_id: str
    title: str
    body: str
    published_at: datetime


@functools.cache
def demo_texts() -> tuple[Text, ...]:
    """The twelve demo articles, all on different subjects, published an hour apart."""
    texts = []
    for n, page in enumerate(sorted(demo_site_dir().rglob("*.htm*"))):
        a = build_article(item_url=f"http://demo.test/{n}", canonical_url=f"http://demo.test/{n}",
                          article_id=f"demo{n}", body=page.read_bytes(),
                          content_type="text/html", profile="xinhua")
        assert a.title is not None
        texts.append(Text(a.article_id, a.title, a.body, T0 + timedelta(hours=n)))
    return tuple(texts)


def paragraphs(text: Text) -> list[str]:
    return text.body.split("\n\n")


def shortened(text: Text, article_id: str, later: timedelta = timedelta(hours=2)) -> Text:
    return Text(article_id, text.title, "\n\n".join(paragraphs(text)[:3]),
                text.published_at + later)


def updated(text: Text, article_id: str, later: timedelta = timedelta(hours=5)) -> Text:
    paras = paragraphs(text)
    added = ("Officials said on Thursday that further details would be announced at a news "
             "conference next week, after the figures for the second quarter are published.")
    return Text(article_id, f"Update: {text.title}",
                "\n\n".join([paras[0], added, *paras[1:]]), text.published_at + later)


def syndicated(text: Text, article_id: str, later: timedelta = timedelta(days=1)) -> Text:
    paras = paragraphs(text)
    body = "\n\n".join([
        "Share this story on social media | Print | Font size: A A A",
        f"BEIJING, China -- {paras[0]}", *paras[1:-1],
        "Follow us on our channels for more news from Asia and beyond.",
        "Related: Markets close higher on Friday; Weather warnings for the weekend",
    ])
    return Text(article_id, f"Roundup: {text.title} | Asia Daily News", body,
                text.published_at + later)


def as_article(text: Text, source: str = "Xinhua") -> Article:
    return Article(
        article_id=text.article_id, canonical_url=f"http://s.test/{text.article_id}",
        url=f"http://s.test/{text.article_id}", source_name=source, title=text.title,
        published_at=text.published_at, dateline_place=None, editor=None, photo_credits=(),
        body=text.body, word_count=word_count(text.body), language="en",
        content_hash=content_hash(text.body))


def with_body(article: Article, body: str) -> Article:
    return replace(article, body=body, word_count=word_count(body),
                   content_hash=content_hash(body))
