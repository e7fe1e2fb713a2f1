"""What the tables say a span is, and the types the span rules share."""

from __future__ import annotations

import functools
import re

from spacy.tokens import Doc

from transforms.entities import countries, demonyms, orgs

Ent = tuple[int, int, str]  # token start, token end, label
NUMERIC = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
ACRONYM = re.compile(r"^[A-Z][A-Z0-9&\-]{1,9}$")


# Pure over static tables, and asked about the same spans again and again.
@functools.lru_cache(maxsize=1 << 14)
def table_label(text: str) -> str | None:
    """The label the tables give a whole span's text, if any."""
    if countries.country_code(text) or countries.place_country(text):
        return "GPE"  # before demonyms, whose plural rule would read 'Laos' as 'Lao' + s
    if demonyms.demonym_code(text):
        return "NORP"
    if orgs.known_org(text):
        return "ORG"
    return None


def token_at(doc: Doc, start: int, end: int) -> int | None:
    """Index of the token that is exactly text[start:end], if any."""
    span = doc.char_span(start, end)
    return span.start if span is not None and len(span) == 1 else None
