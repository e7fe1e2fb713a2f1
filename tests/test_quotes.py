"""Quote extraction on hand-made mentions (no model): patterns, speakers, offsets."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.entities.canonical import RawMention, Resolved
from transforms.entities.ids import entity_id
from transforms.entities.quotes import extract_quotes
from transforms.records import Entity

PEOPLE = {
    "Erlan Karin": "Erlan Karin", "Karin": "Erlan Karin",
    "Zhou Ming": "Zhou Ming", "Zhou": "Zhou Ming",
    "Aisha Bello": "Aisha Bello", "Bello": "Aisha Bello",
    "Sadyr Japarov": "Sadyr Japarov", "Japarov": "Sadyr Japarov",
}
ORGS = {"Mekong River Commission": "Mekong River Commission", "MRC": "Mekong River Commission"}


def resolved(body: str) -> list[Resolved]:
    """Every occurrence of a known surface is a mention of its canonical entity."""
    out: list[Resolved] = []
    taken: list[tuple[int, int]] = []
    table = [(s, c, "PERSON") for s, c in PEOPLE.items()] + [(s, c, "ORG") for s, c in
                                                             ORGS.items()]
    for surface, canonical, label in sorted(table, key=lambda x: -len(x[0])):
        for m in re.finditer(rf"\b{re.escape(surface)}\b", body):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append(m.span())
            ent = Entity(entity_id(label, canonical), canonical, label)
            out.append(Resolved(RawMention(m.start(), m.end(), label, surface), ent))
    return sorted(out, key=lambda r: r.mention.start)


def sentences(body: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"[^.!?\n]+(?:[.!?]+[”\"]?|$)", body)]


def quotes(body: str) -> list[tuple[str, str]]:
    hits = extract_quotes(body, sentences(body), resolved(body))
    return [(h.speaker.name, body[h.start:h.end]) for h in hits]


def test_direct_quote_then_surname_said() -> None:
    body = ("Kazakh presidential aide Erlan Karin met reporters.\n\n"
            "“The corridor will carry twice as much grain next year,” Karin said.")
    assert quotes(body) == [("Erlan Karin", "The corridor will carry twice as much grain next "
                                            "year")]


def test_said_then_name_with_apposition_and_multi_sentence_quote() -> None:
    body = ('"We started small. Now we ship every week," said Zhou Ming, a fruit trader '
            "from Guangxi.")
    assert quotes(body) == [("Zhou Ming", "We started small. Now we ship every week")]


def test_title_before_speaker_after_quote() -> None:
    body = "“Water levels are unusually low,” MRC chief executive officer Aisha Bello told Xinhua."
    assert quotes(body) == [("Aisha Bello", "Water levels are unusually low")]


def test_indirect_sentence_final_and_verb_first() -> None:
    body = ("Sadyr Japarov opened the plant on Monday.\n\n"
            "The plant will supply power to 40,000 homes, Japarov said.\n\n"
            "Exports of electricity to neighbours will start in spring, said Japarov.")
    assert quotes(body) == [
        ("Sadyr Japarov", "The plant will supply power to 40,000 homes"),
        ("Sadyr Japarov", "Exports of electricity to neighbours will start in spring")]


def test_said_that_with_adverbials_and_apposition() -> None:
    body = ("Aisha Bello, who heads the regional office, said here Tuesday that rainfall "
            "had fallen by a fifth.")
    assert quotes(body) == [("Aisha Bello", "rainfall had fallen by a fifth")]


def test_fronted_clause_before_speaker() -> None:
    body = ("Noting that the river feeds 60 million people, Zhou said the commission "
            "must share data faster.")
    assert quotes(body) == [("Zhou Ming", "the commission must share data faster")]


def test_according_to_an_organisation() -> None:
    body = ("Water levels at the gauge fell to a 10-year low, according to the Mekong River "
            "Commission.\n\nAccording to the MRC, rains should return in June.")
    assert quotes(body) == [
        ("Mekong River Commission", "Water levels at the gauge fell to a 10-year low"),
        ("Mekong River Commission", "rains should return in June")]


def test_pronoun_resolves_to_the_paragraph_subject() -> None:
    body = ("Zhou Ming thanked Aisha Bello for the visit. “The data helps farmers plan,” "
            "he said.")
    assert quotes(body) == [("Zhou Ming", "The data helps farmers plan")]


def test_pronoun_reaches_back_to_the_last_speaker() -> None:
    body = ("Sadyr Japarov said the dam would be finished in 2027.\n\n"
            "Power exports would pay for the loans within a decade, he added.")
    assert [s for s, _ in quotes(body)] == ["Sadyr Japarov", "Sadyr Japarov"]


def test_people_named_inside_a_quote_are_not_the_pronoun() -> None:
    body = ("Aisha Bello runs a clinic in Kano.\n\n"
            "“Sadyr Japarov visited us last year and we learned a lot,” she said.")
    assert quotes(body) == [("Aisha Bello", "Sadyr Japarov visited us last year and we learned "
                                            "a lot")]


def test_age_description_resolves_like_a_pronoun() -> None:
    body = ("Aisha Bello sells mangoes at the market in Kano.\n\n"
            "“Prices doubled this year,” said the 38-year-old trader.")
    assert quotes(body) == [("Aisha Bello", "Prices doubled this year")]


def test_unclear_pronoun_is_skipped() -> None:
    body = ("The ministry published the figures on Monday.\n\n"
            "“We expect more rain in July,” she said.")
    assert quotes(body) == []


def test_unnamed_speakers_and_scare_quotes_are_skipped() -> None:
    body = ('Officials said the "green lane" would open soon. The data showed exports rose '
            "sharply, the researchers said.")
    assert quotes(body) == []


def test_speaker_before_a_quote_with_colon() -> None:
    body = 'Zhou Ming said: "The harvest is the best in ten years."'
    assert quotes(body) == [("Zhou Ming", "The harvest is the best in ten years.")]


def test_told_without_a_clause_is_not_a_quote() -> None:
    assert quotes("Zhou Ming told reporters at the border crossing on Friday.") == []


FRAGMENTS = [
    "Zhou Ming visited the port.", "“Trade is growing fast,” Zhou said.",
    "Bello said the talks went well.", "Rain fell, according to the MRC.",
    "It was cold.", "“Yes,” he said.", "Exports rose 5 percent, Karin said.",
    "Erlan Karin, a senior aide, said costs were falling.", "\n\n",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12))
def test_quote_offsets_are_body_slices(parts: list[str]) -> None:
    body = " ".join(parts)
    hits = extract_quotes(body, sentences(body), resolved(body))
    spans = [(h.start, h.end) for h in hits]
    assert len(spans) == len(set(spans))
    for h in hits:
        assert 0 <= h.start < h.end <= len(body)
        text = body[h.start:h.end]
        assert text == text.strip() and not text.startswith(("“", '"'))
        assert h.speaker.type in ("PERSON", "ORG")


def test_apposition_between_quote_and_verb_and_told_names_the_listener() -> None:
    body = ('"The harvest is better this year," Aisha Bello, a 52-year-old farmer from Kano, '
            "told the Mekong River Commission.")
    assert quotes(body) == [("Aisha Bello", "The harvest is better this year")]
    body = "Prices rose sharply this spring, told the Mekong River Commission."
    assert quotes(body) == []


def test_person_of_an_organisation_is_the_speaker() -> None:
    body = "Erlan Karin of the Mekong River Commission said the river was lower than ever."
    assert quotes(body) == [("Erlan Karin", "the river was lower than ever")]
    body = '"The river is lower than ever," Erlan Karin of the Mekong River Commission said.'
    assert quotes(body) == [("Erlan Karin", "The river is lower than ever")]


def test_organisation_then_which_said() -> None:
    body = ("The meeting is backed by the Mekong River Commission, which said it would use new "
            "timing systems at all its events.")
    assert quotes(body) == [("Mekong River Commission",
                             "it would use new timing systems at all its events")]


def test_told_a_named_listener_then_the_clause() -> None:
    body = ("Zhou Ming, a 38-year-old factory worker, told Xinhua his wages had risen by a third "
            "this year.")
    assert quotes(body) == [("Zhou Ming", "his wages had risen by a third this year")]


def test_the_company_said_is_the_organisation_named_before() -> None:
    body = ("The Mekong River Commission opened a research center on Thursday.\n\n"
            "The center will employ about 120 engineers working on river models, the "
            "commission said.")
    assert quotes(body) == [("Mekong River Commission", "The center will employ about 120 "
                             "engineers working on river models")]
    body = "The center will employ about 120 engineers working on river models, the company said."
    assert quotes(body) == []  # no organisation named: no speaker
