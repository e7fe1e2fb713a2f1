"""Stories: one story across updates, feeds and agencies (near-duplicate clustering).

signature.py turns an article into what matching keeps of it; matching.py places a new article
in a story. Both are pure: the warehouse (warehouse/stories.py) keeps the state.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from transforms.stories.matching import (
    Arrival,
    Placement,
    StoryIndex,
    StoryMember,
    assign_stories,
)
from transforms.stories.signature import (
    DEFAULT_SCHEME,
    SCHEME,
    SignatureScheme,
    story_signature,
    title_key,
)

__all__ = ["DEFAULT_SCHEME", "SCHEME", "Arrival", "Placement", "SignatureScheme", "StoryIndex",
           "StoryMember", "assign_stories", "cluster_articles", "story_signature", "title_key"]


class ArticleText(Protocol):
    @property
    def article_id(self) -> str: ...
    @property
    def title(self) -> str | None: ...
    @property
    def body(self) -> str: ...
    @property
    def published_at(self) -> datetime: ...


def cluster_articles(articles: Sequence[ArticleText],
                     scheme: SignatureScheme = DEFAULT_SCHEME) -> dict[str, str]:
    """Story ids of `articles` placed in the order given, as a load would place them."""
    arrivals = [Arrival(a.article_id, a.published_at, story_signature(a.body, a.title, scheme))
                for a in articles]
    return {a.article_id: p.story_id
            for a, p in zip(arrivals, assign_stories(arrivals, scheme=scheme), strict=True)}
