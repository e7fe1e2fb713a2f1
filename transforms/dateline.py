"""Split a wire-service dateline ('ASTANA, July 3 (Xinhua) -- ') off the first body paragraph.

Shapes handled, with any agency token in parentheses:
    PLACE, Mon. D (Agency) --          the usual form; AP month style ('Sept.', 'March')
    PLACE, Region, Mon. D (Agency) --  the place is the part before the region, as printed
    PLACE (Agency) --                  no date
    PLACE, Mon. D(Agency) --           no space before the parenthesis
The dash may be '--', '-', an en dash or an em dash. A dated dateline may omit it; an undated
one may not, so that 'UNITED NATIONS (UN) officials said ...' is never read as a dateline.
"""

from __future__ import annotations

import re

_MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|March|Mar\.?|April|Apr\.?|May|June|Jun\.?|July|Jul\.?"
    r"|Aug(?:ust|\.)?|Sept(?:ember|\.)?|Sep\.?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_DATE = _MONTH + r"\s*\d{1,2}(?:\s*,\s*\d{4})?"

# One word of a place name: starts with a capital (checked after matching, since `re` has no
# Unicode case classes), then letters, dots, apostrophes, hyphens or '/' ('BEIJING/MOSCOW').
_WORD = r"[^\W\d_][\w.'\u2019/-]*"
# Lower-case particles that may sit inside a title-case place name ('Rio de Janeiro').
_PARTICLES = r"(?:de|del|da|do|dos|das|di|du|des|la|le|el|al|es|en|am|an|of|on|sur|upon)"
_PLACE = _WORD + r"(?:\s+(?:" + _PARTICLES + r"\s+)?" + _WORD + r"){0,5}"
_REGION = _WORD + r"(?:\s+" + _WORD + r"){0,3}"

# Default agency token: a capitalised name, optionally several joined by '/' ('Xinhua/Reuters').
AGENCY_PATTERN = r"[A-Z][A-Za-z&.\-]*(?:\s?[A-Z][A-Za-z&.\-]*){0,2}(?:\s*/\s*[A-Z][A-Za-z&.\-]*)*"
_DASH = r"(?:-{1,3}|[\u2013\u2014\u2015])"

_MAX_PLACE_CHARS = 48


def _compile(agency: str) -> re.Pattern[str]:
    return re.compile(
        r"^\s*(?P<place>" + _PLACE + r")"
        r"(?:\s*,\s*(?P<region>" + _REGION + r"))??"
        r"(?:\s*,?\s*(?P<date>" + _DATE + r"))?"
        r"\s*[(\uff08]\s*(?P<agency>" + agency + r")\s*[)\uff09]"
        r"\s*(?P<dash>" + _DASH + r")?\s*"
    )


_DEFAULT = _compile(AGENCY_PATTERN)


def _plausible_place(place: str) -> bool:
    if len(place) > _MAX_PLACE_CHARS:
        return False
    words = place.split()
    if not words[0][0].isupper():
        return False
    return all(w[0].isupper() or re.fullmatch(_PARTICLES, w) for w in words)


def split_dateline(
    paragraph: str, agency_pattern: str | None = None
) -> tuple[str | None, str]:
    """Return (place, rest of the paragraph); (None, paragraph) when there is no dateline.

    `agency_pattern` is a regular expression for the token inside the parentheses; the default
    accepts any capitalised agency name ('Xinhua', 'AP', 'Reuters', 'Xinhua/Reuters').
    """
    pattern = _DEFAULT if agency_pattern is None else _compile(agency_pattern)
    m = pattern.match(paragraph)
    if m is None or not _plausible_place(m.group("place")):
        return None, paragraph
    place = m.group("place")
    if m.group("date") is None and (m.group("dash") is None or not place.isupper()):
        # '(UN) officials ...': without a date only an upper-case place and a dash are evidence.
        return None, paragraph
    return place, paragraph[m.end():].lstrip()
