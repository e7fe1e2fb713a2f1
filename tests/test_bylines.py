"""transforms.bylines: which opening paragraphs are bylines, and the names they give."""

from __future__ import annotations

import pytest

from transforms.bylines import Byline, read_byline, split_names

DATELINE = "BEIJING, July 3 (Xinhua) -- China said on Monday it would open more ports."


@pytest.mark.parametrize(("paragraph", "names"), [
    ("By Xinhua writers Liu Fang, Chen Bo and Wang Jun", ("Liu Fang", "Chen Bo", "Wang Jun")),
    ("by Xinhua reporter Li Ming", ("Li Ming",)),
    ("By Xinhua Writer Zhao Yi & Sun Lei", ("Zhao Yi", "Sun Lei")),
    ("Xinhua writers Liu Fang, Chen Bo", ("Liu Fang", "Chen Bo")),
    ("by Xinhua correspondents Ana Ruiz in Madrid and Chen Bo in Moscow", ("Ana Ruiz", "Chen Bo")),
    ("By staff correspondent Jane Doe", ("Jane Doe",)),
    ("By Xinhua chief reporter: Gu Xin.", ("Gu Xin",)),
    ("By Xinhua writer Pieter van Aalst", ("Pieter van Aalst",)),
    ("by Xinhua writers Li Gang, Li Gang", ("Li Gang",)),
    ("By Xinhua reporter June Wang", ("June Wang",)),
])
def test_bylines_with_a_role_word(paragraph: str, names: tuple[str, ...]) -> None:
    assert read_byline(paragraph) == Byline(names, "")
    assert read_byline(paragraph, next_paragraph=DATELINE) == Byline(names, "")


@pytest.mark.parametrize(("paragraph", "names"), [
    ("By Liu Fang, Chen Bo", ("Liu Fang", "Chen Bo")),
    ("By INGRID HALVORSEN AND TOMAS ACHEBE-LUND", ("Ingrid Halvorsen", "Tomas Achebe-Lund")),
    ("by Wang Jun", ("Wang Jun",)),
])
def test_bare_names_are_a_byline_only_before_a_dateline(paragraph: str,
                                                        names: tuple[str, ...]) -> None:
    assert read_byline(paragraph, next_paragraph=DATELINE) == Byline(names, "")
    assert read_byline(paragraph, next_paragraph="The port opened on Monday.") is None
    assert read_byline(paragraph) is None


def test_a_byline_run_into_the_dateline_keeps_the_dateline() -> None:
    got = read_byline("by Xinhua writer Wang Jun " + DATELINE)
    assert got == Byline(("Wang Jun",), DATELINE)
    got = read_byline("By Xinhua writers Liu Fang, Chen Bo " + DATELINE)
    assert got == Byline(("Liu Fang", "Chen Bo"), DATELINE)


def test_an_upper_case_byline_run_into_the_dateline_is_left_alone() -> None:
    # 'WANG JUN BEIJING': nothing tells where the names end and the place begins
    assert read_byline("by Xinhua writer WANG JUN " + DATELINE) is None


@pytest.mark.parametrize("paragraph", [
    "By 2030, China aims to peak its carbon emissions.",
    "By contrast, exports fell 3 percent.",
    "By the end of the year, output rose.",
    "By Monday, officials had left the city.",
    "By The Numbers",
    "By Land And Sea",
    "By Tuesday",
    "By 2030",
    "Xinhua reporters found that prices rose in March.",
    "Xinhua reporter Li Ming was injured in the blast on Friday.",
    "Reporter Li Ming",
    "By Xinhua reporters in Beijing",
    "By signing up, you agree to our Terms of Use.",
    "By Liu Fang, Chen Bo, Wang Jun, Zhao Yi, Sun Lei, Gu Xin and Li Gang",
    "Writers Liu Fang, Chen Bo",
])
def test_prose_starting_with_by_is_not_a_byline(paragraph: str) -> None:
    assert read_byline(paragraph, next_paragraph=DATELINE) is None


def test_split_names() -> None:
    assert split_names("Liu Fang, Chen Bo and Wang Jun") == ("Liu Fang", "Chen Bo", "Wang Jun")
    assert split_names("Liu Fang; Chen Bo & Wang Jun") == ("Liu Fang", "Chen Bo", "Wang Jun")
    assert split_names("Liu Fang, 2030") is None
    assert split_names("Liu Fang, the mayor") is None
    assert split_names("") is None
    assert split_names("May Li") is None and split_names("May Li", bare=False) == ("May Li",)
