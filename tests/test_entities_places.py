"""The issue-16 entity rules on hand-made sentences: places the model tags PERSON or ORG, tech
acronyms, regional demonyms, the agency as a source, long names. The model is replaced by a blank
tokenizer and labels given by hand, as the small model gives them."""

from __future__ import annotations

import re

import pytest
import spacy

from transforms.entities import demonyms, fixups, gazetteer
from transforms.entities.canonical import RawMention, resolve

# ------------------------------------------------------------ the labelled relabel list
# (sentence, span, label the model gives it, is it really a place?). Half are places the model
# tags PERSON/ORG; half are people and organisations that carry a place's name. The rule must
# relabel the first half to GPE and leave every one of the second half alone.
RELABEL_CASES: list[tuple[str, str, str, bool]] = [
    ("The new smelter in Aktobe will employ 900 workers.", "Aktobe", "ORG", True),
    ("Tourists flocked to Tarragona over the long weekend.", "Tarragona", "PERSON", True),
    ("Floods hit Kericho and nearby villages on Monday.", "Kericho", "PERSON", True),
    ("Aktobe Region reported a record wheat harvest.", "Aktobe Region", "ORG", True),
    ("Exports from Port Harcourt rose by 8 percent.", "Port Harcourt", "ORG", True),
    ("Farmers near Mendoza expect a smaller grape crop.", "Mendoza", "PERSON", True),
    ("The railway links Kostanay with the border crossing.", "Kostanay", "PERSON", True),
    ("Shymkent hosted the regional trade fair this year.", "Shymkent", "PERSON", True),
    ("Residents of Gwangju voted on Wednesday.", "Gwangju", "ORG", True),
    ("A new bridge will connect Nampula to the coast.", "Nampula", "PERSON", True),
    ("Heavy snow closed roads around Erzurum.", "Erzurum", "ORG", True),
    ("Kisii is known for its soapstone carvings.", "Kisii", "PERSON", True),
    ("Officials in Tangier said the port would expand.", "Tangier", "ORG", True),
    ("Trade between Pavlodar and Omsk grew last year.", "Pavlodar", "PERSON", True),
    ("Cocoa prices rose in Kumasi markets.", "Kumasi", "ORG", True),
    ("The earthquake struck near Malatya early on Monday.", "Malatya", "PERSON", True),
    ("Solar farms around Ouarzazate supply power to the grid.", "Ouarzazate", "ORG", True),
    ("Tea from Nuwara Eliya is sold worldwide.", "Nuwara Eliya", "PERSON", True),
    ("Flights to Cebu resumed after the typhoon.", "Cebu", "PERSON", True),
    ("Water levels in Bago fell sharply.", "Bago", "ORG", True),
    ("Herders in Khovd moved their flocks south.", "Khovd", "PERSON", True),
    ("The company opened a factory in Pune last month.", "Pune", "ORG", True),
    ("Kericho, a town in western Kenya, grows tea.", "Kericho", "PERSON", True),
    ("Pakse lies on the Mekong River.", "Pakse", "PERSON", True),
    ("Flights to Sofia resumed on Monday.", "Sofia", "PERSON", True),
    ("Mr Preston said the plan was sound.", "Preston", "PERSON", False),
    ("Garcia said the talks would resume on Friday.", "Garcia", "PERSON", False),
    ("Torres, 34, has worked on the farm for a decade.", "Torres", "PERSON", False),
    ("Brazilian club Santos signed the young striker.", "Santos", "ORG", False),
    ("Shanghai Shenhua beat Tottenham 2-1 on Saturday.", "Tottenham", "PERSON", False),
    ("Aston Villa drew with Burnley at home.", "Burnley", "ORG", False),
    ("Watford lost 3-0 on Sunday.", "Watford", "ORG", False),
    ("Japanese carmaker Toyota raised its forecast.", "Toyota", "ORG", False),
    ("Nokia shares rose 4 percent on Tuesday.", "Nokia", "ORG", False),
    ("Hitachi said it would cut costs.", "Hitachi", "ORG", False),
    ("Florence said she would return next year.", "Florence", "PERSON", False),
    ("Governor Medina opened the new school.", "Medina", "PERSON", False),
    ("Mendoza, who chairs the committee, spoke first.", "Mendoza", "PERSON", False),
    ("Dr. Castro examined the patients.", "Castro", "PERSON", False),
    ("Sofia told reporters she was proud.", "Sofia", "PERSON", False),
    ("Paris said the team deserved the win.", "Paris", "PERSON", False),
    ("Chelsea signed a new goalkeeper.", "Chelsea", "ORG", False),
    ("Lincoln met Jackson at the summit.", "Jackson", "PERSON", False),
    ("FC Aktobe won the league title.", "Aktobe", "ORG", False),
    ("Leeds beat Hull on penalties.", "Leeds", "ORG", False),
    ("Castro, a farmer in the valley, grows rice.", "Castro", "PERSON", False),
    ("Tata said the new plant would open in June.", "Tata", "ORG", False),
    ("Automaker Dongfeng sold more cars abroad.", "Dongfeng", "ORG", False),
    ("Santiago wants to study medicine in Madrid.", "Santiago", "PERSON", False),
    ("Lima, 29, works as a nurse in the capital.", "Lima", "PERSON", False),
]


@pytest.fixture(scope="module")
def blank() -> spacy.Language:
    return spacy.blank("en")


def fixed(nlp: spacy.Language, text: str, ents: list[tuple[str, str]]) -> list[tuple[str, str]]:
    doc = nlp(text)
    spans = []
    for surface, label in ents:
        m = re.search(re.escape(surface), text)
        spans.append(doc.char_span(m.start(), m.end(), label=label))
    doc.set_ents(spans)
    return [(e.text, e.label_) for e in fixups.agency_fixups(doc).ents]


def relabel_counts(nlp: spacy.Language) -> tuple[int, int, int, list[str]]:
    """(right relabels, false relabels, missed places, the sentences that went wrong)."""
    tp = fp = fn = 0
    wrong = []
    for text, span, label, is_place in RELABEL_CASES:
        got = dict(fixed(nlp, text, [(span, label)])).get(span)
        relabelled = got == "GPE"
        tp += relabelled and is_place
        fp += relabelled and not is_place
        fn += is_place and not relabelled
        if relabelled != is_place:
            wrong.append(f"{text} -> {got}")
    return tp, fp, fn, wrong


def test_relabel_list_is_balanced() -> None:
    places = sum(c[3] for c in RELABEL_CASES)
    assert len(RELABEL_CASES) >= 40 and places == len(RELABEL_CASES) - places


def test_no_false_relabels_and_places_found(blank: spacy.Language) -> None:
    tp, fp, fn, wrong = relabel_counts(blank)
    print(f"relabel precision {tp / (tp + fp):.3f} recall {tp / (tp + fn):.3f} "
          f"({tp} right, {fp} false, {fn} missed of {len(RELABEL_CASES)})")
    assert fp == 0, wrong
    assert fn == 0, wrong


def test_place_relabel_keeps_the_other_spans(blank: spacy.Language) -> None:
    text = "Kazakh officials in Aktobe met Maria Lopez."
    assert fixed(blank, text, [("Kazakh", "NORP"), ("Aktobe", "ORG"),
                               ("Maria Lopez", "PERSON")]) == [
        ("Kazakh", "NORP"), ("Aktobe", "GPE"), ("Maria Lopez", "PERSON")]


# ------------------------------------------------------------ the gazetteer itself

def test_gazetteer_knows_towns_and_leaves_out_names_words_and_countries() -> None:
    assert gazetteer.place_code("Aktobe") == "KZ"
    assert gazetteer.place_code("TARRAGONA") == "ES"  # folded: case
    assert gazetteer.place_code("Malatya") == "TR"
    for word in ("Sofia", "Santiago", "Jackson", "Chelsea", "Lincoln", "Mobile", "Reading",
                 "Kazakhstan", "Georgia", "Xinhua", "Wang", "Li"):
        assert gazetteer.place_code(word) is None, word
    dropped = gazetteer.index().dropped
    assert dropped["given name or Chinese surname"] > 100
    assert dropped["common English word"] > 100
    assert dropped["country or demonym"] > 10


def test_gazetteer_is_built_once() -> None:
    assert gazetteer.index() is gazetteer.index()
    assert len(gazetteer.index().places) > 20_000


def test_subdivision_names_are_cleaned() -> None:
    assert gazetteer._subdivision_names("Tarragona [Tarragona]") == ["Tarragona", "Tarragona"]
    assert gazetteer._subdivision_names("Aqtöbe oblysy") == ["Aqtöbe"]
    assert gazetteer._subdivision_names("Madrid, Comunidad de") == []


# ------------------------------------------------------------ tech acronyms

@pytest.mark.parametrize("term,label", [("AI", "ORG"), ("IoT", "ORG"), ("NEV", "ORG"),
                                        ("EV", "ORG"), ("GDP", "ORG"), ("AI", "GPE"),
                                        ("3D", "ORG"), ("EVs", "ORG"), ("R&D", "ORG")])
def test_tech_acronyms_are_not_entities(blank: spacy.Language, term: str, label: str) -> None:
    text = f"Spending on {term} rose, the WHO said."
    assert fixed(blank, text, [(term, label), ("WHO", "ORG")]) == [("WHO", "ORG")]


def test_digit_letter_shape_and_org_acronyms(blank: spacy.Language) -> None:
    text = "The 6G trials and the G20 summit in Kazan."
    assert fixed(blank, text, [("6G", "ORG"), ("G20", "ORG")]) == [("G20", "ORG")]


def test_acronym_defined_for_a_name_stays(blank: spacy.Language) -> None:
    text = "Amnesty International (AI) said so."
    assert fixed(blank, text, [("Amnesty International", "ORG"), ("AI", "ORG")]) == [
        ("Amnesty International", "ORG"), ("AI", "ORG")]


# ------------------------------------------------------------ regional demonyms

@pytest.mark.parametrize("phrase,label", [("Southeast Asian", "PERSON"),
                                          ("Latin American", "PERSON"),
                                          ("Sub-Saharan African", "ORG"),
                                          ("Middle Eastern", "PERSON"), ("Arabs", "PERSON"),
                                          ("Central Asian", "NORP")])
def test_regional_demonyms_are_norp(blank: spacy.Language, phrase: str, label: str) -> None:
    assert fixed(blank, f"{phrase} traders gathered.", [(phrase, label)]) == [(phrase, "NORP")]


def test_demonym_phrase_shapes() -> None:
    assert demonyms.is_demonym_phrase("South American")
    assert not demonyms.is_demonym_phrase("South Pacific")
    assert not demonyms.is_demonym_phrase("Asian Games")
    assert not demonyms.is_demonym_phrase("Sun Tiantian")


def test_name_that_looks_like_a_nationality_is_still_a_person(blank: spacy.Language) -> None:
    assert fixed(blank, "Sun Tiantian won.", [("Sun Tiantian", "NORP")]) == [
        ("Sun Tiantian", "PERSON")]


# ------------------------------------------------------------ the agency as a source

def test_agency_named_in_the_body_is_an_org(blank: spacy.Language) -> None:
    for text, label in [("The farmer told Xinhua the crop was good.", "PERSON"),
                        ("Xinhua learned from the ministry that work began.", "ORG")]:
        assert fixed(blank, text, [("Xinhua", label)]) == [("Xinhua", "ORG")]


@pytest.mark.parametrize("text", [
    "BEIJING, May 2 (Xinhua) -- The talks opened.",
    "Workers inspect the line. (Photo by Li Gang/Xinhua)",
    "A view of the port (Xinhua/Zhai Jianlan)",
    "LONDON (AFP) -- Prices rose.",
    "The lander on the moon. (CNSA/Handout via Xinhua)",
    "Visitors at the fair. (Photo: Xinhua)",
])
def test_agency_credits_are_no_mentions(blank: spacy.Language, text: str) -> None:
    agency = "AFP" if "AFP" in text else "Xinhua"
    assert fixed(blank, text, [(agency, "ORG")]) == []


def test_agency_canonical_name() -> None:
    body = "Xinhua News Agency reported it first. Later, Xinhua learned more."
    ms = [RawMention(0, 19, "ORG", "Xinhua News Agency"), RawMention(45, 51, "ORG", "Xinhua")]
    assert {r.entity.name for r in resolve(body, ms)} == {"Xinhua"}


# ------------------------------------------------------------ long names

def test_long_name_cut_in_two_is_one_person(blank: spacy.Language) -> None:
    text = "Maria Elena Torres Vidal, director of the institute, spoke."
    for second in ("ORG", "GPE", "PERSON"):
        assert fixed(blank, text, [("Maria Elena", "PERSON"), ("Torres Vidal", second)]) == [
            ("Maria Elena Torres Vidal", "PERSON")]
    assert fixed(blank, text, [("Maria Elena Torres", "PERSON"), ("Vidal", "ORG")]) == [
        ("Maria Elena Torres Vidal", "PERSON")]


def test_given_name_left_out_by_the_model_joins(blank: spacy.Language) -> None:
    text = "Ana Lucia Fernandez Ortega told reporters the dam was safe."
    assert fixed(blank, text, [("Lucia Fernandez Ortega", "PERSON")]) == [
        ("Ana Lucia Fernandez Ortega", "PERSON")]


def test_adjacent_spans_that_are_not_one_name_stay_apart(blank: spacy.Language) -> None:
    assert fixed(blank, "Kazakh Tokayev spoke.", [("Kazakh", "NORP"), ("Tokayev", "PERSON")]) \
        == [("Kazakh", "NORP"), ("Tokayev", "PERSON")]
    assert fixed(blank, "Shanghai Shenhua won.", [("Shanghai", "GPE"), ("Shenhua", "PERSON")]) \
        == [("Shanghai", "GPE"), ("Shenhua", "PERSON")]
    assert fixed(blank, "In Beijing, Li Qiang spoke.", [("Beijing", "GPE"),
                                                        ("Li Qiang", "PERSON")]) == [
        ("Beijing", "GPE"), ("Li Qiang", "PERSON")]


def test_any_word_of_a_long_name_resolves_to_it() -> None:
    body = ("Maria Elena Torres Vidal opened the lab. Torres said it cost more. "
            "Vidal said funding was short. According to Vidal, it will open in May.")
    ms = [RawMention(0, 24, "PERSON", "Maria Elena Torres Vidal"),
          RawMention(body.index("Vidal said"), body.index("Vidal said") + 5, "ORG", "Vidal")]
    res = resolve(body, ms)
    assert {r.entity.name for r in res} == {"Maria Elena Torres Vidal"}
    # 'Torres' and the second 'Vidal' were untagged: they are mentions of her too
    assert sorted(r.mention.text for r in res) == [
        "Maria Elena Torres Vidal", "Torres", "Vidal", "Vidal"]


def test_part_of_a_long_name_under_any_label_resolves_to_it() -> None:
    body = "Maria Elena Torres Vidal spoke. \"It is a great day,\" Torres Vidal said."
    s = body.index("Torres Vidal said")
    ms = [RawMention(0, 24, "PERSON", "Maria Elena Torres Vidal"),
          RawMention(s, s + 12, "WORK_OF_ART", "Torres Vidal")]
    assert [(r.entity.type, r.entity.name) for r in resolve(body, ms)] == [
        ("PERSON", "Maria Elena Torres Vidal")] * 2


def test_lone_word_tagged_person_and_org_is_one_org() -> None:
    body = "Santos beat Flamengo on Sunday. Santos coach Fabio Carille was pleased."
    ms = [RawMention(0, 6, "PERSON", "Santos"), RawMention(32, 38, "ORG", "Santos"),
          RawMention(45, 58, "PERSON", "Fabio Carille")]
    assert {(r.entity.type, r.entity.name) for r in resolve(body, ms)} == {
        ("ORG", "Santos"), ("PERSON", "Fabio Carille")}


def test_place_names_fold_letters_nfkd_keeps() -> None:
    assert gazetteer.place_code("Adiyaman") == gazetteer.place_code("Adıyaman") == "TR"


@pytest.mark.parametrize("text,name", [
    ("Olumide Adeyemi Bakare, an economist at the university, said so.", "Olumide Adeyemi Bakare"),
    ("Olusegun Okonkwo-Eze, a farmer in Enugu, said yields improved.", "Olusegun Okonkwo-Eze"),
    ("Ana Ruiz Pardo, who runs a bakery, said prices rose.", "Ana Ruiz Pardo"),
    ("Kwame Mensah Boateng, 45, said the road helped.", "Kwame Mensah Boateng"),
])
def test_full_name_described_as_a_person_is_a_person(blank: spacy.Language, text: str,
                                                     name: str) -> None:
    assert fixed(blank, text, [(name, "ORG")])[0] == (name, "PERSON")


@pytest.mark.parametrize("text,name", [
    ("Goldman Sachs, an investment bank, said so.", "Goldman Sachs"),
    ("Kenya Airways, the national carrier, said flights resumed.", "Kenya Airways"),
    ("Shanghai Shenhua, the club, said the coach stays.", "Shanghai Shenhua"),
    ("Morgan Stanley said profits rose.", "Morgan Stanley"),
])
def test_organisations_stay_organisations(blank: spacy.Language, text: str, name: str) -> None:
    assert fixed(blank, text, [(name, "ORG")])[0] == (name, "ORG")


@pytest.mark.parametrize("text,ents,kept", [
    ("By Li Gang\n\nThe port grew.", [("Li Gang", "PERSON")], []),
    ("By Xinhua writers Li Gang and Zhou Mei\n\nThe port grew.",
     [("Xinhua", "ORG"), ("Li Gang", "PERSON"), ("Zhou Mei", "PERSON")], []),
    ("By Monday, Li Gang had left.", [("Li Gang", "PERSON")], [("Li Gang", "PERSON")]),
    ("By 2030 the port will double.\n\nLi Gang said so.", [("Li Gang", "PERSON")],
     [("Li Gang", "PERSON")]),
])
def test_byline_left_in_the_body_names_nobody(blank: spacy.Language, text: str,
                                              ents: list[tuple[str, str]],
                                              kept: list[tuple[str, str]]) -> None:
    assert fixed(blank, text, ents) == kept


def test_place_named_club_in_a_match_report_is_an_org(blank: spacy.Language) -> None:
    assert fixed(blank, "Real Madrid beat Almeria 3-2 on Sunday.", [("Almeria", "PERSON")]) == [
        ("Almeria", "ORG")]
    assert fixed(blank, "Brazilian club Santos signed him.", [("Santos", "PERSON")]) == [
        ("Santos", "PERSON")]  # a given name too: not in the gazetteer, left as it is
    assert fixed(blank, "Later, striker Garcia beat two defenders.", [("Garcia", "PERSON")]) \
        == [("Garcia", "PERSON")]


@pytest.mark.parametrize("body,word,kept", [
    ("Girona drew with Sevilla, and fans cheered.", "Sevilla", True),
    ("Santos beat Flamengo 2-1 on Sunday.", "Flamengo", True),
    ("Villarreal lost to Cadiz.", "Cadiz", True),
    ("Messages go out in Swahili and other languages.", "Swahili", False),
    ("The crew flew to the Tiangong.", "Tiangong", False),
    ("Huawei grew fast.", "Huawei", False),
])
def test_organisation_named_in_passing(body: str, word: str, kept: bool) -> None:
    s = body.index(word)
    res = resolve(body, [RawMention(s, s + len(word), "ORG", word)])
    assert [(r.entity.type, r.entity.name) for r in res] == ([("ORG", word)] if kept else [])


def test_a_clause_after_a_place_is_no_apposition(blank: spacy.Language) -> None:
    text = "In a workshop on the edge of Huancayo, a dozen women sit at looms."
    assert fixed(blank, text, [("Huancayo", "ORG")]) == [("Huancayo", "GPE")]
