"""Turn the bytes of a fetched page into text, choosing the charset the way browsers do.

Order of evidence: byte-order mark, HTTP header charset, `<meta charset>` / http-equiv,
then statistical detection. Servers very often send `charset=iso-8859-1` as a default for
pages that are really UTF-8, so a Latin-1-family header is treated as a weak hint only.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

ENCODING_FIX = "encoding"

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels whose real-world meaning is a superset codec (WHATWG encoding standard).
_SUPERSETS = {
    "ascii": "cp1252",
    "latin_1": "cp1252",
    "iso8859_1": "cp1252",
    "cp1252": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "gb18030": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "tis_620": "cp874",
    "iso8859_9": "cp1254",
}
# A header with one of these is a server default as often as a statement about the page.
_WEAK = frozenset({"cp1252"})
# Detection cannot tell the Latin-script single-byte code pages apart on short texts (it reads
# French cp1252 as cp1250); for a news page the Western one is by far the likeliest.
_LATIN_SINGLE_BYTE = frozenset({
    "cp1250", "cp1252", "cp1254", "cp1257", "cp1258", "iso8859_2", "iso8859_3", "iso8859_4",
    "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16",
    "mac_roman", "mac_latin2", "mac_iceland", "mac_turkish", "cp850", "cp437", "latin_1",
})
# Multi-byte encodings that detection can recognise confidently behind a Latin-1 label.
_CJK = frozenset({"gb18030", "big5", "big5hkscs", "cp932", "euc_jp", "cp949", "euc_kr",
                  "iso2022_jp", "hz"})
# Bytes that decode as UTF-8 apart from a few bad sequences (a page cut mid-character, a stray
# byte) are UTF-8; detection would pick a code page and garble every other character.
_MOSTLY_UTF8_RATIO = 10

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([\w.:+-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:+-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:+-]+)""", re.IGNORECASE)

# Enough to reach every <meta> of a real head; browsers prescan 1024 bytes, servers lie more.
_META_SCAN_BYTES = 8192
_SAMPLE_BYTES = 32768

# Windows-1252 as browsers decode it: the five bytes cp1252 leaves undefined map to C1
# controls (as in Latin-1) instead of failing, so decoding never loses a byte.
_CP1252_HIGH = {
    b: bytes([b]).decode("cp1252", errors="strict")
    for b in range(0x80, 0xA0)
    if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
_CP1252_TABLE = str.maketrans({chr(b): ch for b, ch in _CP1252_HIGH.items()})


def canonical_codec(label: str | None) -> str | None:
    """Python codec name for a charset label, widened to its superset; None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):
        if not label.startswith("x-"):
            return None
        return canonical_codec(label[2:])  # 'x-gbk', 'x-sjis': unregistered spellings
    key = name.replace("-", "_")
    return _SUPERSETS.get(key, name)


def header_charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, as a codec name, if any and known."""
    if not content_type:
        return None
    m = _HEADER_CHARSET.search(content_type)
    return canonical_codec(m.group(1)) if m else None


def declared_charset(body: bytes) -> str | None:
    """The charset the document declares about itself (XML declaration or <meta>)."""
    head = body[:_META_SCAN_BYTES]
    m = _XML_DECL.search(head) or _META_CHARSET.search(head)
    if not m:
        return None
    return canonical_codec(m.group(1).decode("ascii", errors="ignore"))


def _strict(body: bytes, codec: str) -> str | None:
    if codec == "cp1252":
        return body.decode("latin-1").translate(_CP1252_TABLE)
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf8_with_non_ascii(body: bytes) -> str | None:
    """UTF-8 text when the bytes are valid UTF-8 and actually use multi-byte sequences."""
    if body.isascii():
        return None
    return _strict(body, "utf-8")


def _detect(body: bytes) -> str | None:
    # Head and tail: the head alone is often all-ASCII markup with the real text further on.
    sample = body
    if len(body) > 2 * _SAMPLE_BYTES:
        sample = body[:_SAMPLE_BYTES] + body[-_SAMPLE_BYTES:]
    best = charset_normalizer.from_bytes(sample).best()
    codec = canonical_codec(best.encoding) if best is not None else None
    if codec is not None and codec.replace("-", "_") in _LATIN_SINGLE_BYTE:
        return "cp1252"
    return codec


def _mostly_utf8(body: bytes) -> str | None:
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    return text if good >= _MOSTLY_UTF8_RATIO * bad else None


def _better_than_latin1(body: bytes, meta: str | None) -> tuple[str, str] | None:
    """What a page labelled Latin-1 really is: UTF-8, its own <meta>, or a detected CJK codec."""
    utf8 = _utf8_with_non_ascii(body)
    if utf8 is not None:
        return utf8, "utf-8"
    if meta is not None and meta not in _WEAK:
        text = _strict(body, meta)
        if text is not None:
            return text, meta
    if body.isascii():
        return None
    detected = _detect(body)
    if detected in _CJK:
        text = _strict(body, detected)
        if text is not None:
            return text, detected
    return None


def _decode_by_declarations(body: bytes, header: str | None) -> tuple[str, str] | None:
    """Follow header then meta, never trusting a Latin-1-family label over valid UTF-8."""
    meta = declared_charset(body)
    for declared in (header, meta):
        if declared is None:
            continue
        if declared in _WEAK:
            better = _better_than_latin1(body, meta if declared is header else None)
            if better is not None:
                return better
        text = _strict(body, declared)
        if text is not None:
            return text, declared
    return None


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str, tuple[str, ...]]:
    """Decode a page: (text, codec used, fixes). Never raises.

    The fix "encoding" is recorded when the text had to be decoded with something other than
    what the HTTP header said (a missing header charset counts as UTF-8).
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            text = body[len(bom):].decode(codec, errors="replace")
            return text, codec, _fixes(codec, header_charset(content_type))

    header = header_charset(content_type)
    decoded = _decode_by_declarations(body, header)
    if decoded is None:
        text = _strict(body, "utf-8")
        if text is not None:
            decoded = (text, "utf-8")
    if decoded is None and not body.isascii():
        text = _mostly_utf8(body)
        decoded = (text, "utf-8") if text is not None else None
    if decoded is None:
        detected = _detect(body)
        text = _strict(body, detected) if detected else None
        decoded = (text, detected) if text is not None and detected else None
    if decoded is None:
        decoded = (body.decode("utf-8", errors="replace"), "utf-8")
    text, codec = decoded
    return text, codec, _fixes(codec, header)


def _fixes(used: str, header: str | None) -> tuple[str, ...]:
    expected = header or "utf-8"
    return () if used == expected else (ENCODING_FIX,)
