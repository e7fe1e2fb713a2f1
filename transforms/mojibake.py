"""Repair mojibake: UTF-8 text that was decoded as Windows-1252 (or Latin-1) somewhere upstream.

ftfy does the heavy lifting. On top of it come explicit rules for what it leaves behind in news
text: three-byte sequences that start with U+00E2 ('â', the UTF-8 lead byte of U+2000-U+2FFF:
quotes, dashes, bullets, arrows, box drawing and geometric shapes such as the Xinhua end mark
'■' = 'â–\\xa0'), including the lossy forms where the last byte was dropped or turned into a
plain space. Every setting of ftfy that would alter correct text (uncurling quotes, width and
ligature folding, Unicode normalisation, line-break rewriting) is off, so correct text passes
through unchanged.
"""

from __future__ import annotations

import contextlib
import re

import ftfy

# ftfy features that rewrite text which is not mojibake are disabled.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


def _continuation_chars() -> dict[str, int]:
    """Each character a UTF-8 continuation byte (0x80-0xBF) can turn into, mapped to the byte.

    Both the Windows-1252 reading and the Latin-1 reading (C1 controls) are included; for
    0xA0-0xBF they coincide.
    """
    table: dict[str, int] = {}
    for byte in range(0x80, 0xC0):
        table[chr(byte)] = byte  # Latin-1 / C1 control reading
        # 0x81 0x8D 0x8F 0x90 0x9D are undefined in cp1252: only the C1 reading exists.
        with contextlib.suppress(UnicodeDecodeError):
            table[bytes([byte]).decode("cp1252")] = byte
    return table


_CONT = _continuation_chars()
_CONT_CLASS = "[" + re.escape("".join(_CONT)) + "]"

# A complete 'â' + two continuation characters: one character of U+2000-U+2FFF in disguise.
_E2_TRIPLE = re.compile("\u00e2(" + _CONT_CLASS + ")(" + _CONT_CLASS + ")")
# 'Ã' + a cp1252 punctuation character (bytes 0x80-0x9F) is 'À'-'ß' in disguise ('Ã…land' is
# 'Åland'). ftfy hesitates because 'Ã…' could be a word and an ellipsis; a letter straight
# after it settles the question.
_C3_PUNCT = "".join(ch for ch, b in _CONT.items() if b < 0xA0 and ord(ch) > 0xFF)
_C3_PAIR = re.compile("\u00c3([" + re.escape(_C3_PUNCT) + "])(?=[^\\W\\d_])")
# 'â€' whose third byte was lost: 0x9D (the right double quote) is undefined in cp1252 and is
# what usually disappears; a following NBSP belongs to the dagger and is left to the triple rule.
_LOST_RIGHT_QUOTE = re.compile("\u00e2\u20ac(?=[^" + re.escape("".join(_CONT)) + "]|$)")
# 'â–' whose 0xA0 was turned into a plain space or trimmed away: the end mark '■'.
_LOST_BLACK_SQUARE = re.compile("\u00e2\u2013(?= |$)")
# 'â€' + ASCII '"': a curly quote or dash that was later "uncurled"; the context decides which.
_UNCURLED = re.compile('\u00e2\u20ac"')

_MAX_ROUNDS = 3  # double-encoded text needs two rounds; a third proves the fixed point


def _redecode_triple(m: re.Match[str]) -> str:
    raw = bytes([0xE2, _CONT[m.group(1)], _CONT[m.group(2)]])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return m.group(0)


def _redecode_pair(m: re.Match[str]) -> str:
    try:
        return bytes([0xC3, _CONT[m.group(1)]]).decode("utf-8")
    except UnicodeDecodeError:
        return m.group(0)


def _resolve_uncurled(m: re.Match[str]) -> str:
    text, start, end = m.string, m.start(), m.end()
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before.isspace() and after.isspace():
        return "\u2014"  # a free-standing dash
    if before.isspace() or before in "([{":
        return "\u201c"  # opens a quotation
    return "\u201d"


def _explicit_lossy(text: str) -> str:
    # Before ftfy: it would read 'â€ ' as a dagger whose NBSP became a space.
    text = _UNCURLED.sub(_resolve_uncurled, text)
    text = _LOST_RIGHT_QUOTE.sub("\u201d", text)
    return _LOST_BLACK_SQUARE.sub("\u25a0", text)


def _one_round(text: str) -> str:
    text = _explicit_lossy(text)
    text = ftfy.fix_text(text, _FTFY)
    text = _E2_TRIPLE.sub(_redecode_triple, text)
    return _C3_PAIR.sub(_redecode_pair, text)


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Return (repaired text, whether anything changed). Idempotent; correct text is unchanged."""
    if text.isascii():
        return text, False  # mojibake always contains non-ASCII characters
    out = text
    for _ in range(_MAX_ROUNDS):
        nxt = _one_round(out)
        if nxt == out:
            break
        out = nxt
    return out, out != text


# 'Ã©' and 'Â°' style pairs, 'â€™' style triples, and the 'â€' / 'â–' prefixes of lossy triples.
_MARKERS = re.compile(
    "[\u00c2\u00c3]" + _CONT_CLASS
    + "|\u00e2" + _CONT_CLASS + _CONT_CLASS
    + "|\u00e2[\u20ac\u2013\x80\x96]"
)


def mojibake_markers(text: str) -> int:
    """How many tell-tale mojibake pairs ('Ã©', 'â€', 'Â ' ...) the text contains."""
    return len(_MARKERS.findall(text))
