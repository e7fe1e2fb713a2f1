"""Places the model tags PERSON or ORG ('Aktobe' ORG, 'Tarragona' PERSON), told apart from the
people and organisations that carry a place's name ('Mr Preston', 'club Santos', 'Shenhua beat
Tottenham 2-1').

A PERSON or ORG span becomes a GPE when its whole text (less a trailing 'Region', 'City'...) is a
gazetteer place and nothing around it marks it as a person or an organisation:

- a title or an honorific right before it ('Mr', 'President', 'coach'), or right after it a
  speech verb, an age, 'who' or an apposition that is no place ('Castro, a farmer'): a person;
- a firm or club word right before or after it ('club', 'carmaker', 'FC', 'Co.'), or a sentence
  about a match (a score, 'beat', 'striker') or, unless a preposition puts the name on the map
  ('a plant in Aktobe'), about a business ('shares', 'company'): an organisation.

Only spans the gazetteer knows are looked at, so the context is read for few spans per article.
"""

from __future__ import annotations

import itertools
import re

from spacy.tokens import Doc

from transforms.entities import gazetteer
from transforms.entities.labels import Ent
from transforms.entities.lexicon import (
    BUSINESS_WORDS,
    GPE_HEADS,
    HONORIFICS,
    ORG_HEADS,
    ORG_MARKERS_AFTER,
    ORG_MARKERS_BEFORE,
    PLACE_NOUNS,
    PLACE_PREPOSITIONS,
    PLAYER_ROLES,
    SPEECH_VERBS,
    SPORTS_PAIRS,
    SPORTS_WORDS,
    TITLE_HEADS,
)
from transforms.entities.persons import description

_SCORE = re.compile(r"(?<![\d-])\d{1,2} ?[-–] ?\d{1,2}(?![\d-])")  # '2-1', not '2023-24'

_SENTENCE_END = frozenset({".", "!", "?"})
# 'Kericho, a town in ...', 'Nampula, a northern port city': an apposition that keeps a place.
_PLACE_APPOSITIONS = PLACE_NOUNS | {"suburb", "hub", "city", "major", "small", "large", "coastal",
                                    "northern", "southern", "eastern", "western", "central",
                                    "border", "mining", "port", "seaside", "mountain", "river"}
_WINDOW = 40  # tokens either side: a sentence, or the part of it that matters


def _sentence(doc: Doc, start: int, end: int) -> range:
    """Token range of the sentence around [start, end), by punctuation and line breaks (the
    sentencizer runs after the fixups)."""
    lo = start
    while lo > max(0, start - _WINDOW) and doc[lo - 1].text not in _SENTENCE_END and \
            "\n" not in doc[lo - 1].whitespace_:
        lo -= 1
    hi = end
    while hi < min(len(doc), end + _WINDOW) and doc[hi - 1].text not in _SENTENCE_END and \
            "\n" not in doc[hi - 1].whitespace_:
        hi += 1
    return range(lo, hi)


def after_preposition(doc: Doc, start: int) -> bool:
    """'in Aktobe', 'flights to Cebu': a preposition puts the name on the map."""
    return bool(start) and doc[start - 1].lower_ in PLACE_PREPOSITIONS


def _person_cue(doc: Doc, start: int, end: int) -> bool:
    prev = doc[start - 1].text if start else ""
    if prev in HONORIFICS or prev in TITLE_HEADS or prev in PLAYER_ROLES:
        return True  # 'Mr Preston', 'Governor Medina', 'striker Garcia'
    nxt = doc[end].text if end < len(doc) else ""
    if nxt in SPEECH_VERBS:
        return not after_preposition(doc, start)  # 'Garcia said', not 'officials in X said'
    if nxt == "," and end + 2 < len(doc):
        after, noun = doc[end + 1], doc[end + 2]
        if after.like_num or after.lower_ in ("who", "aged"):
            return True  # 'Torres, 34,', 'Mendoza, who chairs'
        # 'Castro, a farmer', not 'Kericho, a town in western Kenya' or 'the edge of
        # Huancayo, a dozen women sit ...': a noun that describes people
        return after.lower_ in ("a", "an") and noun.is_lower and \
            noun.lower_ not in _PLACE_APPOSITIONS and description(doc, end) is not None
    return False


def org_cue(doc: Doc, start: int, end: int) -> str | None:
    """'marker' (a firm or club word next to the name), 'sports' (a sentence about a match),
    'business' (a sentence about a firm), or None."""
    nxt = doc[end].text if end < len(doc) else ""
    if nxt in ORG_MARKERS_AFTER or nxt in ORG_HEADS:
        return "marker"  # 'Aktobe FC', 'Tarragona University'
    before = [t.text for t in doc[max(0, start - 3):start]]
    preposition = after_preposition(doc, start)
    if not preposition and any(w in ORG_MARKERS_BEFORE for w in before):
        return "marker"  # 'Brazilian club Santos', 'FC Aktobe'
    sentence = _sentence(doc, start, end)
    words = [doc[i].text for i in sentence]
    if _SCORE.search(doc[sentence.start:sentence.stop].text) or \
            any(w in SPORTS_WORDS for w in words) or \
            any(pair in SPORTS_PAIRS for pair in itertools.pairwise(words)):
        return "sports"  # 'Shenhua beat Tottenham 2-1', 'drew with Burnley'
    if not preposition and any(w in BUSINESS_WORDS for w in words):
        return "business"
    return None


def place_core(doc: Doc, start: int, end: int) -> str:
    """The span's text less trailing region words: 'Aktobe Region' -> 'Aktobe'."""
    if end - start == 1:
        return doc[start].text  # most spans: a token's text is cheaper than a span's
    while end - start > 1 and doc[end - 1].text in GPE_HEADS:
        end -= 1
    return doc[start:end].text


def relabel_places(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """PERSON/ORG spans that are gazetteer places: GPE with no person or organisation cue; a
    PERSON next to a club or firm word or in a match report is the club or firm ('beat
    Almeria 3-2' tagged PERSON)."""
    out: list[Ent] = []
    for start, end, label in ents:
        if label in ("PERSON", "ORG") and gazetteer.place_code(place_core(doc, start, end)) \
                and not _person_cue(doc, start, end):
            cue = org_cue(doc, start, end)
            if cue is None:
                label = "GPE"
            elif cue in ("marker", "sports"):
                label = "ORG"
        out.append((start, end, label))
    return out
