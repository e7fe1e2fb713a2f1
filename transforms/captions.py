"""Recognise photo captions by the agency credit they end with, and read the photographers.

A caption is its own paragraph ending in a credit such as
    (Xinhua/Zhai Jianlan)            photographer after the agency
    (Xinhua/Li Gang, Bei He)         several photographers
    (Photo by Peng Yuan/Xinhua)      photographer before the agency
    (Photo: Xinhua)                  agency photo, nobody named
    (CNSA/Handout via Xinhua)        handout, nobody named
"""

from __future__ import annotations

import re
from collections.abc import Sequence

DEFAULT_AGENCIES: tuple[str, ...] = ("Xinhua",)

# The last parenthesised group of the paragraph (ASCII or full-width parentheses), allowing a
# trailing full stop after it.
_TRAILING_GROUP = re.compile(r"[(\uff08]([^()\uff08\uff09]{1,200})[)\uff09][\s.]*$")
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*")
# Words that show a credit names an organisation or a source, not a photographer.
_NOT_A_PERSON = re.compile(r"\b(?:handout|via|file|photo|photos|courtesy|pool)\b", re.IGNORECASE)
# Wording that only captions use before a bare '(Xinhua)' credit.
_CAPTION_WORDING = re.compile(
    r"(?:\b(?:photo|photos|picture|file photo|aerial photo)\b"
    r"|\b(?:Jan|Feb|March|April|May|June|July|Aug|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},\s+\d{4}\.\s*$)",
    re.IGNORECASE,
)


def _agency_alt(agencies: Sequence[str]) -> str:
    return "(?:" + "|".join(re.escape(a) for a in agencies) + ")"


def _names(raw: str, agencies: Sequence[str]) -> tuple[str, ...]:
    agency_words = {a.casefold() for a in agencies}
    out = []
    for part in _NAME_SPLIT.split(raw.strip()):
        name = part.strip(" .")
        if not name or name.casefold() in agency_words or _NOT_A_PERSON.search(name):
            continue
        if " " not in name and name.replace(".", "").isupper() and len(name) <= 8:
            continue  # an acronym ('AFP', 'CNSA') is an organisation
        out.append(name)
    return tuple(out)


def caption_credits(
    paragraph: str, agencies: Sequence[str] = DEFAULT_AGENCIES
) -> tuple[str, ...] | None:
    """Photographers named by a caption paragraph; None when the paragraph is not a caption.

    An empty tuple means a caption whose credit names nobody ('(Photo: Xinhua)').
    """
    m = _TRAILING_GROUP.search(paragraph)
    if m is None:
        return None
    credit = " ".join(m.group(1).split())
    agency = _agency_alt(agencies)
    flags = re.IGNORECASE
    # (Xinhua/NAME) and variants such as (Xinhua photo/NAME)
    after = re.fullmatch(agency + r"(?:\s+(?:photo|photos|file))?\s*/\s*(.+)", credit, flags)
    if after:
        return _names(after.group(1), agencies)
    # (Photo by NAME/Xinhua), (Photo: NAME/Xinhua), (NAME/Xinhua), (X/Handout via Xinhua)
    before = re.fullmatch(r"(?:photos?\s*(?:by|:)\s*)?(.+?)\s*/\s*" + agency, credit, flags)
    if before:
        return _names(before.group(1), agencies)
    # (Photo: Xinhua), (Photo by Xinhua), (Xinhua photo), (X via Xinhua)
    nobody = re.fullmatch(
        r"(?:photos?\s*(?:[:/]|by)\s*" + agency
        + r"|" + agency + r"\s+photos?"
        + r"|.+\s+via\s+" + agency + ")",
        credit,
        flags,
    )
    if nobody:
        return ()
    # A bare '(Xinhua)' also ends body sentences; it marks a caption only after a caption's
    # own wording: a photo reference, or the 'Oct. 16, 2024.' date captions end with.
    bare = re.fullmatch(agency, credit, flags)
    if bare and _CAPTION_WORDING.search(paragraph[: m.start()]):
        return ()
    return None
