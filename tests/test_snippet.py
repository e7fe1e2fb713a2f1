"""transforms/snippet.py: bounded, cut at word boundaries, around the query's words."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.snippet import ELLIPSIS, fold, snippet

WORDS = st.lists(st.sampled_from(["rain", "flood", "the", "river", "Flooding", "São", "x",
                                  "water-level", "ends.", '"quote', "longwordlongword"]),
                 max_size=200)
SEPARATORS = st.sampled_from([" ", "  ", "\n", ", ", " \n\n"])


@st.composite
def texts(draw: st.DrawFn) -> str:
    words = draw(WORDS)
    return "".join(word + draw(SEPARATORS) for word in words)


def words_of(text: str) -> list[str]:
    return text.split()


@given(texts(), st.sets(st.sampled_from(["flood", "flooding", "river", "sao", "zzz"])),
       st.integers(min_value=10, max_value=300))
def test_bounded_and_made_of_whole_words_of_the_text(text: str, terms: set[str],
                                                     max_chars: int) -> None:
    result = snippet(text, terms, max_chars)
    assert len(result) <= max_chars
    inner = result.removeprefix(ELLIPSIS).removesuffix(ELLIPSIS)
    collapsed = " ".join(text.split())
    assert (inner == "") == (collapsed == "")
    if len(words_of(inner)) > 1 or len(collapsed) <= max_chars:  # not one word cut short
        assert any(at_word_boundaries(collapsed, at, at + len(inner))
                   for at in occurrences(collapsed, inner))
    # no ellipsis only where nothing was left out
    if not result.startswith(ELLIPSIS):
        assert collapsed.startswith(inner)
    if not result.endswith(ELLIPSIS):
        assert collapsed.endswith(inner)
    if result.startswith(ELLIPSIS) or result.endswith(ELLIPSIS):
        assert len(inner) < len(collapsed)


def occurrences(text: str, piece: str) -> list[int]:
    return [m.start() for m in re.finditer(f"(?={re.escape(piece)})", text)]


def at_word_boundaries(text: str, start: int, end: int) -> bool:
    return ((start == 0 or not (text[start - 1].isalnum() and text[start].isalnum()))
            and (end == len(text) or not (text[end - 1].isalnum() and text[end].isalnum())))


@given(texts(), st.integers(min_value=30, max_value=300))
def test_a_term_in_the_text_is_in_the_snippet(text: str, max_chars: int) -> None:
    result = snippet(text, {"flooding"}, max_chars)
    if "Flooding" in text:
        assert "Flooding" in result


def test_the_densest_cluster_wins_over_the_first_occurrence() -> None:
    text = ("flood " + "filler " * 60 + "rain falls and the flood rises " + "filler " * 60)
    result = snippet(text, {"rain", "flood"}, 60)
    assert "rain falls and the flood rises" in result
    assert result.startswith(ELLIPSIS) and result.endswith(ELLIPSIS)


def test_without_a_term_it_is_the_beginning() -> None:
    text = "First words of the body. " + "More text follows here. " * 20
    result = snippet(text, {"absent"}, 50)
    assert result.startswith("First words of the body.") and result.endswith(ELLIPSIS)
    assert len(result) <= 50


def test_short_texts_are_whole_and_punctuation_stays_attached() -> None:
    assert snippet("Officials said the flooding was severe.", {"flooding"}) == \
        "Officials said the flooding was severe."
    assert snippet("", {"x"}) == ""
    assert snippet("  \n ", {"x"}) == ""


def test_accents_and_case_are_folded() -> None:
    assert fold("São") == "sao" and fold("ÉTÉ") == "ete"
    text = "x " * 200 + "Talks in São Paulo ended. " + "y " * 200
    assert "São Paulo" in snippet(text, {"sao"}, 40)


def test_one_word_longer_than_the_snippet_is_cut() -> None:
    text = "a" * 500
    assert snippet(text, {"a" * 500}, 40) == "a" * 38 + ELLIPSIS


def test_a_budget_too_small_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 10"):
        snippet("text", {"text"}, 5)


def test_whitespace_is_collapsed() -> None:
    result = snippet("Rain\n\nfell   on the\tcity.", {"rain"})
    assert result == "Rain fell on the city."
    assert not re.search(r"\s{2}", result)
