"""A search hit's snippet: the stretch of the body where the query's words cluster.

Pure: the caller says which words count as matches (`terms`, folded with `fold`), so stemming
stays with the index that decided the match (warehouse/search_index.py asks it which of the
body's words share a stem with the query's).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

ELLIPSIS = "\u2026"
DEFAULT_MAX_CHARS = 240
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s")


def fold(word: str) -> str:
    """Lower case without accents: how the index compares words ('São' matches 'sao')."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    term: str


def snippet(text: str, terms: Collection[str], max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """At most `max_chars` characters of `text` around the densest cluster of `terms` (most
    distinct terms, then most occurrences, then earliest), cut at word boundaries, whitespace
    collapsed, with '…' where text was left out. Without any term in the text, its beginning."""
    if max_chars < 10:
        raise ValueError(f"max_chars must be at least 10, not {max_chars}")
    tokens = [_Token(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]
    if not tokens:
        return ""
    budget = max_chars - 2  # room for an ellipsis on each side
    wanted = {fold(t) for t in terms}
    hits = [i for i, token in enumerate(tokens) if token.term in wanted]
    first, last = _best_cluster(tokens, hits, budget) if hits else (0, 0)
    first, last = _widen(tokens, first, last, budget)
    start, end = _attached(text, tokens[first].start, tokens[last].end, budget)
    piece = " ".join(text[start:end].split())
    return ((ELLIPSIS if text[:start].strip() else "") + piece
            + (ELLIPSIS if text[end:].strip() else ""))


def _best_cluster(tokens: list[_Token], hits: list[int], budget: int) -> tuple[int, int]:
    """The (first, last) token indexes of the best window of matches that fits the budget."""
    best: tuple[int, int, int] | None = None  # (distinct, occurrences, -start)
    span = (hits[0], hits[0])
    right = 0
    for left in range(len(hits)):
        right = max(right, left)
        while (right + 1 < len(hits)
               and tokens[hits[right + 1]].end - tokens[hits[left]].start <= budget):
            right += 1
        window = hits[left:right + 1]
        key = (len({tokens[i].term for i in window}), len(window), -tokens[hits[left]].start)
        if best is None or key > best:
            best, span = key, (hits[left], hits[right])
    return span


def _attached(text: str, start: int, end: int, budget: int) -> tuple[int, int]:
    """The span grown over the punctuation attached to its first and last words (an opening
    quote, a full stop) where that fits; cut to the budget if one word is longer than it."""
    if end - start > budget:
        return start, start + budget
    space = _SPACE.search(text, end)
    end_attached = space.start() if space else len(text)
    if end_attached - start <= budget:
        end = end_attached
    before = start
    while before > 0 and not text[before - 1].isspace():
        before -= 1
    if end - before <= budget:
        start = before
    return start, end


def _widen(tokens: list[_Token], first: int, last: int, budget: int) -> tuple[int, int]:
    """Add whole words on both sides, alternately, while the span fits the budget."""
    grew = True
    while grew:
        grew = False
        if last + 1 < len(tokens) and tokens[last + 1].end - tokens[first].start <= budget:
            last, grew = last + 1, True
        if first > 0 and tokens[last].end - tokens[first - 1].start <= budget:
            first, grew = first - 1, True
    return first, last
