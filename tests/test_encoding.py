"""transforms.encoding: choosing the charset of a page."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.encoding import canonical_codec, declared_charset, decode_html, header_charset

PAGE = (
    "<html><head>{meta}<title>Kenya’s tea</title></head><body>"
    "<p>“Tea is our life,” said the grower from Kericho — a town in the hills.</p>"
    "</body></html>"
)
FRENCH = (
    "<html><body><p>Le président a déclaré que l’économie française était très résiliente, "
    "malgré les difficultés. Les élèves ont été félicités à l’école. Où est la "
    "bibliothèque? Ça va très bien, merci.</p></body></html>"
)
CHINESE = (
    "<html><body><p>新华社北京电 中国国家主席在人民大会堂会见了来访的外国领导人，"
    "双方就共同关心的国际和地区问题深入交换了意见。“合作共赢”是双方的共识。</p></body></html>"
)


def page(meta: str = "") -> str:
    return PAGE.format(meta=meta)


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("text/html; charset=utf-8", "utf-8"),
        ("text/html; charset=UTF-8", "utf-8"),
        ('text/html; charset="utf-8"', "utf-8"),
        ("text/html;charset=ISO-8859-1", "cp1252"),
        ("text/html; charset=latin-1", "cp1252"),
        ("text/html; charset=us-ascii", "cp1252"),
        ("text/html; charset=windows-1252", "cp1252"),
        ("text/html; charset=gb2312", "gb18030"),
        ("text/html; charset=GBK", "gb18030"),
        ("text/html; charset=x-gbk", "gb18030"),
        ("text/html", None),
        (None, None),
        ("text/html; charset=no-such-charset", None),
    ],
)
def test_header_charset(content_type: str | None, expected: str | None) -> None:
    assert header_charset(content_type) == expected


def test_canonical_codec_widens_to_supersets() -> None:
    assert canonical_codec("gb18030") == "gb18030"
    assert canonical_codec("iso-8859-1") == "cp1252"
    assert canonical_codec("") is None


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta charset="gb18030" />', "gb18030"),
        ("<meta charset=utf-8>", "utf-8"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />', "gb18030"),
        ("<meta name='x' content='y'>", None),
        ("", None),
    ],
)
def test_declared_charset(head: str, expected: str | None) -> None:
    assert declared_charset(page(head).encode("utf-8")) == expected


def test_utf8_page_with_utf8_header_needs_no_fix() -> None:
    text, codec, fixes = decode_html(page().encode("utf-8"), "text/html; charset=utf-8")
    assert (text, codec, fixes) == (page(), "utf-8", ())


@pytest.mark.parametrize("label", ["iso-8859-1", "ISO-8859-1", "latin-1", "windows-1252", "ascii"])
def test_utf8_page_served_as_latin1_is_read_as_utf8(label: str) -> None:
    text, codec, fixes = decode_html(page().encode("utf-8"), f"text/html; charset={label}")
    assert text == page()
    assert "â€" not in text
    assert codec == "utf-8"
    assert fixes == ("encoding",)


def test_real_cp1252_page_served_as_latin1_keeps_cp1252() -> None:
    # 0x92 is the cp1252 right single quote; strict Latin-1 would make it a C1 control.
    text, codec, fixes = decode_html(page().encode("cp1252"), "text/html; charset=iso-8859-1")
    assert text == page()
    assert codec == "cp1252"
    assert fixes == ()


def test_ascii_page_with_latin1_header() -> None:
    body = b"<html><body><p>Plain words only.</p></body></html>"
    text, _, fixes = decode_html(body, "text/html; charset=iso-8859-1")
    assert text == body.decode("ascii")
    assert fixes == ()


def test_gb18030_page_declared_by_meta_only() -> None:
    html = page('<meta charset="gb18030" />').replace("Kenya’s tea", "自贡灯会")
    text, codec, fixes = decode_html(html.encode("gb18030"), "text/html")
    assert text == html
    assert codec == "gb18030"
    assert fixes == ("encoding",)


def test_gb2312_meta_decodes_as_gb18030() -> None:
    # '𠮷' exists in GB18030 only; a strict GB2312 decoder would fail on it.
    html = page('<meta charset="gb2312" />').replace("Kenya’s tea", "𠮷 灯谜")
    text, codec, _ = decode_html(html.encode("gb18030"), None)
    assert text == html
    assert codec == "gb18030"


def test_wrong_utf8_header_gives_way_to_meta() -> None:
    html = page('<meta charset="gb18030" />').replace("Kenya’s tea", "灯谜")
    text, codec, fixes = decode_html(html.encode("gb18030"), "text/html; charset=utf-8")
    assert text == html
    assert codec == "gb18030"
    assert fixes == ("encoding",)


def test_undeclared_cjk_page_behind_latin1_header_is_detected() -> None:
    text, codec, fixes = decode_html(CHINESE.encode("gb18030"), "text/html; charset=iso-8859-1")
    assert text == CHINESE
    assert codec == "gb18030"
    assert fixes == ("encoding",)


def test_undeclared_western_page_is_detected_as_cp1252() -> None:
    text, codec, fixes = decode_html(FRENCH.encode("cp1252"), None)
    assert text == FRENCH
    assert codec == "cp1252"
    assert fixes == ("encoding",)


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_byte_order_mark_wins(bom: bytes, codec: str) -> None:
    body = bom + page().encode(codec)
    text, used, _ = decode_html(body, "text/html; charset=iso-8859-1")
    assert text == page()
    assert used == codec


def test_truncated_utf8_stays_utf8() -> None:
    # A page cut in the middle of its last character must not be re-read as a code page.
    body = (page() * 20).encode("utf-8") + "’".encode()[:2]
    text, codec, _ = decode_html(body, None)
    assert codec == "utf-8"
    assert text.startswith(page())
    assert text.endswith("\ufffd")


@given(st.binary(max_size=2048), st.sampled_from([None, "text/html", "text/html; charset=utf-8",
                                                  "text/html; charset=iso-8859-1",
                                                  "text/html; charset=bogus", "charset=gb2312"]))
def test_decode_never_raises(body: bytes, content_type: str | None) -> None:
    text, codec, fixes = decode_html(body, content_type)
    assert isinstance(text, str)
    assert codecs.lookup(codec)
    assert set(fixes) <= {"encoding"}


@given(st.text(max_size=300))
def test_any_utf8_text_round_trips_with_utf8_header(s: str) -> None:
    text, _, fixes = decode_html(s.encode("utf-8"), "text/html; charset=utf-8")
    if not s.startswith("\ufeff"):
        assert text == s
        assert fixes == ()
