"""Recognisers for the non-body lines that wire copy carries around the article text.

Each function looks at one paragraph; cleaning.py decides where in the article they apply.
"""

from __future__ import annotations

import re

# '[Editor: huaxia]', 'Editor: Zhang Dan', '(Editor: X)', 'Editors: A, B'. "Editor's note:" is
# body text and does not match (no colon straight after 'Editor').
_EDITOR_LINE = re.compile(
    r"^[\[(\uff08\u3010]?\s*(?:web\s+|responsible\s+|chief\s+)?editors?\s*[:\uff1a]\s*"
    r"(?P<name>[^\[\]()\uff08\uff09\u3010\u3011]{1,80}?)\s*[\])\uff09\u3011]?\s*$",
    re.IGNORECASE,
)
# The same, appended to the end of a body paragraph; only the bracketed form is unambiguous.
_EDITOR_SUFFIX = re.compile(r"\s*\[\s*editors?\s*[:\uff1a]\s*(?P<name>[^\[\]]{1,80}?)\s*\]\s*$",
                            re.IGNORECASE)
_EDITOR_AFTER_END_MARK = re.compile(
    r"(?:\u25a0|\benditem\b|\(end\))(?P<editor>\s*editors?\s*[:\uff1a]\s*"
    r"(?P<name>[^\[\]()]{1,80}?)\s*)$",
    re.IGNORECASE,
)

_EDITOR_ANYWHERE = re.compile(
    r"(?<![\w'])(?:web\s+|responsible\s+|chief\s+)?editors?\s*[:\uff1a]\s*"
    r"(?P<name>[^\[\]()\uff08\uff09\u3010\u3011|\n]{1,80}?)\s*(?:[\])\uff09\u3011|\n]|$)",
    re.IGNORECASE,
)

_DATETIME = r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[ T]+\d{1,2}:\d{2}(?::\d{2})?)?"
_TIMESTAMP_LINE = re.compile(r"^(?:(?:updated|published|release time)\s*[:\uff1a]\s*)?"
                             + _DATETIME + r"$", re.IGNORECASE)
# 'Source: Xinhua', 'Source: Xinhua| 2018-09-12 19:08:55', 'Xinhua | 2018-09-12 19:08:55'
_SOURCE_LINE = re.compile(
    r"^(?:source\s*[:\uff1a]\s*)?(?P<source>[\w][\w .&'-]{0,40}?)\s*(?:\|\s*(?:" + _DATETIME
    + r")?)?$",
    re.IGNORECASE,
)
_SOURCE_LABEL = re.compile(r"^source\s*[:\uff1a]", re.IGNORECASE)
# '(Video reporters: ...; video editors: ...)', '(Reporting by X; Editing by Y)'
_CREW_CREDIT = re.compile(
    r"^[(\uff08]\s*(?:video\b|reporting\s+by|reported\s+by|writing\s+by|editing\s+by|"
    r"edited\s+by|produced\s+by|producers?\s*:|cameram[ae]n\s*:)[^()]*[)\uff09]\.?$",
    re.IGNORECASE,
)
# End marks at the very end of the text: '■', 'Enditem', '(End)'.
_END_MARK = re.compile(r"\s*(?:\u25a0|\benditem\b|[(\uff08]\s*end\s*[)\uff09])\s*$", re.IGNORECASE)


def editor_line(paragraph: str) -> str | None:
    """The editor's name when the whole paragraph is an editor line, else None."""
    m = _EDITOR_LINE.match(paragraph)
    return m.group("name").strip() if m else None


def find_editor(text: str) -> str | None:
    """The name after the first 'Editor:' anywhere in a header or tag block, brackets stripped."""
    m = _EDITOR_ANYWHERE.search(text)
    return m.group("name").strip() if m else None


def strip_editor_suffix(paragraph: str) -> tuple[str, str | None]:
    """Remove a trailing '[Editor: X]' from a body paragraph: (paragraph, editor or None).

    Without brackets, 'Editor: X' is only taken off after an end mark ('... ■ Editor: X').
    """
    m = _EDITOR_SUFFIX.search(paragraph)
    if m is not None and m.start() > 0:
        return paragraph[: m.start()].rstrip(), m.group("name").strip()
    m = _EDITOR_AFTER_END_MARK.search(paragraph)
    if m is not None:
        return paragraph[: m.start("editor")].rstrip(), m.group("name").strip()
    return paragraph, None


def is_timestamp_line(paragraph: str) -> bool:
    """A bare date-time line, as scrapers copy from the page header."""
    return _TIMESTAMP_LINE.match(paragraph) is not None


def source_line(paragraph: str, *, require_label: bool = True) -> str | None:
    """The source named by a 'Source: Xinhua' header line, else None.

    With `require_label=False` a bare 'Xinhua | 2018-09-12 19:08:55' also counts.
    """
    m = _SOURCE_LINE.match(paragraph)
    if m is None:
        return None
    labelled = _SOURCE_LABEL.match(paragraph) is not None
    if require_label and not labelled:
        return None
    if not labelled and "|" not in paragraph:
        return None  # a lone word is a sub-heading or a body fragment, never a header line
    return m.group("source").strip()


def is_crew_credit(paragraph: str) -> bool:
    """A '(Video reporters: ...; video editors: ...)' style production credit line."""
    return _CREW_CREDIT.match(paragraph) is not None


def strip_end_mark(paragraph: str) -> tuple[str, bool]:
    """Remove every end mark from the end of a paragraph: (paragraph, whether one was found)."""
    found = False
    while True:
        m = _END_MARK.search(paragraph)
        if m is None:
            return paragraph, found
        paragraph, found = paragraph[: m.start()].rstrip(), True
