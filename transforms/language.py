"""The language of an article: what the page declares, normalised, or what its body reads as.

    normalise_language("en-US")  -> "en"
    detect_language(body)        -> "fr", or None when the text is too short or unclear

Detection uses py3langid (a naive Bayes model over byte n-grams, offline). Its model loads once
per process, on first use (about 0.5 s); an article then takes 0.1-0.5 ms, since only the
head of the body is read.
"""

from __future__ import annotations

import functools
import re

import pycountry
from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Below this many letters (a CJK character counts as one) there is nothing to go on.
MIN_LETTERS = 40
# The model's probabilities grow with the length of the text. Measured on the texts of
# tests/test_language.py: whole articles (500+ characters) 0.98-1.0 in en/fr/es/de/zh, single
# paragraphs 0.89-1.0, a 60-character head 0.88-0.9996; a line of proper names ('Xi Jinping
# meets Kassym-Jomart Tokayev in Beijing...') 0.47, a French dateline of names 0.07.
MIN_CONFIDENCE = 0.85
# The head of a long body decides as well as the whole of it, at a fraction of the time.
HEAD_CHARS = 2000
# A declaration is trusted unless a body of some length reads, beyond doubt, as another
# language: site templates print one lang attribute for every edition (an English article
# marked zh-CN would otherwise lose all its entities). Whole articles score 0.9998-1.0 in
# their own language; a single paragraph or a line of names stays far below this.
OVERRIDE_LETTERS = 300
OVERRIDE_CONFIDENCE = 0.999

_TAG = re.compile(r"\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")
_LETTER = re.compile(r"[^\W\d_]")


@functools.cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@functools.lru_cache(maxsize=256)
def normalise_language(code: str | None) -> str | None:
    """ISO 639-1, lowercase, from a declared language tag: 'en-US' and 'EN' -> 'en', 'fr_FR'
    -> 'fr', 'fra' -> 'fr'. None for a missing tag or one that names no known language."""
    m = _TAG.match(code or "")
    if m is None:
        return None
    tag = m.group(1)  # pycountry lookups ignore case
    if len(tag) == 2:
        found = pycountry.languages.get(alpha_2=tag)
    else:  # ISO 639-2 codes: bibliographic ('fre') and terminological ('fra') both occur
        found = (pycountry.languages.get(alpha_3=tag)
                 or pycountry.languages.get(bibliographic=tag))
    return getattr(found, "alpha_2", None)


def best_guess(text: str) -> tuple[str | None, float]:
    """The model's best language for the head of `text` (ISO 639-1) and its probability;
    (None, 0.0) when the text has fewer than MIN_LETTERS letters."""
    head = text[:HEAD_CHARS]
    if len(_LETTER.findall(head)) < MIN_LETTERS:
        return None, 0.0
    code, confidence = _identifier().classify(head)
    return normalise_language(code), confidence


def _beyond_doubt(text: str) -> str | None:
    """The body's language when it is long enough and the model all but certain, else None."""
    if len(_LETTER.findall(text[:HEAD_CHARS])) < OVERRIDE_LETTERS:
        return None
    code, confidence = best_guess(text)
    return code if confidence >= OVERRIDE_CONFIDENCE else None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text`; None when it is too short or the guess below MIN_CONFIDENCE."""
    code, confidence = best_guess(text)
    return code if confidence >= MIN_CONFIDENCE else None


def article_language(declared: str | None, body: str, default: str | None) -> str | None:
    """What the page declares, else what the body reads as, else the site's default. A
    declaration other than English gives way to a body that reads beyond doubt as another
    language (an English article marked zh-CN); an English one is taken as it is."""
    stated = normalise_language(declared)
    if stated == "en":
        return stated  # the common case needs no model: py3langid costs a worker 76 MB
    if stated is not None:
        return _beyond_doubt(body) or stated
    return detect_language(body) or normalise_language(default)
