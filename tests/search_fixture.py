"""A small warehouse of news articles whose search results are known, loaded through the real
loaders: which article should rank first for which words, and which filters keep which."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from transforms.records import Article, Enrichment, Entity, EntityMention, FeedItem
from warehouse.connection import open_writer
from warehouse.loaders import load_batch

SEEN_AT = datetime(2025, 6, 10, tzinfo=UTC)
FILLER = ("The statement gave no further details about the timetable. Officials were expected "
          "to brief reporters again later in the week. ")


@dataclass(frozen=True, slots=True)
class Story:
    article_id: str
    title: str
    body: str
    published_at: datetime | None
    feeds: tuple[str, ...]
    entities: tuple[tuple[str, str], ...] = ()  # (name, type)


STORIES = (
    # 'flooding' in the title, once in the body.
    Story("flood-title", "Flooding forces thousands from their homes in Guangdong",
          "GUANGZHOU, June 2 -- Rescue teams evacuated more than 12,000 residents on Monday "
          "after the Bei River burst its banks. Officials said the flooding was the worst the "
          "province had seen in two decades, and schools in three counties were closed.",
          datetime(2025, 6, 2, 8, 0, tzinfo=UTC), ("world", "asia"),
          (("Guangdong", "GPE"), ("Bei River", "LOC"))),
    # 'flooding' three times, only in the body.
    Story("flood-body", "Rice prices climb as harvest outlook dims",
          "Traders said flooding in the south had damaged paddies just weeks before the "
          "harvest. Earlier flooding in May had already delayed planting, and forecasters "
          "warned that more flooding could follow if the rains continue. Wholesale rice "
          "prices rose 4 percent on the week.",
          datetime(2025, 6, 5, 23, 59, tzinfo=UTC), ("business",),
          (("Food and Agriculture Organization", "ORG"),)),
    # Stemmed forms only: 'negotiators', 'negotiating', 'talks'.
    Story("trade-talks", "Trade negotiators meet in Geneva",
          "Delegations spent the day negotiating a new tariff schedule for farm goods, and the "
          "talks continued late into the night, a spokesperson for the World Trade "
          "Organization said.",
          datetime(2025, 5, 20, 17, 30, tzinfo=UTC), ("world",),
          (("Geneva", "GPE"), ("World Trade Organization", "ORG"))),
    Story("vaccine-new", "Health agency approves new malaria vaccine",
          "The World Health Organization said on Friday that the vaccine had cut severe cases "
          "by half in trials in four countries. " + FILLER * 12 + "Distribution of the malaria "
          "vaccine will begin in rural clinics next month, where the need is greatest.",
          datetime(2025, 4, 11, 9, 15, tzinfo=UTC), ("world",),
          (("World Health Organization", "ORG"),)),
    Story("vaccine-old", "Vaccine campaign reaches remote villages",
          "Health workers carried the vaccine by boat to villages along the river, the World "
          "Health Organization said.",
          datetime(2024, 11, 30, 6, 0, tzinfo=UTC), ("asia",),
          (("World Health Organization", "ORG"),)),
    Story("cup-final", "Local club wins cup final",
          "A late goal settled the match in front of a sold-out stadium on Saturday.",
          datetime(2025, 6, 1, 20, 0, tzinfo=UTC), ("sport",)),
    Story("museum-undated", "Museum reopens after renovation",
          "The archive, damaged by flooding two years ago, has been restored and moved to a "
          "new wing.",
          None, ("culture",)),
)


def _entity_id(name: str) -> str:
    return "e-" + name.lower().replace(" ", "-")


def article(story: Story) -> Article:
    url = f"https://news.example/{story.article_id}.html"
    return Article(
        article_id=story.article_id, canonical_url=url, url=url, source_name="Example News",
        title=story.title, published_at=story.published_at, dateline_place=None, editor=None,
        photo_credits=(), body=story.body, word_count=len(story.body.split()), language="en",
        content_hash=f"h-{story.article_id}", text_fixes=(), entities_model="en_core_web_sm-3.8.0")


def enrichment(story: Story) -> Enrichment:
    entities = tuple(Entity(_entity_id(name), name, kind) for name, kind in story.entities)
    # Where the name is in the body, else past its end: each mention at its own offsets.
    starts = [story.body.find(e.name) if e.name in story.body else len(story.body) + 100 * i
              for i, e in enumerate(entities)]
    mentions = tuple(EntityMention(story.article_id, e.entity_id, e.name, at, at + len(e.name))
                     for e, at in zip(entities, starts, strict=True))
    return Enrichment(story.article_id, entities, mentions, ())


def load_stories(db: Path, stories: tuple[Story, ...] = STORIES, run_id: str = "r1") -> None:
    """Load `stories`, with their feed items and entity mentions, as one batch."""
    items = [FeedItem(feed_name=feed, url=article(s).url, canonical_url=article(s).url,
                      article_id=s.article_id, guid=f"{feed}-{s.article_id}",
                      published_at=s.published_at)
             for s in stories for feed in s.feeds]
    with open_writer(db) as con:
        load_batch(con, run_id=run_id, seen_at=SEEN_AT, articles=[article(s) for s in stories],
                   feed_items=items, enrichments=[enrichment(s) for s in stories])
