"""transforms.mojibake: repairing UTF-8 read as Windows-1252, leaving correct text alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ftfy
import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.mojibake import FTFY_CONFIG, mojibake_markers, repair_mojibake

NBSP = "\u00a0"

# (broken, expected): real mojibake as scrapers and wrong charsets produce it.
REPAIRS = [
    # the end mark '■' (E2 96 A0) and its box-drawing / geometric relatives
    ("member states. \u00e2\u2013" + NBSP, "member states. \u25a0"),
    ("member states. \u00e2\u2013 ", "member states. \u25a0 "),
    ("member states. \u00e2\u2013", "member states. \u25a0"),
    ("\u00e2\u2013\u00aa first point", "\u25aa first point"),
    ("\u00e2\u2013\u00ba next page", "\u25ba next page"),
    ("\u00e2\u2013\u00b2 up 3 percent", "\u25b2 up 3 percent"),
    ("\u00e2\u2013\u00bc down 2 percent", "\u25bc down 2 percent"),
    ("\u00e2\u2014\u008f bullet", "\u25cf bullet"),
    ("\u00e2\u2014\u2020 diamond", "\u25c6 diamond"),
    ("\u00e2\u201d\u20ac line", "\u2500 line"),
    # quotes
    ("Kenya\u00e2\u20ac\u2122s tea", "Kenya\u2019s tea"),
    ("\u00e2\u20ac\u02dcsingle\u00e2\u20ac\u2122", "\u2018single\u2019"),
    ("\u00e2\u20ac\u0153Tea,\u00e2\u20ac\u009d she said", "\u201cTea,\u201d she said"),
    ("\u00e2\u20ac\u0153Tea is life,\u00e2\u20ac she said", "\u201cTea is life,\u201d she said"),
    ("he said \u00e2\u20ac\u0153yes\u00e2\u20ac", "he said \u201cyes\u201d"),
    ('said \u00e2\u20ac"yes.\u00e2\u20ac" Then', "said \u201cyes.\u201d Then"),
    # dashes, ellipsis, bullets, symbols
    ("2023 \u00e2\u20ac\u201c 2024", "2023 \u2013 2024"),
    ("growth \u00e2\u20ac\u201d and jobs", "growth \u2014 and jobs"),
    ('growth \u00e2\u20ac" and jobs', "growth \u2014 and jobs"),
    ("and so on\u00e2\u20ac\u00a6", "and so on\u2026"),
    ("\u00e2\u20ac\u00a2 item", "\u2022 item"),
    ("5 \u00e2\u201a\u00ac", "5 \u20ac"),
    ("Brand\u00e2\u201e\u00a2", "Brand\u2122"),
    ("north \u00e2\u2020\u2019 south", "north \u2192 south"),
    ("\u00e2\u02dc\u2026 rating", "\u2605 rating"),
    # Latin-1 range
    ("30 \u00c2\u00b0C", "30 \u00b0C"),
    ("\u00c2\u00a9 2024 Xinhua", "\u00a9 2024 Xinhua"),
    ("caf\u00c3\u00a9 owners", "caf\u00e9 owners"),
    ("Jo\u00c3\u00a3o Lourenco", "Jo\u00e3o Lourenco"),
    ("S\u00c3\u00a3o Paulo", "S\u00e3o Paulo"),
    ("Z\u00c3\u00bcrich", "Z\u00fcrich"),
    ("na\u00c3\u00afve", "na\u00efve"),
    ("\u00c3\u2030cole", "\u00c9cole"),
    ("\u00c3\u2026land Islands", "\u00c5land Islands"),  # ftfy alone keeps 'Ã…'
    # C1 controls: the same bytes read as Latin-1 instead of cp1252
    ("Kenya\u00e2\u0080\u0099s tea", "Kenya\u2019s tea"),
    # CJK read as cp1252
    ("\u00e8\u2021\u00aa\u00e8\u00b4\u00a1 lanterns", "\u81ea\u8d21 lanterns"),
    # twice-encoded
    ("Kenya\u00c3\u00a2\u00e2\u201a\u00ac\u00e2\u201e\u00a2s", "Kenya\u2019s"),
    ("end.\u00c3\u00a2\u00e2\u20ac\u201c\u00c2" + NBSP, "end.\u25a0"),
    # the end mark followed by an NBSP of its own
    ("member states. \u00e2\u2013" + NBSP + NBSP, "member states. \u25a0" + NBSP),
    # a lost right quote after an accented letter or an ellipsis, before punctuation
    ("\u00e2\u20ac\u0153Ol\u00e9\u00e2\u20ac he said", "\u201cOl\u00e9\u201d he said"),
    ("\u00e2\u20ac\u0153and so on\u2026\u00e2\u20ac she said",
     "\u201cand so on\u2026\u201d she said"),
    ("he said \u00e2\u20ac\u0153yes\u00e2\u20ac, and left", "he said \u201cyes\u201d, and left"),
    ("\u00c3\u2026LAND", "\u00c5LAND"),
]

# Correct text that must come back unchanged.
UNCHANGED = [
    "S\u00c3O PAULO, March 3 (Xinhua) -- Brazil's largest city",  # upper-case Portuguese
    "Jo\u00e3o Louren\u00e7o met the delegation in Luanda.",
    "IRM\u00c3 E FILHOS",
    "CH\u00c2TEAU DE VERSAILLES",
    "The symbol \u25a0 marks the end of a Xinhua story.",
    "\u201cTea is our life here,\u201d she said.",
    "It\u2019s the \u2018best\u2019 season \u2014 so far\u2026",
    "Temperatures hit 40\u00b0C in Seville, Spain.",
    "Z\u00fcrich, M\u00fcnchen, \u0141\u00f3d\u017a, \u0110\u00e0 N\u1eb5ng",
    "\u81ea\u8d21\u706f\u4f1a (Zigong Lantern Show)",
    "\u00a9 2024 Xinhua, all rights reserved",
    "Na\u00efve caf\u00e9 r\u00e9sum\u00e9 fa\u00e7ade",
    "\u00bfQu\u00e9 pasa? \u00a1Ol\u00e1!",
    "Price: 5 \u20ac / \u00a35 / \u00a5500",
    "\uff08Xinhua/Wang Xi\uff09 \uff21\uff22",  # full-width forms stay full-width
    "\ufb01nance",  # ligatures are not folded
    "plain ASCII text with \"straight\" quotes",
    # 'Ã' + punctuation + a letter without the evidence of a real word
    "IRM\u00c3\u2026and",  # mixed case: 'IRMÅand' is no word
    "\u00c3\u2026\u00aa",  # 'Åª' would itself look like mojibake to ftfy
    "Hawai\u2018i and Hawai\u2019i",  # apostrophe-like marks between letters
]


@pytest.mark.parametrize(("broken", "expected"), REPAIRS)
def test_repairs(broken: str, expected: str) -> None:
    assert repair_mojibake(broken) == (expected, True)


@pytest.mark.parametrize("text", UNCHANGED)
def test_correct_text_is_left_alone(text: str) -> None:
    assert repair_mojibake(text) == (text, False)


def test_table_is_large_enough() -> None:
    assert len(REPAIRS) + len(UNCHANGED) >= 30
    assert len(REPAIRS) >= 30


@pytest.mark.parametrize(("broken", "expected"), REPAIRS)
def test_repair_is_idempotent_on_the_table(broken: str, expected: str) -> None:
    once, _ = repair_mojibake(broken)
    assert repair_mojibake(once) == (once, False)


# ---------------------------------------------------------------- issue 16 regressions


def test_windows_1250_quote_is_not_taken_for_a_lost_right_quote() -> None:
    # 'ś' is byte 0x9C read as Windows-1250: 'â€ś' is a whole '“', nothing was lost.
    broken = "It was named\u00c2 \u00e2\u20ac\u017escars\u00c2\u00b4 stones\u00e2\u20ac\u015b after"
    assert repair_mojibake(broken) == (
        "It was named\u00a0\u201escars\u00b4 stones\u201c after", True)


def test_third_byte_replaced_by_fffd_stays_a_replacement_character() -> None:
    assert repair_mojibake("\u00e2\u20ac\u0153lossy decoding\u00e2\u20ac\ufffd") == (
        "\u201clossy decoding\ufffd", True)


def test_third_byte_replaced_by_question_mark_becomes_a_replacement_character() -> None:
    # The convention documented in transforms/mojibake.py: U+FFFD, as ftfy, not a guessed '”'.
    broken = "The ICR has been upgraded to \u00e2\u20ac\u0153bb+\u00e2\u20ac? from"
    assert repair_mojibake(broken) == (
        "The ICR has been upgraded to \u201cbb+\ufffd from", True)


def test_apostrophe_after_a_tilde_capital_is_not_mojibake() -> None:
    text = "There are a lot of \u00c3\u2019s in mojibake text"
    assert repair_mojibake(text) == (text, False)


def test_hopeless_garble_is_left_alone() -> None:
    # Greedy decoding would turn it into random Han and katakana.
    text = ("\u00e3\u2020\u00e2\u20ac\u2122\u00e3\u0192\u00e2\u20ac \u00e3\u00a2\u00e2\u201a"
            "\u00ac\u00e2\u201e\u00a2\u00e3\u0192\u00e6\u2019\u00e3\u201a\u00e2\u00a2\u00e3"
            "\u0192\u00e2\u00a2\u00e3\u00a2\u00e2\u201a\u00ac\u00e5\u00a1\u00e3\u201a\u00e2"
            "\u00ac\u00e3\u0192\u00e2\u20ac\u0161\u00e3\u201a\u00e2")
    assert repair_mojibake(text) == (text, False)


def test_face_with_lost_bytes_keeps_replacement_characters() -> None:
    broken = ("\u00c3\u00a2\u00e2\u20ac\ufffd\u00e2\u20ac\u2122(\u00c3\u00a2\u00c5\u2019"
              "\u00c2\u00a3\u00c3\u2039\u00e2\u20ac\u00ba\u00c3\u00a2\u00c5\u2019\u00c2\u00a3)"
              "\u00c3\u00a2\u00e2\u20ac\ufffd\u00c5\u00bd")
    assert repair_mojibake(broken) == ("\ufffd(\u2323\u02db\u2323)\ufffd", True)


# ---------------------------------------------------------------- ftfy's public test cases
# tests/fixtures/ftfy/ holds ftfy's test cases (see its README.md). For each one, "plain ftfy"
# is ftfy.fix_text with the configuration repair_mojibake uses; wherever plain ftfy gets the
# expected text, repair_mojibake must get it too.

FTFY_TABLE = json.loads(
    (Path(__file__).parent / "fixtures" / "ftfy" / "ftfy_cases.json").read_text(encoding="utf-8")
)
FTFY_CASES: list[dict[str, Any]] = FTFY_TABLE["cases"]


def _one_more_layer(text: str) -> str:
    """The text once more read as Latin-1, as ftfy's own tests run each case a second time."""
    return text.encode("utf-8").decode("latin-1")


def _plain_ftfy(text: str) -> str:
    return ftfy.fix_text(text, FTFY_CONFIG)


FTFY_PASSES = [c for c in FTFY_CASES if _plain_ftfy(c["original"]) == c["expected"]]
FTFY_PASSES_ONE_MORE_LAYER = [
    c for c in FTFY_CASES if _plain_ftfy(_one_more_layer(c["original"])) == c["expected"]
]
# Correct text that looks like mojibake: ftfy expects it back unchanged.
FTFY_NEGATIVES = [c for c in FTFY_CASES if c["expected"] == c["original"]]
# ftfy's one known false positive, which repair_mojibake shares (it runs ftfy).
FTFY_FALSE_POSITIVE = "known-failures-synthetic-false-positive-the-title-of-a-manga-in-weird"


def _ids(cases: list[dict[str, Any]]) -> list[str]:
    return [c["id"] for c in cases]


def test_ftfy_table_is_complete() -> None:
    assert FTFY_TABLE["source"]["repository"] == "rspeer/python-ftfy"
    assert len(FTFY_CASES) == 161
    assert len(set(_ids(FTFY_CASES))) == len(FTFY_CASES)
    # The parametrised tests below are not vacuous: plain ftfy passes nearly every case.
    assert len(FTFY_PASSES) >= 150
    assert len(FTFY_PASSES_ONE_MORE_LAYER) >= 150
    assert len(FTFY_NEGATIVES) >= 40


@pytest.mark.parametrize("case", FTFY_PASSES, ids=_ids(FTFY_PASSES))
def test_ftfy_case_repaired_wherever_plain_ftfy_repairs_it(case: dict[str, Any]) -> None:
    assert repair_mojibake(case["original"])[0] == case["expected"], case["label"]


@pytest.mark.parametrize("case", FTFY_PASSES_ONE_MORE_LAYER, ids=_ids(FTFY_PASSES_ONE_MORE_LAYER))
def test_ftfy_case_under_one_more_layer_repaired_like_plain_ftfy(case: dict[str, Any]) -> None:
    assert repair_mojibake(_one_more_layer(case["original"]))[0] == case["expected"], case["label"]


@pytest.mark.parametrize("case", FTFY_CASES, ids=_ids(FTFY_CASES))
def test_ftfy_case_repair_is_idempotent(case: dict[str, Any]) -> None:
    once, _ = repair_mojibake(case["original"])
    assert repair_mojibake(once) == (once, False), case["label"]


@pytest.mark.parametrize("case", [
    pytest.param(c, marks=pytest.mark.xfail(strict=True, reason="ftfy's own false positive"))
    if c["id"].startswith(FTFY_FALSE_POSITIVE) else c
    for c in FTFY_NEGATIVES
], ids=_ids(FTFY_NEGATIVES))
def test_ftfy_negative_case_left_unchanged(case: dict[str, Any]) -> None:
    assert repair_mojibake(case["original"]) == (case["original"], False), case["label"]


# ---------------------------------------------------------------- markers


def test_markers_count_mojibake_pairs() -> None:
    assert mojibake_markers("Kenya\u00e2\u20ac\u2122s caf\u00c3\u00a9") == 2
    assert mojibake_markers("S\u00c3O PAULO") == 0


# ---------------------------------------------------------------- properties

WORDS = [
    "Xinhua", "Beijing", "said", "the", "trade", "grew", "5.3", "percent", "S\u00e3o", "Paulo",
    "Jo\u00e3o", "Z\u00fcrich", "caf\u00e9", "na\u00efve", "\u00c9cole", "Bogot\u00e1",
    "\u0141\u00f3d\u017a",
    "\u0110\u00e0", "N\u1eb5ng", "\u81ea\u8d21", "\u706f\u4f1a", "\u201cyes,\u201d", "it\u2019s",
    "\u2018quoted\u2019", "\u2014", "\u2013", "\u2026", "\u25a0", "40\u00b0C", "\u00a9", "\u20ac5",
    "\u00a35", "\u2022", "M\u00fcnchen", "\u00bfQu\u00e9?", "Espa\u00f1a", "S\u00c3O", "IRM\u00c3",
    "Stra\u00dfe", "\u00c5land", "\u00d8resund", "Tokayev", "Kazakh", "(Xinhua/Li", "Gang)",
]
correct_text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=25).map(" ".join)


def cp1252_view(text: str) -> str:
    """How UTF-8 text looks when read as Windows-1252 (browsers' mapping of undefined bytes)."""
    raw = text.encode("utf-8")
    return "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b) if b >= 0x80 else chr(b)
        for b in raw
    )


@given(correct_text)
def test_fault_free_text_passes_unchanged(text: str) -> None:
    assert repair_mojibake(text) == (text, False)


@given(st.text(max_size=200))
def test_repair_is_idempotent(text: str) -> None:
    once, _ = repair_mojibake(text)
    assert repair_mojibake(once)[0] == once


@given(st.text(max_size=200))
def test_repair_never_introduces_mojibake(text: str) -> None:
    assert mojibake_markers(repair_mojibake(text)[0]) <= mojibake_markers(text)


@given(correct_text.filter(lambda t: not t.isascii()))
def test_mojibake_of_correct_text_is_undone(text: str) -> None:
    broken = cp1252_view(text)
    assert repair_mojibake(broken) == (text, True)
