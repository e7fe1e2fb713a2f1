"""The EntityRuler's patterns and the rule that decides between it and the statistical NER.

The ruler runs AFTER `ner`. Before it, a preset 'Australia' would stop the model from finding
'Reserve Bank of Australia', so country words inside organisation names would turn into
country mentions. After it, with `longest_wins`, the ruler can still correct the model where both
cover the same tokens ('Kazakh' ORG -> NORP, 'BRICS' GPE -> ORG, 'Lao' PRODUCT -> NORP) while
the model's longer organisation spans survive.
"""

from __future__ import annotations

from collections.abc import Iterable

import spacy
from spacy.tokens import Span

from transforms.entities import countries, demonyms, orgs

# Pattern ids: ADD may create an entity where the model found none; RELABEL may only change the
# label of a span the model found with exactly these boundaries. City names are RELABEL-only:
# 'Nice', 'Santiago' or 'Salvador' alone are too often something else.
ADD, RELABEL = "add", "relabel"
# Country words that are also given names or common words: relabel only.
_AMBIGUOUS = frozenset({"Chad", "Jordan", "Georgia", "Guinea", "Turkey", "Niger", "Polish",
                        "Pole", "Finn", "Dane", "Kiwi", "Brit", "Aussie", "Turk", "Swede"})


def ruler_patterns() -> list[dict[str, str]]:
    """Phrase patterns (matched case-sensitively on the token text)."""
    out: dict[str, tuple[str, str]] = {}
    for name in countries.place_names():
        out[name] = ("GPE", RELABEL)
    for name in countries.country_names():
        out[name] = ("GPE", RELABEL if name in _AMBIGUOUS else ADD)
    for word in demonyms.all_demonyms():
        out[word] = ("NORP", RELABEL if word in _AMBIGUOUS else ADD)
    for form in orgs.org_forms():
        out[form] = ("ORG", ADD)
    return [{"label": lab, "pattern": text, "id": mode} for text, (lab, mode) in out.items()]


@spacy.registry.misc("newswire.longest_wins.v1")
def make_longest_wins():
    return longest_wins


def longest_wins(entities: Iterable[Span], spans: Iterable[Span]) -> list[Span]:
    """Merge the model's entities with the ruler's matches.

    A ruler match replaces the entities it covers when it is at least as long as each of them
    (so same-span corrections win); a longer model entity that contains or crosses it is kept.
    RELABEL matches only replace an entity with exactly their boundaries.
    """
    ents = list(entities)
    for span in sorted(spans, key=lambda s: (s.end - s.start, -s.start), reverse=True):
        hits = [e for e in ents if e.start < span.end and e.end > span.start]
        if span.id_ == RELABEL:
            if len(hits) == 1 and (hits[0].start, hits[0].end) == (span.start, span.end):
                ents.remove(hits[0])
                ents.append(span)
            continue
        if all(e.start >= span.start and e.end <= span.end for e in hits):
            for e in hits:
                ents.remove(e)
            ents.append(span)
    return sorted(ents, key=lambda e: e.start)


def add_ruler(nlp: spacy.Language, *, after: str = "ner") -> None:
    """Add the ruler (a span_ruler writing doc.ents) right after `after`."""
    ruler = nlp.add_pipe(
        "span_ruler", name="agency_ruler", after=after,
        config={"annotate_ents": True, "spans_key": None, "overwrite": False,
                "ents_filter": {"@misc": "newswire.longest_wins.v1"},
                "phrase_matcher_attr": "ORTH", "validate": False},
    )
    ruler.add_patterns(ruler_patterns())
