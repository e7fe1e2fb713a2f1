"""transforms.dateline: splitting 'PLACE, Mon. D (Agency) --' off a paragraph."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.dateline import split_dateline

CASES = [
    ("ASTANA, July 3 (Xinhua) -- China and Kazakhstan agreed.", "ASTANA"),
    ("UNITED NATIONS, Sept. 4(Xinhua) -- The secretary-general spoke.", "UNITED NATIONS"),
    ("CANBERRA (Xinhua) -- The central bank held rates.", "CANBERRA"),
    ("HO CHI MINH CITY, Dec. 22 (Xinhua) -- The metro opened.", "HO CHI MINH CITY"),
    ("SANTIAGO, Chile, Jan. 5 (Xinhua) -- Copper prices rose.", "SANTIAGO"),
    ("WASHINGTON, D.C., Nov. 3 (Xinhua) -- Voters queued.", "WASHINGTON"),
    ("ST. PETERSBURG, Russia, June 7 (Xinhua) -- A forum opened.", "ST. PETERSBURG"),
    ("BEIJING, Oct. 1 (Xinhua) \u2014 Crowds gathered.", "BEIJING"),
    ("BEIJING, Oct. 1 (Xinhua) \u2013 Crowds gathered.", "BEIJING"),
    ("BEIJING, Oct. 1 (Xinhua) - Crowds gathered.", "BEIJING"),
    ("BEIJING, Oct. 1 (Xinhua)--Crowds gathered.", "BEIJING"),
    ("BEIJING, Oct. 16, 2024 (Xinhua) -- Crowds gathered.", "BEIJING"),
    ("GENEVA, April 16 (Xinhua) -- Talks ended.", "GENEVA"),
    ("PARIS, Aug. 3 (Xinhua) -- Zheng won.", "PARIS"),
    ("CAIRO, Jan. 7 (Xinhua) -- Revenue rose.", "CAIRO"),
    ("MOSCOW, Feb. 9 (Xinhua) -- Snow fell.", "MOSCOW"),
    ("NAIROBI, March 12 (Xinhua) -- Growers picked tea.", "NAIROBI"),
    ("HOHHOT, May 18 (Xinhua) -- Panels were built.", "HOHHOT"),
    ("KAZAN, June 30 (Xinhua) -- Leaders met.", "KAZAN"),
    ("LHASA, Nov. 2 (Xinhua) -- Pilgrims arrived.", "LHASA"),
    ("JIUQUAN, Nov. 4 (Xinhua) -- The capsule landed.", "JIUQUAN"),
    ("WASHINGTON, Nov. 3 (AP) \u2014 Voters queued.", "WASHINGTON"),
    ("LONDON (Reuters) - Stocks fell.", "LONDON"),
    ("BEIJING, Oct. 1 (Xinhua/Reuters) -- Crowds gathered.", "BEIJING"),
    ("BEIJING/MOSCOW, May 8 (Xinhua) -- Both sides agreed.", "BEIJING/MOSCOW"),
    ("PORT-AU-PRINCE, Sept 3 (Xinhua) -- Aid arrived.", "PORT-AU-PRINCE"),
    ("N'DJAMENA, Aug. 9 (Xinhua) -- Rains came.", "N'DJAMENA"),
    ("S\u00c3O PAULO, Feb. 1 (Xinhua) -- Carnival began.", "S\u00c3O PAULO"),
    ("Rio de Janeiro, March 2 (Xinhua) -- Carnival began.", "Rio de Janeiro"),
    ("KUALA LUMPUR, Oct. 2 \uff08Xinhua\uff09 -- Markets rose.", "KUALA LUMPUR"),
]


@pytest.mark.parametrize(("paragraph", "place"), CASES)
def test_dateline_is_split(paragraph: str, place: str) -> None:
    got_place, rest = split_dateline(paragraph)
    assert got_place == place
    assert rest[0].isupper()
    assert "Xinhua" not in rest and "(" not in rest


def test_rest_is_the_text_after_the_dash() -> None:
    assert split_dateline("ASTANA, July 3 (Xinhua) -- China and Kazakhstan are companions.") == (
        "ASTANA",
        "China and Kazakhstan are companions.",
    )


def test_dateline_alone_leaves_nothing() -> None:
    assert split_dateline("BEIJING, Oct. 1 (Xinhua) --") == ("BEIJING", "")


NOT_DATELINES = [
    "The world economy is growing, but not fast enough.",
    "UNITED NATIONS (UN) officials said on Monday that talks would resume.",
    "Chinese President Xi Jinping (C) attends the ceremony.",
    "Wang Yi (R) - the foreign minister - arrived.",
    "FROM SAND TO SUNSHINE",
    "In Beijing, Oct. 1 is National Day (a holiday) -- and crowds gather.",
    "",
]


@pytest.mark.parametrize("paragraph", NOT_DATELINES)
def test_no_dateline(paragraph: str) -> None:
    assert split_dateline(paragraph) == (None, paragraph)


def test_agency_pattern_is_a_parameter() -> None:
    para = "LONDON (Reuters) - Stocks fell."
    assert split_dateline(para, agency_pattern=r"Xinhua") == (None, para)
    assert split_dateline(para, agency_pattern=r"Reuters")[0] == "LONDON"


@given(st.text(max_size=200))
def test_split_never_loses_or_invents_text(paragraph: str) -> None:
    place, rest = split_dateline(paragraph)
    if place is None:
        assert rest == paragraph
    else:
        assert paragraph.rstrip().endswith(rest.rstrip())
        assert place in paragraph
