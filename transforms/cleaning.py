"""Turn the raw paragraphs a site profile found into the clean article body.

The work is a pipeline of small steps over an immutable `Draft`; each step does one thing and
is tested on its own. What a step repaired is recorded in `fixes` (see FIX_ORDER).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from transforms import boilerplate
from transforms.bylines import read_byline
from transforms.captions import DEFAULT_AGENCIES, caption_credits
from transforms.dateline import split_dateline
from transforms.mojibake import repair_mojibake
from transforms.records import CleanText

MOJIBAKE, END_MARK, CAPTION, ENCODING = "mojibake", "end_mark", "caption", "encoding"
BYLINE = "byline"
# Fixes are reported in this order whatever order the steps found them in.
FIX_ORDER: tuple[str, ...] = (ENCODING, MOJIBAKE, END_MARK, CAPTION, BYLINE)

_BLANK_LINE = re.compile(r"\n\s*\n")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))  # zero-width and soft hyphen
# A short first paragraph without final punctuation (a kicker, or a byline of a shape
# take_byline does not take) may precede the dateline paragraph.
_KICKER_MAX_WORDS = 12


@dataclass(frozen=True, slots=True)
class Draft:
    """The article text part-way through cleaning."""

    paragraphs: tuple[str, ...]
    agencies: tuple[str, ...] = DEFAULT_AGENCIES
    dateline_place: str | None = None
    photo_credits: tuple[str, ...] = ()
    editor: str | None = None
    fixes: frozenset[str] = frozenset()
    authors: tuple[str, ...] = ()

    def noting(self, fix: str, happened: bool = True) -> Draft:
        return replace(self, fixes=self.fixes | {fix}) if happened else self


Step = Callable[[Draft], Draft]


def order_fixes(fixes: Sequence[str] | frozenset[str]) -> tuple[str, ...]:
    """Deduplicate fixes into FIX_ORDER, unknown ones after it alphabetically."""
    known = [f for f in FIX_ORDER if f in fixes]
    return tuple(known + sorted(set(fixes) - set(FIX_ORDER)))


def normalise_whitespace(text: str) -> str:
    """One paragraph on one line: every whitespace run (NBSP included) becomes one space."""
    return " ".join(text.translate(_INVISIBLE).split())


# ---------------------------------------------------------------- the steps


def split_blank_lines(d: Draft) -> Draft:
    """A paragraph that holds a blank line is two paragraphs (the body joins on blank lines)."""
    out = [part for p in d.paragraphs for part in _BLANK_LINE.split(p)]
    return replace(d, paragraphs=tuple(out))


def repair_text(d: Draft) -> Draft:
    """Mojibake repair, before whitespace folding: a trailing NBSP is part of 'â–\\xa0' = '■'."""
    repaired = [repair_mojibake(p) for p in d.paragraphs]
    return replace(d, paragraphs=tuple(p for p, _ in repaired)).noting(
        MOJIBAKE, any(changed for _, changed in repaired)
    )


def fold_whitespace(d: Draft) -> Draft:
    """Each paragraph on one line with single spaces; paragraphs left empty are dropped."""
    paragraphs = (normalise_whitespace(p) for p in d.paragraphs)
    return replace(d, paragraphs=tuple(p for p in paragraphs if p))


def _is_agency_source(p: str, agencies: Sequence[str]) -> bool:
    source = boilerplate.source_line(p, require_label=False)
    return source is not None and source.casefold() in {a.casefold() for a in agencies}


def drop_header_lines(d: Draft) -> Draft:
    """Drop 'Source: ...' and bare time lines that scrapers copy from the page header.

    Any labelled source line counts in the leading block (before the first body paragraph);
    further down only the agency's own 'Source: Xinhua' does, as 'Source: ...' can be body.
    """
    out: list[str] = []
    leading = True
    for p in d.paragraphs:
        if boilerplate.is_timestamp_line(p) or _is_agency_source(p, d.agencies):
            continue
        if leading and boilerplate.source_line(p) is not None:
            continue
        if leading and not _is_header_like(p, d.agencies):
            leading = False
        out.append(p)
    return replace(d, paragraphs=tuple(out))


def _is_header_like(p: str, agencies: Sequence[str]) -> bool:
    return boilerplate.editor_line(p) is not None or caption_credits(p, agencies) is not None


def take_editor_lines(d: Draft) -> Draft:
    """Editor lines leave the body; the first name found is the editor."""
    editors: list[str] = []
    out: list[str] = []
    for p in d.paragraphs:
        name = boilerplate.editor_line(p)
        if name is None:
            kept, name = boilerplate.strip_editor_suffix(p)
            out.append(kept)
        if name:
            editors.append(name)
    editor = d.editor or (editors[0] if editors else None)
    return replace(d, paragraphs=tuple(out), editor=editor)


def drop_crew_credits(d: Draft) -> Draft:
    """'(Video reporters: ...; video editors: ...)' lines are not body."""
    kept = tuple(p for p in d.paragraphs if not boilerplate.is_crew_credit(p))
    return replace(d, paragraphs=kept)


def take_captions(d: Draft) -> Draft:
    """Photo captions leave the body; the photographers they credit are kept."""
    out: list[str] = []
    credits = list(d.photo_credits)
    for p in d.paragraphs:
        names = caption_credits(p, d.agencies)
        if names is None:
            out.append(p)
        else:
            credits.extend(n for n in names if n not in credits)
    found = len(out) < len(d.paragraphs)
    return replace(d, paragraphs=tuple(out), photo_credits=tuple(credits)).noting(CAPTION, found)


def strip_end_marks(d: Draft) -> Draft:
    """Remove '■' / 'Enditem' / '(End)' from the end, and paragraphs that held only a mark."""
    paragraphs = list(d.paragraphs)
    found = False
    while paragraphs:
        last, stripped = boilerplate.strip_end_mark(paragraphs[-1])
        if not stripped:
            break
        found = True
        if last:
            paragraphs[-1] = last
            break
        paragraphs.pop()
    return replace(d, paragraphs=tuple(paragraphs)).noting(END_MARK, found)


def take_byline(d: Draft) -> Draft:
    """A byline opening the body leaves it, and its names become the authors. Runs before and
    after take_dateline: the byline may come on either side of the dateline paragraph."""
    if d.authors or not d.paragraphs:
        return d
    following = d.paragraphs[1] if len(d.paragraphs) > 1 else None
    byline = read_byline(d.paragraphs[0], agencies=d.agencies, next_paragraph=following)
    if byline is None:
        return d
    rest = (byline.rest,) if byline.rest else ()
    return replace(d, paragraphs=(*rest, *d.paragraphs[1:]), authors=byline.names).noting(BYLINE)


def take_dateline(d: Draft) -> Draft:
    """Remove the dateline prefix from the first body paragraph and keep its place."""
    if d.dateline_place is not None:
        return d
    candidates = 2 if len(d.paragraphs) > 1 and _is_kicker(d.paragraphs[0]) else 1
    for i in range(min(candidates, len(d.paragraphs))):
        place, rest = split_dateline(d.paragraphs[i])
        if place is not None:
            paragraphs = list(d.paragraphs)
            if rest:
                paragraphs[i] = rest
            else:
                del paragraphs[i]
            return replace(d, paragraphs=tuple(paragraphs), dateline_place=place)
    return d


def _is_kicker(p: str) -> bool:
    return len(p.split()) <= _KICKER_MAX_WORDS and not p.rstrip().endswith((".", "\"", "\u201d"))


PIPELINE: tuple[Step, ...] = (
    split_blank_lines,
    repair_text,
    fold_whitespace,
    drop_header_lines,
    take_editor_lines,
    drop_crew_credits,
    take_captions,
    strip_end_marks,
    take_byline,
    take_dateline,
    take_byline,
    fold_whitespace,
)


def clean_paragraphs(
    paragraphs: Sequence[str], *, agencies: Sequence[str] = DEFAULT_AGENCIES
) -> CleanText:
    """Clean raw article paragraphs into the body and what was taken out of it.

    `agencies` name the wire services whose credits mark captions ('(Xinhua/NAME)').
    """
    d = Draft(paragraphs=tuple(paragraphs), agencies=tuple(agencies))
    for step in PIPELINE:
        d = step(d)
    return CleanText(
        body="\n\n".join(d.paragraphs),
        dateline_place=d.dateline_place,
        photo_credits=d.photo_credits,
        editor=d.editor,
        fixes=order_fixes(d.fixes),
        authors=d.authors,
    )


def clean_line(text: str | None) -> str | None:
    """A short field (name, source) on one line with mojibake repaired; None if empty."""
    if text is None:
        return None
    return normalise_whitespace(repair_mojibake(text)[0]) or None


def clean_title(title: str | None, site_suffix: re.Pattern[str] | None = None) -> str | None:
    """A headline on one line, mojibake repaired, the site's suffix removed; None if empty."""
    text = clean_line(title)
    if text is None:
        return None
    if site_suffix is not None:
        while True:
            shorter = site_suffix.sub("", text).strip()
            if shorter == text or not shorter:
                break
            text = shorter
    return text
