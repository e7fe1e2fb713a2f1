"""Stable entity ids and the name normalisation they rest on.

An entity_id must not depend on the article, the run or the order of processing: it is a hash
of the entity type and a normalised key (the canonical name, or the country code for countries).
The normalisation mirrors how names are compared downstream (accent-, case- and
punctuation-insensitive, a leading 'the' dropped), so 'António Guterres' and 'Antonio Guterres'
share one row.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_NON_WORD = re.compile(r"[^\w\s]")


# Names repeat within and across articles: a bounded cache keeps a worker's hot set.
@functools.lru_cache(maxsize=1 << 16)
def norm_name(text: str) -> str:
    """'The Women’s Tennis Association' -> 'womens tennis association'."""
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = _NON_WORD.sub(" ", _APOSTROPHES.sub("", s))
    s = " ".join(s.split())
    return s[4:] if s.startswith("the ") else s


def entity_key(label: str, name: str, *, country: str | None = None) -> str:
    """What identifies an entity: a country or nationality by its code (so 'Kazakhstan' and
    'Republic of Kazakhstan' are one row), anything else by its normalised canonical name.
    `country` is given only for country-level entities, never for a city in that country."""
    if country:
        return f"{label}|cc:{country.upper()}"
    return f"{label}|{norm_name(name)}"


def entity_id(label: str, name: str, *, country: str | None = None) -> str:
    """32 hex chars of sha256 over the entity key (the width of article_id)."""
    key = entity_key(label, name, country=country)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
