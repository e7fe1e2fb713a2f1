"""Recognise a byline opening the article text, and read the names it gives.

Shapes taken as a byline (the names are split on ',', ';', '&' and 'and'):
    By Xinhua writers Liu Fang, Chen Bo and Wang Jun     agency and role word
    by Xinhua reporter Li Ming                           ('by' optional with an agency)
    By staff correspondent Jane Doe                      'by' and a role word
    By Liu Fang, Chen Bo                                 names only: only when the next
                                                         paragraph opens with a dateline
    by Xinhua writer Wang Jun BEIJING, July 3 (Xinhua) -- ...
                                                         a byline run into the dateline
Prose that starts with 'By' ('By 2030, China aims ...', 'By contrast, ...', 'By the end of
...') is never one: without a role word every word must be a capitalised name word, with no
digit, and a dateline must follow.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from transforms.captions import DEFAULT_AGENCIES
from transforms.dateline import split_dateline

_ROLE = (r"(?:(?:senior|chief|staff|special|foreign|political|economic)\s+)?"
         r"(?:writer|reporter|correspondent|journalist)s?")
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*", re.IGNORECASE)
# A word of a name: a capital letter first, then letters, dots, apostrophes or hyphens; no digit.
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[.'\u2019-])*")
# Lower-case particles inside a name ('Pieter van Aalst', 'Maria da Silva').
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "da", "das", "dos", "del", "della",
                        "di", "du", "la", "le", "bin", "binti", "al", "el", "ter", "ten"})
# Capitalised words that open prose or headings ('By The Numbers', 'By Monday'): without a
# role word before it, a name starting with one is not taken. ('June Wang' after 'writer' is.)
_NOT_A_NAME = frozenset({"the", "a", "an", "this", "that", "these", "those", "our", "their",
                         "his", "her", "its", "my", "your", "all", "some", "contrast",
                         "comparison", "then", "now", "far", "way", "law", "land", "sea", "air",
                         "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                         "sunday", "january", "february", "march", "april", "may", "june",
                         "july", "august", "september", "october", "november", "december"})
# ' in Beijing' / ' from Moscow' after a name says where the writer filed from.
_FILED_FROM = re.compile(r"\s+(?:in|from)\s+[A-Z][^,;&]*$")
_MAX_NAME_WORDS = 4
_MAX_NAMES = 6
_MAX_BYLINE_WORDS = 24


@dataclass(frozen=True, slots=True)
class Byline:
    """A byline found at the start of a paragraph: the names, and the text after it ('' when
    the paragraph held only the byline)."""

    names: tuple[str, ...]
    rest: str


@functools.lru_cache(maxsize=16)
def _role_pattern(agencies: tuple[str, ...]) -> re.Pattern[str]:
    agency = "|".join(re.escape(a) for a in agencies)
    return re.compile(
        r"^\s*(?P<by>by\s+)?(?:(?P<agency>" + agency + r")\s+)?"
        + _ROLE + r"\s*:?\s+(?P<names>\S.*)$",
        re.IGNORECASE | re.DOTALL,
    )


def _name(part: str, bare: bool) -> str | None:
    """`part` as a person's name, or None when it is not name-shaped."""
    part = _FILED_FROM.sub("", part.strip(" ,;:"))
    words = part.split()
    if words and words[-1].endswith(".") and len(words[-1]) > 2:
        words[-1] = words[-1][:-1]  # a full stop ending the byline, not an initial's
    if not 1 <= len(words) <= _MAX_NAME_WORDS or (bare and words[0].casefold() in _NOT_A_NAME):
        return None
    for i, word in enumerate(words):
        if not _NAME_WORD.fullmatch(word):
            return None
        if not word[0].isupper() and not (0 < i < len(words) - 1 and word in _PARTICLES):
            return None
    if all(w.isupper() for w in words):  # 'By INGRID HALVORSEN', as some sites print it
        words = [w.title() if len(w) > 2 else w for w in words]
    return " ".join(words)


def split_names(text: str, *, bare: bool = True) -> tuple[str, ...] | None:
    """The names of a list such as 'Liu Fang, Chen Bo and Wang Jun'; None unless every part is
    a name-shaped run of capitalised words (at most six names). `bare`: no role word came
    before the list, so names must not start with a word that opens prose."""
    parts = [p for p in _NAME_SPLIT.split(text.strip()) if p.strip(" .")]
    if not 1 <= len(parts) <= _MAX_NAMES:
        return None
    names = [_name(p, bare) for p in parts]
    if any(n is None for n in names):
        return None
    return tuple(dict.fromkeys(n for n in names if n))


def _has_dateline(paragraph: str | None) -> bool:
    return paragraph is not None and split_dateline(paragraph)[0] is not None


def _inline(names_and_rest: str) -> Byline | None:
    """'Wang Jun BEIJING, July 3 (Xinhua) -- ...': the names up to an upper-case dateline."""
    words = list(re.finditer(r"\S+", names_and_rest))
    for i in range(1, min(len(words), _MAX_NAMES * _MAX_NAME_WORDS)):
        rest = names_and_rest[words[i].start():]
        place, _ = split_dateline(rest)
        if place is None or not place.isupper():
            continue
        head = names_and_rest[: words[i].start()]
        if head.isupper():
            return None  # 'WANG JUN BEIJING': the names cannot be told from the place
        names = split_names(head, bare=False)
        return Byline(names, rest) if names else None
    return None


def read_byline(
    paragraph: str,
    *,
    agencies: Sequence[str] = DEFAULT_AGENCIES,
    next_paragraph: str | None = None,
) -> Byline | None:
    """The byline opening `paragraph` (see the module's shapes), or None.

    `next_paragraph` is the paragraph after it: a byline of bare names counts only when a
    dateline follows.
    """
    role = _role_pattern(tuple(agencies)).match(paragraph)
    if role is not None and (role.group("by") or role.group("agency")):
        text = role.group("names")
        if len(text.split()) <= _MAX_BYLINE_WORDS:
            names = split_names(text, bare=False)
            if names:
                return Byline(names, "")
        return _inline(text)
    by = _BY.match(paragraph)
    if by is None or len(paragraph.split()) > _MAX_BYLINE_WORDS:
        return None
    names = split_names(paragraph[by.end():])
    if names and _has_dateline(next_paragraph):
        return Byline(names, "")
    return None
