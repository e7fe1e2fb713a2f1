"""Repair mojibake: UTF-8 text that was decoded as Windows-1252 (or Latin-1) somewhere upstream.

ftfy does the heavy lifting. On top of it come explicit rules for what it leaves behind in news
text: three-byte sequences that start with U+00E2 ('â', the UTF-8 lead byte of U+2000-U+2FFF:
quotes, dashes, bullets, arrows, box drawing and geometric shapes such as the Xinhua end mark
'■' = 'â–\\xa0'), including the lossy forms where the last byte was dropped or turned into a
plain space, and 'Ã' + punctuation ('Ã…land' = 'Åland'). Every setting of ftfy that would alter
correct text (uncurling quotes, width and ligature folding, Unicode normalisation, line-break
rewriting) is off, so correct text passes through unchanged.

The extra rules must never undo what ftfy gets right (tests/test_mojibake.py runs ftfy's own
public test cases: wherever plain ftfy with FTFY_CONFIG gets a case right, so must this module),
so each one fires only on evidence:

- 'â€' whose third byte was dropped becomes '”' only where a closing quote stands: before
  whitespace, ASCII punctuation other than '?', or the end of the text, and not glued to other
  mojibake before it ('ãƒâ€ ' is part of a longer sequence). A decoder drops the bytes it cannot
  map (0x81 0x8D 0x8F 0x90 0x9D in Windows-1252); of the characters they complete, 0x9D's right
  double quote U+201D is the one news text is full of. A letter or any other non-ASCII character
  after 'â€' may itself be the third byte, read through another code page ('â€ś' is '“' read as
  Windows-1250), so there ftfy decides.
- A third byte that survived as '?' or U+FFFD ('â€?', 'â€\\ufffd') was replaced, not dropped:
  the text itself records that a character was lost. The result is U+FFFD, ftfy's convention
  (ftfy does it; the rules here stay out of its way): the replacement character keeps saying
  "one character was lost here" where '”' would be a guess among the 64 characters
  U+2000-U+203F, and it is what ftfy's test cases expect. So 'â€œbb+â€? from' becomes
  '“bb+\\ufffd from', not '“bb+”? from'. The cost: a real question mark right after a dropped
  quote ('â€œyesâ€?', from '“yes”?') becomes U+FFFD too; news style puts the question mark
  inside the quotes, so that order is rare.
- 'Ã' + a Windows-1252 punctuation character + a letter becomes the accented capital only when
  the punctuation is not an apostrophe (correct text puts ’ between two letters: 'Ã’s' is the
  plural of the letter 'Ã'), the word around it reads as one word (one case, or a capital then
  lower case) and ftfy's badness heuristic does not rate the word worse than before ('Ã…ª'
  would read 'Åª'). ftfy's heuristic sees nothing wrong in 'Ã…land' (which is why ftfy leaves
  it), so "not worse" is as much as it can say here.
- The three-byte re-decoding after ftfy skips triples glued to other mojibake before them
  ('ã¢â‚¬â„¢'): there the character boundaries are unknown, and ftfy's refusal to decode
  stands. Decoding them greedily turns a hopeless garble into random Han and katakana.
"""

from __future__ import annotations

import contextlib
import re
import string

import ftfy
from ftfy.badness import badness

# ftfy features that rewrite text which is not mojibake are disabled.
FTFY_CONFIG = ftfy.TextFixerConfig(
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
# after it is where the evidence starts (see _redecode_pair for the rest).
_C3_PUNCT = "".join(ch for ch, b in _CONT.items() if b < 0xA0 and ord(ch) > 0xFF)
_C3_PAIR = re.compile("\u00c3([" + re.escape(_C3_PUNCT) + "])(?=[^\\W\\d_])")
# Apostrophes (and the okina written as '‘') stand between two letters in correct text.
_APOSTROPHES = frozenset("\u2018\u2019")

# 'â€' whose third byte was lost: only where a closing quote stands, before whitespace, ASCII
# punctuation or the end. A letter or any non-ASCII character after it may be the third byte
# in another code page ('â€ś' is '“' in Windows-1250), '?' and U+FFFD are the byte replaced
# (ftfy turns the sequence into U+FFFD), and a following NBSP makes the dagger '†'.
_QUOTE_FOLLOWERS = "".join(sorted(set(string.whitespace + string.punctuation) - {"?"}))
_LOST_RIGHT_QUOTE = re.compile("\u00e2\u20ac(?=[" + re.escape(_QUOTE_FOLLOWERS) + "]|$)")
# 'â–' whose 0xA0 was turned into a plain space or trimmed away: the end mark '■'.
_LOST_BLACK_SQUARE = re.compile("\u00e2\u2013(?= |$)")
# 'â€' + ASCII '"': a curly quote or dash that was later "uncurled"; the context decides which.
_UNCURLED = re.compile('\u00e2\u20ac"')

_MAX_ROUNDS = 3  # double-encoded text needs two rounds; a third proves the fixed point


def _glued_to_sequence(text: str, start: int) -> bool:
    """Whether `text[:start]` ends in a lead-byte lookalike and continuation lookalikes.

    Then the 'â' at `start` continues a run of mojibake ('ã¢â‚¬â„¢', 'ãƒâ€ '): where one
    character ends and the next begins is unknown, so ftfy's refusal to decode stands.
    """
    i = start - 1
    while i >= 0 and start - i <= 3 and text[i] in _CONT:
        i -= 1
    return i < start - 1 and i >= 0 and "\u00c2" <= text[i] <= "\u00f4"


def _restore_right_quote(m: re.Match[str]) -> str:
    return m.group(0) if _glued_to_sequence(m.string, m.start()) else "\u201d"


def _redecode_triple(m: re.Match[str]) -> str:
    if _glued_to_sequence(m.string, m.start()):
        return m.group(0)
    raw = bytes([0xE2, _CONT[m.group(1)], _CONT[m.group(2)]])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return m.group(0)


def _letters_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The run of letters ending at `start` and the run starting at `end`."""
    left = start
    while left > 0 and text[left - 1].isalpha():
        left -= 1
    right = end
    while right < len(text) and text[right].isalpha():
        right += 1
    return text[left:start], text[end:right]


def _reads_as_one_word(word: str) -> bool:
    """All upper case, all lower case, or one capital followed by lower case."""
    return word.isupper() or word.islower() or (word[0].isupper() and word[1:].islower())


def _redecode_pair(m: re.Match[str]) -> str:
    if m.group(1) in _APOSTROPHES:
        return m.group(0)
    letter = bytes([0xC3, _CONT[m.group(1)]]).decode("utf-8")  # C3 80-9F: 'À'-'ß', all valid
    before, after = _letters_around(m.string, m.start(), m.end())
    word = before + letter + after
    if not _reads_as_one_word(word):
        return m.group(0)
    if badness(word) > badness(before + m.group(0) + after):
        return m.group(0)
    return letter


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
    text = _LOST_RIGHT_QUOTE.sub(_restore_right_quote, text)
    return _LOST_BLACK_SQUARE.sub("\u25a0", text)


def _one_round(text: str) -> str:
    text = _explicit_lossy(text)
    text = ftfy.fix_text(text, FTFY_CONFIG)
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
