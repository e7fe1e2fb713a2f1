"""transforms.cleaning and its helpers (captions, boilerplate): raw paragraphs to clean body."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms import boilerplate
from transforms.captions import caption_credits
from transforms.cleaning import (
    Draft,
    clean_paragraphs,
    clean_title,
    drop_crew_credits,
    drop_header_lines,
    fold_whitespace,
    normalise_whitespace,
    order_fixes,
    repair_text,
    split_blank_lines,
    strip_end_marks,
    take_byline,
    take_captions,
    take_dateline,
    take_editor_lines,
)

NBSP = "\u00a0"

# A scraped article in the shape scrapers produce (own text, Xinhua house style).
SCRAPED = [
    "Source: Xinhua",
    "Editor: huaxia",
    "2023-05-10 18:22:41",
    "Herders ride past a solar farm near Dalad Banner, north China's Inner Mongolia Autonomous "
    "Region, May 9, 2023. (Xinhua/Bai Yun)",
    "HOHHOT, May 10 (Xinhua) -- Herders in the Kubuqi Desert now earn more from the sun than "
    "from their sheep, local officials said Wednesday.",
    "Solar panels cover about 100 square kilometers of former dunes, and grass has returned "
    "under them, said Wu Lan, a local official.",
    "\u00e2\u20ac\u0153The sand used to bury our doors,\u00e2\u20ac\u009d said herder Batu. "
    "\u00e2\u20ac\u0153Now we sell electricity.\u00e2\u20ac\u009d \u00e2\u2013" + NBSP,
]


def test_scraped_article_end_to_end() -> None:
    clean = clean_paragraphs(SCRAPED)
    assert clean.dateline_place == "HOHHOT"
    assert clean.editor == "huaxia"
    assert clean.photo_credits == ("Bai Yun",)
    assert clean.fixes == ("mojibake", "end_mark", "caption")
    assert clean.body == (
        "Herders in the Kubuqi Desert now earn more from the sun than from their sheep, local "
        "officials said Wednesday.\n\n"
        "Solar panels cover about 100 square kilometers of former dunes, and grass has returned "
        "under them, said Wu Lan, a local official.\n\n"
        "\u201cThe sand used to bury our doors,\u201d said herder Batu. "
        "\u201cNow we sell electricity.\u201d"
    )


def test_page_paragraphs_end_to_end() -> None:
    raw = [
        "Workers check wind turbines in Jiuquan, Gansu Province, March 2, 2024. "
        "(Photo by Chen Bin/Xinhua)",
        "JIUQUAN, March 3 (Xinhua) -- A new wind farm started operating on Sunday.",
        NBSP,
        "FROM DESERT TO GRID",
        "The farm will supply power to cities in central China.",
        "Engineers check a turbine, March 1, 2024. (Photo: Xinhua)",
        "The project cost 2 billion yuan. Enditem",
        "(Video reporters: Lin Bo, Chen Bin; video editors: Han Xue)",
        "[Editor: Li Yan]",
    ]
    clean = clean_paragraphs(raw)
    assert clean.body.split("\n\n") == [
        "A new wind farm started operating on Sunday.",
        "FROM DESERT TO GRID",
        "The farm will supply power to cities in central China.",
        "The project cost 2 billion yuan.",
    ]
    assert clean.dateline_place == "JIUQUAN"
    assert clean.photo_credits == ("Chen Bin",)
    assert clean.editor == "Li Yan"
    assert clean.fixes == ("end_mark", "caption")


def test_commentary_without_dateline() -> None:
    raw = ["Open markets help everyone.", "Protectionism helps nobody. \u25a0"]
    clean = clean_paragraphs(raw)
    assert clean.dateline_place is None
    assert clean.body == "Open markets help everyone.\n\nProtectionism helps nobody."
    assert clean.fixes == ("end_mark",)


def test_empty_input() -> None:
    clean = clean_paragraphs([])
    assert (clean.body, clean.dateline_place, clean.photo_credits, clean.editor, clean.fixes) == (
        "", None, (), None, ())


# ---------------------------------------------------------------- steps one by one


def draft(*paragraphs: str) -> Draft:
    return Draft(paragraphs=paragraphs)


def test_normalise_whitespace() -> None:
    assert normalise_whitespace(f"  a{NBSP}b \t c\u200b\nd  ") == "a b c d"
    assert normalise_whitespace("\u3000") == ""


def test_split_blank_lines() -> None:
    assert split_blank_lines(draft("a\n\nb", "c\nd")).paragraphs == ("a", "b", "c\nd")


def test_repair_text_records_mojibake_only_when_repaired() -> None:
    assert repair_text(draft("Kenya\u00e2\u20ac\u2122s")).fixes == {"mojibake"}
    assert repair_text(draft("Kenya\u2019s")).fixes == frozenset()


def test_fold_whitespace_drops_empty_paragraphs() -> None:
    assert fold_whitespace(draft(" a ", NBSP, "", "b")).paragraphs == ("a", "b")


def test_drop_header_lines() -> None:
    d = drop_header_lines(draft(
        "Source: Xinhua", "2024-07-03 21:51:30", "Editor: huaxia", "Body text here.",
        "Source: National Bureau of Statistics", "Xinhua | 2024-07-03 21:51:30",
    ))
    # 'Source: ...' further down can be body; the agency's own line and timestamps never are.
    assert d.paragraphs == ("Editor: huaxia", "Body text here.",
                            "Source: National Bureau of Statistics")


def test_take_editor_lines() -> None:
    d = take_editor_lines(draft("Body. [Editor: Zhou Xin]", "More body.", "Editor: huaxia"))
    assert d.paragraphs == ("Body.", "More body.")
    assert d.editor == "Zhou Xin"


def test_editor_after_an_end_mark_in_the_same_paragraph() -> None:
    d = take_editor_lines(draft("Body.", "Last words. \u25a0 Editor: huaxia"))
    assert d.paragraphs == ("Body.", "Last words. \u25a0")
    assert d.editor == "huaxia"


def test_editors_note_is_body() -> None:
    d = take_editor_lines(draft("Editor's note: This is the second of a series."))
    assert d.paragraphs == ("Editor's note: This is the second of a series.",)
    assert d.editor is None


def test_drop_crew_credits() -> None:
    d = drop_crew_credits(draft("Body.", "(Video reporters: A B; video editors: C D)",
                                "(Reporting by A; Editing by B)"))
    assert d.paragraphs == ("Body.",)


def test_take_captions() -> None:
    d = take_captions(draft(
        "A caption, Oct. 1, 2024. (Xinhua/Li Gang)", "Body text.", "Another. (Photo: Xinhua)",
        "More body.", "A third. (Xinhua/Li Gang, Bei He)",
    ))
    assert d.paragraphs == ("Body text.", "More body.")
    assert d.photo_credits == ("Li Gang", "Bei He")
    assert d.fixes == {"caption"}


def test_strip_end_marks() -> None:
    assert strip_end_marks(draft("a", "b \u25a0")).paragraphs == ("a", "b")
    assert strip_end_marks(draft("a", "b", "\u25a0")).paragraphs == ("a", "b")
    assert strip_end_marks(draft("a.Enditem")).paragraphs == ("a.",)
    assert strip_end_marks(draft("a. (End)")).paragraphs == ("a.",)
    assert strip_end_marks(draft("a \u25a0 \u25a0")).paragraphs == ("a",)
    assert strip_end_marks(draft("the \u25a0 symbol", "end")).fixes == frozenset()


def test_take_dateline_from_first_paragraph() -> None:
    d = take_dateline(draft("BEIJING, Oct. 1 (Xinhua) -- Text.", "More."))
    assert (d.paragraphs, d.dateline_place) == (("Text.", "More."), "BEIJING")


def test_take_dateline_after_a_byline() -> None:
    d = take_dateline(draft("by Xinhua writers Li Gang, Wang Xi", "BEIJING, Oct. 1 (Xinhua) -- T."))
    assert (d.paragraphs, d.dateline_place) == (("by Xinhua writers Li Gang, Wang Xi", "T."),
                                                "BEIJING")


def test_take_byline_before_the_dateline() -> None:
    d = take_byline(draft("By Xinhua writers Li Gang, Wang Xi", "BEIJING, Oct. 1 (Xinhua) -- T."))
    assert d.paragraphs == ("BEIJING, Oct. 1 (Xinhua) -- T.",)
    assert d.authors == ("Li Gang", "Wang Xi")
    assert d.fixes == {"byline"}


def test_take_byline_leaves_prose_and_a_second_byline() -> None:
    prose = draft("By 2030, China aims to double its capacity.", "BEIJING, Oct. 1 (Xinhua) -- T.")
    assert take_byline(prose) == prose
    taken = replace(draft("by Xinhua reporter Li Gang", "T."), authors=("Wang Xi",))
    assert take_byline(taken) == taken  # one byline per article


def test_byline_in_the_pipeline_before_or_after_the_dateline() -> None:
    rest = ["The port opened on Monday.", "Trade grew."]
    for raw in (["by Xinhua writer Wang Jun", "BEIJING, Oct. 1 (Xinhua) --", *rest],
                ["BEIJING, Oct. 1 (Xinhua) --", "by Xinhua writer Wang Jun", *rest],
                ["by Xinhua writer Wang Jun BEIJING, Oct. 1 (Xinhua) -- " + rest[0], rest[1]],
                ["By Wang Jun", "BEIJING, Oct. 1 (Xinhua) -- " + rest[0], rest[1]]):
        clean = clean_paragraphs(raw)
        assert (clean.body, clean.dateline_place, clean.authors, clean.fixes) == (
            "\n\n".join(rest), "BEIJING", ("Wang Jun",), ("byline",)), raw


def test_byline_fix_comes_last_in_fix_order() -> None:
    clean = clean_paragraphs(["By Xinhua writer Li Gang", "A ship. (Xinhua/Bei He)",
                              "BEIJING, Oct. 1 (Xinhua) -- Text here. \u25a0"])
    assert clean.fixes == ("end_mark", "caption", "byline")
    assert clean.body == "Text here."


def test_dateline_is_not_taken_from_deep_in_the_body() -> None:
    d = draft("A long first paragraph that is a sentence.", "BEIJING, Oct. 1 (Xinhua) -- T.")
    assert take_dateline(d) == d


def test_order_fixes() -> None:
    assert order_fixes(["caption", "mojibake", "caption", "end_mark"]) == (
        "mojibake", "end_mark", "caption")
    assert order_fixes({"zz", "encoding"}) == ("encoding", "zz")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Update: Astronauts return - Xinhua | English.news.cn", "Update: Astronauts return"),
        ("  Feature:\u00a0Tea  growers ", "Feature: Tea growers"),
        ("Kenya\u00e2\u20ac\u2122s tea", "Kenya\u2019s tea"),
        ("", None),
        (None, None),
    ],
)
def test_clean_title(title: str | None, expected: str | None) -> None:
    suffix = re.compile(r"\s*-\s*Xinhua \| English\.news\.cn$")
    assert clean_title(title, suffix) == expected


# ---------------------------------------------------------------- captions and boilerplate

CAPTIONS = [
    ("Xi meets Tokayev in Astana, July 3, 2024. (Xinhua/Zhai Jianlan)", ("Zhai Jianlan",)),
    ("Astronauts wave. (Xinhua/Li Gang, Bei He)", ("Li Gang", "Bei He")),
    ("Astronauts wave. (Xinhua/Li Gang and Bei He)", ("Li Gang", "Bei He")),
    ("Panels in the desert. (Photo by Peng Yuan/Xinhua)", ("Peng Yuan",)),
    ("Panels. (Photo by Peng Yuan and Lian Zhen/Xinhua)", ("Peng Yuan", "Lian Zhen")),
    ("The bank's headquarters. (Photo: Xinhua)", ()),
    ("Lunar samples. (CNSA/Handout via Xinhua)", ()),
    ("Lanterns at the show (\u81ea\u8d21\u706f\u4f1a). (Xinhua/Wang Xi)", ("Wang Xi",)),
    ("Lanterns.\uff08Xinhua/Wang Xi\uff09", ("Wang Xi",)),
    ("A ship in the canal, Jan. 5, 2020. (Xinhua/Ahmed Gomaa).", ("Ahmed Gomaa",)),
    ("A ship. (Xinhua photo/Ahmed Gomaa)", ("Ahmed Gomaa",)),
    ("A view of the city, Oct. 3, 2024. (Xinhua)", ()),
    ("File photo shows the port. (Xinhua)", ()),
    ("A ship. (AFP/Xinhua)", ()),
    ("A ship. (Photo by Xinhua)", ()),
]


@pytest.mark.parametrize(("paragraph", "names"), CAPTIONS)
def test_caption_credits(paragraph: str, names: tuple[str, ...]) -> None:
    assert caption_credits(paragraph) == names


@pytest.mark.parametrize(
    "paragraph",
    [
        "China supports Kazakhstan, Xi said.",
        "The agency reported the figures (Xinhua).",
        "The group includes the Shanghai Cooperation Organization (SCO).",
        "Prices rose 3 percent (year on year).",
    ],
)
def test_not_captions(paragraph: str) -> None:
    assert caption_credits(paragraph) is None


def test_caption_agencies_are_a_parameter() -> None:
    assert caption_credits("A view. (Reuters/Jane Doe)", agencies=("Reuters",)) == ("Jane Doe",)
    assert caption_credits("A view. (Reuters/Jane Doe)") is None


@pytest.mark.parametrize(
    ("line", "name"),
    [("Editor: huaxia", "huaxia"), ("[Editor: Zhang Dan]", "Zhang Dan"),
     ("(Editor: Liu Hui)", "Liu Hui"), ("Web editor: Sun Mei", "Sun Mei"),
     ("Editor's note: a series.", None), ("The editor said so.", None)],
)
def test_editor_line(line: str, name: str | None) -> None:
    assert boilerplate.editor_line(line) == name


def test_find_editor_in_a_tag_block() -> None:
    assert boilerplate.find_editor("[Error Correction] [Editor: Mu Xuequan]") == "Mu Xuequan"
    assert boilerplate.find_editor("[Error Correction]") is None


@pytest.mark.parametrize(
    ("line", "source"),
    [("Source: Xinhua", "Xinhua"), ("Source: Xinhua|", "Xinhua"),
     ("Source: Xinhua| 2018-09-12 19:08:55", "Xinhua"), ("Xinhua", None)],
)
def test_source_line(line: str, source: str | None) -> None:
    assert boilerplate.source_line(line) == source


# ---------------------------------------------------------------- properties

SENTENCES = [
    "China's exports grew 5.3 percent in the first three quarters.",
    "\u201cWe are ready to work together,\u201d Li said.",
    "The two sides signed 30 cooperation documents.",
    "FROM SAND TO SUNSHINE",
    "S\u00e3o Paulo and Z\u00fcrich were among the cities on the list.",
    "Prices rose 3 percent (year on year), the data showed.",
    "The symbol \u25a0 is printed on the lantern.",
    "Tourists visit the \u81ea\u8d21 lantern show.",
    "Bao earns about 5,000 yuan a month \u2014 more than before.",
]
body_paragraphs = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=8)
junk = st.sampled_from([
    "Source: Xinhua", "Editor: huaxia", "[Editor: Zhou Xin]", "2024-07-03 21:51:30", "", NBSP,
    "A view of the port, Oct. 3, 2024. (Xinhua/Li Gang)", "The bank. (Photo: Xinhua)",
    "(Video reporters: A B; video editors: C D)", "\u25a0",
])


@st.composite
def raw_articles(draw: st.DrawFn) -> list[str]:
    body = draw(body_paragraphs)
    if draw(st.booleans()):
        body[0] = "BEIJING, Oct. 1 (Xinhua) -- " + body[0]
    end = draw(st.sampled_from(["", " \u25a0", " Enditem", " \u00e2\u2013" + NBSP]))
    body[-1] = body[-1] + end
    paragraphs = draw(st.lists(junk, max_size=3)) + body + draw(st.lists(junk, max_size=3))
    return [draw(st.sampled_from([p, p.replace(" ", NBSP, 1), f"  {p} "])) for p in paragraphs]


@given(raw_articles())
def test_cleaning_is_idempotent(raw: list[str]) -> None:
    once = clean_paragraphs(raw)
    twice = clean_paragraphs(once.body.split("\n\n"))
    assert twice.body == once.body
    assert twice.dateline_place is None and twice.photo_credits == () and twice.editor is None
    assert twice.fixes == () and twice.authors == ()


@given(raw_articles())
def test_clean_body_has_no_boilerplate(raw: list[str]) -> None:
    body = clean_paragraphs(raw).body
    assert "Editor:" not in body and "(Xinhua/" not in body and "\u00e2" not in body
    assert "Source: Xinhua" not in body and "Video reporters" not in body
    assert not body.endswith(("\u25a0", "Enditem"))


@given(body_paragraphs)
def test_fault_free_text_passes_unchanged(paragraphs: list[str]) -> None:
    clean = clean_paragraphs(paragraphs)
    assert clean.body == "\n\n".join(paragraphs)
    assert clean.fixes == () and clean.authors == ()
