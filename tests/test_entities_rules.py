"""Canonicalisation and the span fixups, without loading a model: mentions and entities are
given by hand (a blank English tokenizer stands in for the statistical NER)."""

from __future__ import annotations

import re

import pytest
import spacy
from spacy.tokens import Doc, Span

from transforms.entities import fixups, rules
from transforms.entities.canonical import RawMention, resolve
from transforms.entities.ids import entity_id


def mentions(body: str, spans: list[tuple[str, str]]) -> list[RawMention]:
    """RawMentions for (surface, label) pairs, each surface taken at its next occurrence."""
    out, pos = [], 0
    for surface, label in spans:
        start = body.index(surface, pos)
        out.append(RawMention(start, start + len(surface), label, surface))
        pos = start + len(surface)
    return out


def names(body: str, spans: list[tuple[str, str]]) -> list[tuple[str, str, str | None]]:
    return [(r.entity.type, r.entity.name, r.entity.country_code)
            for r in resolve(body, mentions(body, spans))]


# ---------------------------------------------------------------- canonical.resolve

def test_surname_resolves_to_full_name_either_order() -> None:
    body = ("Mongolian Prime Minister Gombojav Zandanshatar opened the fair. Zandanshatar said "
            "trade with Chinese firms doubled. Premier Li Qiang welcomed it, and Li said so.")
    got = names(body, [("Mongolian", "NORP"), ("Gombojav Zandanshatar", "PERSON"),
                       ("Zandanshatar", "ORG"), ("Chinese", "NORP"), ("Li Qiang", "PERSON"),
                       ("Li", "PERSON")])
    assert got == [("NORP", "Mongolian", "MN"), ("PERSON", "Gombojav Zandanshatar", None),
                   ("PERSON", "Gombojav Zandanshatar", None), ("NORP", "Chinese", "CN"),
                   ("PERSON", "Li Qiang", None), ("PERSON", "Li Qiang", None)]


def test_given_name_and_partial_names_resolve() -> None:
    body = "Brazil's Luiz Inacio Lula da Silva arrived. Lula da Silva spoke, and Lula left."
    got = names(body, [("Brazil", "GPE"), ("Luiz Inacio Lula da Silva", "PERSON"),
                       ("Lula da Silva", "PERSON"), ("Lula", "GPE")])
    assert {n for t, n, _ in got if t == "PERSON"} == {"Luiz Inacio Lula da Silva"}
    assert len([1 for t, _, _ in got if t == "PERSON"]) == 3


def test_acronyms_defined_in_text_and_by_table() -> None:
    body = ("The Kenya Ports Authority (KPA) and the United Nations signed a pact. "
            "KPA staff and UN experts will work together. KPA said so.")
    res = resolve(body, mentions(body, [("Kenya Ports Authority", "ORG"), ("KPA", "ORG"),
                                        ("United Nations", "ORG"), ("KPA", "ORG"),
                                        ("UN", "ORG")]))
    by_name = {}
    for r in res:
        by_name.setdefault(r.entity.name, set()).add(r.mention.text)
    assert by_name == {"Kenya Ports Authority": {"Kenya Ports Authority", "KPA"},
                       "United Nations": {"United Nations", "UN"}}
    # the third 'KPA', untagged by the model, is a mention too
    assert sum(r.mention.text == "KPA" for r in res) == 3
    for r in res:
        assert body[r.mention.start:r.mention.end] == r.mention.text


def test_acronym_from_initials_and_short_org_names() -> None:
    body = "The Hebei Iron Works Group said output rose. HIWG exports fell. Shenhua beat Port."
    got = names(body + " Shanghai Shenhua and Shanghai Port drew.",
                [("Hebei Iron Works Group", "ORG"), ("HIWG", "ORG"), ("Shenhua", "PERSON"),
                 ("Port", "GPE"), ("Shanghai Shenhua", "ORG"), ("Shanghai Port", "ORG")])
    assert [n for _, n, _ in got] == ["Hebei Iron Works Group", "Hebei Iron Works Group",
                                      "Shanghai Shenhua", "Shanghai Port", "Shanghai Shenhua",
                                      "Shanghai Port"]


def test_place_words_never_alias_to_organisations() -> None:
    body = "Shanghai Port won. Fans in Shanghai cheered."
    got = names(body, [("Shanghai Port", "ORG"), ("Shanghai", "GPE")])
    assert got == [("ORG", "Shanghai Port", None), ("GPE", "Shanghai", None)]


def test_countries_and_demonyms_get_codes_by_code() -> None:
    body = "Croatian and Lao officials met Kazakh envoys in Kazakhstan and the U.S."
    res = resolve(body, mentions(body, [("Croatian", "NORP"), ("Lao", "NORP"),
                                        ("Kazakh", "NORP"), ("Kazakhstan", "GPE"),
                                        ("U.S.", "GPE")]))
    assert [r.entity.country_code for r in res] == ["HR", "LA", "KZ", "KZ", "US"]
    assert res[3].entity.entity_id == entity_id("GPE", "Kazakhstan", country="KZ")
    assert res[4].entity.name == "United States"
    assert res[2].entity.entity_id != res[3].entity.entity_id  # NORP and GPE rows differ


def test_cities_keep_their_country_in_located_in_not_country_code() -> None:
    body = "The talks in Karachi ended."
    ms = mentions(body, [("Karachi", "GPE")])
    assert resolve(body, ms)[0].entity.country_code is None
    assert resolve(body, ms)[0].entity.located_in == "PK"
    assert resolve(body, ms, city_codes=True)[0].entity.country_code == "PK"


def test_inner_mongolia_is_not_mongolia() -> None:
    body = "Herders in Inner Mongolia Autonomous Region planted grass."
    got = names(body, [("Inner Mongolia Autonomous Region", "GPE")])
    assert got == [("GPE", "Inner Mongolia Autonomous Region", None)]


def test_lone_unexplained_capitalised_word_is_dropped() -> None:
    body = "Radiometric dating helps. The Tiangong station flew. Tiangong is big. Huawei grew."
    got = names(body, [("Radiometric", "PERSON"), ("Tiangong", "ORG"), ("Tiangong", "ORG"),
                       ("Huawei", "ORG")])
    assert [n for _, n, _ in got] == ["Tiangong", "Tiangong"]


def test_place_named_like_a_person_is_promoted() -> None:
    body = "Somsak Phommachanh farms rice. \"It rains,\" said Somsak."
    got = names(body, [("Somsak Phommachanh", "GPE"), ("Somsak", "PERSON")])
    assert got == [("PERSON", "Somsak Phommachanh", None)] * 2


def test_ids_are_the_same_in_any_article() -> None:
    a = "Foreign Minister Wang Yi met the press. Wang said ties were good."
    b = "Wang Yi, China's top diplomat, flew to Laos."
    ra = resolve(a, mentions(a, [("Wang Yi", "PERSON"), ("Wang", "PERSON")]))
    rb = resolve(b, mentions(b, [("Wang Yi", "PERSON"), ("China", "GPE"), ("Laos", "GPE")]))
    assert ra[0].entity == ra[1].entity == rb[0].entity


# ---------------------------------------------------------------- fixups on a blank pipeline

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


def test_demonym_title_name_is_split(blank: spacy.Language) -> None:
    text = "Kyrgyz President Sadyr Japarov visited Urumqi."
    assert fixed(blank, text, [("Kyrgyz President Sadyr Japarov", "ORG")]) == [
        ("Kyrgyz", "NORP"), ("Sadyr Japarov", "PERSON")]


def test_org_title_name_is_split(blank: spacy.Language) -> None:
    text = "WHO Director-General Tedros Adhanom Ghebreyesus spoke."
    assert fixed(blank, text, [("WHO Director-General Tedros Adhanom Ghebreyesus", "ORG")]) == [
        ("WHO", "ORG"), ("Tedros Adhanom Ghebreyesus", "PERSON")]


def test_title_before_org_word_is_not_a_name(blank: spacy.Language) -> None:
    assert fixed(blank, "The Premier League resumed.", [("The Premier League", "ORG")]) == [
        ("Premier League", "ORG")]


def test_person_with_an_institution_head_is_an_org(blank: spacy.Language) -> None:
    assert fixed(blank, "Students at the Luban Workshop in Cairo graduated.",
                 [("Luban Workshop", "PERSON"), ("Cairo", "GPE")]) == [
        ("Luban Workshop", "ORG"), ("Cairo", "GPE")]


def test_spans_never_cross_a_line_break(blank: spacy.Language) -> None:
    assert fixed(blank, "Source: Xinhua\nEditor: Li", [("Xinhua\nEditor", "ORG")]) == [
        ("Xinhua", "ORG")]


def test_acronym_in_brackets_is_split_off(blank: spacy.Language) -> None:
    text = "the Shanghai Cooperation Organization (SCO summit"
    assert fixed(blank, text, [("the Shanghai Cooperation Organization (SCO", "ORG")]) == [
        ("Shanghai Cooperation Organization", "ORG"), ("SCO", "ORG")]


def test_truncated_of_org_takes_the_country(blank: spacy.Language) -> None:
    text = "the Central Bank of Iceland raised rates"
    assert fixed(blank, text, [("the Central Bank of", "ORG"), ("Iceland", "GPE")]) == [
        ("Central Bank of Iceland", "ORG")]


def test_scores_and_headings(blank: spacy.Language) -> None:
    text = "She beat Peru 3-1 on Monday.\n\nMORE TO COME FROM LIMA\n\nFans cheered."
    assert fixed(blank, text, [("Peru 3-1", "FAC"), ("LIMA", "GPE")]) == [("Peru", "GPE")]


def test_place_noun_of_name_is_a_place(blank: spacy.Language) -> None:
    assert fixed(blank, "the province of Champasak grew", [("Champasak", "PERSON")]) == [
        ("Champasak", "GPE")]


def test_region_prefix_guard(blank: spacy.Language) -> None:
    assert fixed(blank, "a ranch in Inner Mongolia Autonomous Region",
                 [("Mongolia", "GPE")]) == [("Inner Mongolia Autonomous Region", "GPE")]


def test_compound_of_countries_is_split(blank: spacy.Language) -> None:
    assert fixed(blank, "Sino-Kazakh trade grew", [("Sino-Kazakh", "NORP")]) == [
        ("Sino", "NORP"), ("Kazakh", "NORP")]


def test_untagged_chinese_name(blank: spacy.Language) -> None:
    assert fixed(blank, "Lin came second, while He Ruoxi took bronze.", []) == [
        ("He Ruoxi", "PERSON")]


def test_ruler_patterns_and_filter(blank: spacy.Language) -> None:
    pats = {p["pattern"]: (p["label"], p["id"]) for p in rules.ruler_patterns()}
    assert pats["Kazakh"] == ("NORP", rules.ADD)
    assert pats["BRICS"] == ("ORG", rules.ADD)
    assert pats["Karachi"] == ("GPE", rules.RELABEL)  # a city only relabels the model's span
    doc = blank("the Reserve Bank of Fiji and BRICS")
    model = [Span(doc, 1, 5, label="ORG"), Span(doc, 6, 7, label="GPE")]
    ruler = [Span(doc, 4, 5, label="GPE", span_id=rules.ADD),
             Span(doc, 6, 7, label="ORG", span_id=rules.ADD)]
    merged = rules.longest_wins(model, ruler)
    assert [(e.text, e.label_) for e in merged] == [("Reserve Bank of Fiji", "ORG"),
                                                   ("BRICS", "ORG")]


def test_fixups_leave_offsets_as_token_boundaries(blank: spacy.Language) -> None:
    doc: Doc = blank("Chinese President Xi Jinping met Lao Premier Sonexay Siphandone.")
    doc.set_ents([Span(doc, 0, 4, label="ORG")])
    for e in fixups.agency_fixups(doc).ents:
        assert doc.text[e.start_char:e.end_char] == e.text


# ---------------------------------------------------------------- round 2: unseen agency copy

def test_nationality_glued_to_a_name_is_split(blank: spacy.Language) -> None:
    assert fixed(blank, "Kenyan Hellen Obiri was third.", [("Kenyan Hellen Obiri", "PERSON")]) \
        == [("Kenyan", "NORP"), ("Hellen Obiri", "PERSON")]
    # the model's ORG covers the nationality and the given name only
    assert fixed(blank, "Ethiopian Tigist Assefa was second.", [("Ethiopian Tigist", "ORG")]) \
        == [("Ethiopian", "NORP"), ("Tigist Assefa", "PERSON")]
    assert fixed(blank, "Saudi Aramco said profits fell.", [("Saudi Aramco", "ORG")]) == [
        ("Saudi Aramco", "ORG")]
    assert fixed(blank, "The Kenyan Red Cross said so.", [("Kenyan Red Cross", "ORG")]) == [
        ("Kenyan Red Cross", "ORG")]


def test_role_noun_before_a_name(blank: spacy.Language) -> None:
    assert fixed(blank, "Serbian tennis star Novak Djokovic won.",
                 [("Serbian", "NORP"), ("Novak", "ORG")]) == [
        ("Serbian", "NORP"), ("Novak Djokovic", "PERSON")]
    assert fixed(blank, "said rice farmer Somchai Boonmee.", [("Somchai Boonmee", "ORG")]) == [
        ("Somchai Boonmee", "PERSON")]
    assert fixed(blank, "defending champion Real Madrid won.", [("Real Madrid", "ORG")]) == [
        ("Real Madrid", "ORG")]
    text = "KTZ chairman Talgat Aldybergenov said so."
    assert fixed(blank, text, [("KTZ", "ORG"), ("Talgat Aldybergenov", "ORG")]) == [
        ("KTZ", "ORG"), ("Talgat Aldybergenov", "PERSON")]


def test_one_word_name_described_as_a_person(blank: spacy.Language) -> None:
    assert fixed(blank, "Sutrisno, a 52-year-old farmer, smiled.", [("Sutrisno", "GPE")]) == [
        ("Sutrisno", "PERSON")]
    assert fixed(blank, "Kipchoge, 39, won again.", [("Kipchoge", "ORG")]) == [
        ("Kipchoge", "PERSON")]
    # nouns that describe firms too, and an age without a person noun, are not enough
    assert fixed(blank, "Huawei, a leader in chips, grew.", [("Huawei", "ORG")]) == [
        ("Huawei", "ORG")]
    assert fixed(blank, "Safaricom, a 25-year-old company, grew.", [("Safaricom", "ORG")]) == [
        ("Safaricom", "ORG")]


def test_direction_word_person_is_a_region(blank: spacy.Language) -> None:
    assert fixed(blank, "a farmer from Central Java smiled", [("Central Java", "PERSON")]) == [
        ("Central Java", "LOC")]


def test_lone_word_marked_as_a_person_or_an_organisation_is_kept() -> None:
    # a speech verb is no person cue ('Pertamina said' is a firm the model called PERSON),
    # but it keeps a lone ORG, and so does an apposition
    body = ("Ramaphosa told parliament the crisis eased. Radiometric dating helps. "
            "President Ruto agreed. Sutrisno, a 52-year-old farmer, smiled. Mwangi, 39, won. "
            "Pertamina said it grew. Telkomsel, a subsidiary, grew. Tiangong station flew.")
    got = names(body, [("Ramaphosa", "PERSON"), ("Radiometric", "PERSON"), ("Ruto", "PERSON"),
                       ("Sutrisno", "PERSON"), ("Mwangi", "PERSON"), ("Pertamina", "ORG"),
                       ("Telkomsel", "ORG"), ("Tiangong", "ORG")])
    assert [(t, n) for t, n, _ in got] == [
        ("PERSON", "Ruto"), ("PERSON", "Sutrisno"), ("PERSON", "Mwangi"), ("ORG", "Pertamina"),
        ("ORG", "Telkomsel")]


def test_leading_role_is_no_part_of_the_name(blank: spacy.Language) -> None:
    assert fixed(blank, "Volunteer Siti Nurhaliza said so.",
                 [("Volunteer Siti Nurhaliza", "PERSON")]) == [("Siti Nurhaliza", "PERSON")]
    assert fixed(blank, "Son Heung-min scored.", [("Son Heung-min", "PERSON")]) == [
        ("Son Heung-min", "PERSON")]


def test_business_head_makes_an_org(blank: spacy.Language) -> None:
    assert fixed(blank, "Siemens Mobility will supply trains.",
                 [("Siemens Mobility", "PERSON")]) == [("Siemens Mobility", "ORG")]


def test_organisation_name_with_a_particle_is_completed(blank: spacy.Language) -> None:
    assert fixed(blank, "Banco do Brasil said lending rose.",
                 [("Banco", "ORG"), ("Brasil", "PERSON")]) == [("Banco do Brasil", "ORG")]
    assert fixed(blank, "The Instituto Nacional de Estadistica y Geografia said so.",
                 [("Instituto Nacional de Estadistica", "ORG"), ("Geografia", "PERSON")]) == [
        ("Instituto Nacional de Estadistica y Geografia", "ORG")]
    # a person's particle is the long-name rule's business, not this one's
    assert fixed(blank, "Lula da Silva met Xi.", [("Lula", "PERSON"), ("Silva", "PERSON")]) \
        == [("Lula", "PERSON"), ("Silva", "PERSON")]


def test_a_name_that_speaks_is_a_person(blank: spacy.Language) -> None:
    assert fixed(blank, '"Sales doubled," Le Thi Hoa told Xinhua.',
                 [("Le Thi Hoa", "WORK_OF_ART")]) == [("Le Thi Hoa", "PERSON")]
    assert fixed(blank, "Kenya Power said repairs were done.", [("Kenya Power", "ORG")]) == [
        ("Kenya Power", "ORG")]
    assert fixed(blank, "The Lusaka Declaration stated that.",
                 [("Lusaka Declaration", "WORK_OF_ART")]) == [("Lusaka Declaration", "WORK_OF_ART")]


def test_untagged_name_described_as_a_person(blank: spacy.Language) -> None:
    text = "Aminu Maida, executive vice chairman of the commission, said so."
    assert fixed(blank, text, []) == [("Aminu Maida", "PERSON")]
    text = "Rahmat Hidayat Pohan, an analyst at a brokerage, said so."
    assert fixed(blank, text, []) == [("Rahmat Hidayat Pohan", "PERSON")]
    # a country, or an apposition that describes no person, makes no person
    assert fixed(blank, "Costa Rica, a small country, grew.", []) == []
    assert fixed(blank, "Blue Sky, a member of the group, grew.", []) == []


def test_title_with_a_portfolio(blank: spacy.Language) -> None:
    text = "Serbian Minister of Economy Adrijana Mesarovic said so."
    assert fixed(blank, text, [("Serbian", "NORP"), ("Economy Adrijana Mesarovic", "ORG")]) == [
        ("Serbian", "NORP"), ("Adrijana Mesarovic", "PERSON")]
    text = "Chinese Ambassador to Zambia Han Jing said so."
    assert fixed(blank, text, [("Chinese", "NORP"), ("Zambia Han Jing", "ORG")]) == [
        ("Chinese", "NORP"), ("Zambia", "GPE"), ("Han Jing", "PERSON")]
    text = "Envoy to the United States Xie Feng spoke."
    assert fixed(blank, text, []) == [("United States", "GPE"), ("Xie Feng", "PERSON")]


def test_spans_the_model_cut_or_ran_on(blank: spacy.Language) -> None:
    text = "Demirtas told Xinhua the museum had begun."
    assert fixed(blank, text, [("Xinhua the museum", "ORG")]) == [("Xinhua", "ORG")]
    assert fixed(blank, "the Institute of the Americas", [
        ("Institute of the Americas", "ORG")]) == [("Institute of the Americas", "ORG")]
    text = "across Sub-Saharan African economies"
    assert fixed(blank, text, [("Sub-Saharan", "ORG"), ("African", "NORP")]) == [
        ("Sub-Saharan African", "NORP")]
    text = "the Banana Exporters Association of Ecuador said"
    assert fixed(blank, text, [("Banana Exporters Association", "ORG"), ("Ecuador", "GPE")]) \
        == [("Banana Exporters Association of Ecuador", "ORG")]
    text = "ties between China and the people of Ecuador"
    assert fixed(blank, text, [("China", "GPE"), ("Ecuador", "GPE")]) == [
        ("China", "GPE"), ("Ecuador", "GPE")]


def test_institutions_and_features(blank: spacy.Language) -> None:
    assert fixed(blank, "Uganda's High Court ruled.", [("Uganda", "GPE")]) == [
        ("Uganda", "GPE"), ("High Court", "ORG")]
    assert fixed(blank, "The Supreme Court ruled.", []) == [("Supreme Court", "ORG")]
    assert fixed(blank, "a mission at Lautoka Hospital", [("Lautoka Hospital", "FAC")]) == [
        ("Lautoka Hospital", "ORG")]
    assert fixed(blank, "a fair at Nairobi Convention Center", [
        ("Nairobi Convention Center", "FAC")]) == [("Nairobi Convention Center", "FAC")]
    assert fixed(blank, "Lake Victoria, which Uganda shares", [("Lake Victoria", "PERSON")]) \
        == [("Lake Victoria", "LOC")]


def test_name_in_a_quote_attribution_is_a_person(blank: spacy.Language) -> None:
    text = '"We never saw rain like this," said Somsak Chaiyaporn.'
    assert fixed(blank, text, [("Somsak Chaiyaporn", "ORG")]) == [
        ("Somsak Chaiyaporn", "PERSON")]
    text = '"We never saw rain like this," Somsak Chaiyaporn said.'
    assert fixed(blank, text, [("Somsak Chaiyaporn", "ORG")]) == [
        ("Somsak Chaiyaporn", "PERSON")]
    # an organisation that speaks outside a quote's attribution, or a listener, stays
    assert fixed(blank, "Kenya Airways said fares rose.", [("Kenya Airways", "ORG")]) == [
        ("Kenya Airways", "ORG")]
    text = '"Fares rose," he told Blue Sky Airlines.'
    assert fixed(blank, text, [("Blue Sky Airlines", "ORG")]) == [("Blue Sky Airlines", "ORG")]


@pytest.mark.parametrize("firm", ["Goldman Sachs", "Morgan Stanley", "Standard Chartered",
                                  "Wood Mackenzie"])
def test_a_known_firm_in_a_quote_attribution_stays_an_org(blank: spacy.Language,
                                                          firm: str) -> None:
    # Shaped like a person's name, but the organisation table knows it.
    text = f'"Demand will recover next year," {firm} said in a note.'
    assert fixed(blank, text, [(firm, "ORG")]) == [(firm, "ORG")]


def test_name_after_a_country_possessive(blank: spacy.Language) -> None:
    text = "In the 400m, Bahrain's Salwa Eid Naser did not start."
    assert fixed(blank, text, [("Bahrain", "GPE"), ("Salwa Eid Naser", "ORG")]) == [
        ("Bahrain", "GPE"), ("Salwa Eid Naser", "PERSON")]
    text = "Japan's Golden Crane sold more shares."
    assert fixed(blank, text, [("Japan", "GPE"), ("Golden Crane", "ORG")]) == [
        ("Japan", "GPE"), ("Golden Crane", "ORG")]


def test_a_person_noun_used_as_a_modifier_describes_no_person(blank: spacy.Language) -> None:
    text = "Golden Harvest, a farmer cooperative, sold rice."
    assert fixed(blank, text, [("Golden Harvest", "ORG")]) == [("Golden Harvest", "ORG")]


def test_untagged_name_in_a_quote_attribution(blank: spacy.Language) -> None:
    assert fixed(blank, '"Rain came early," said Somsak Chaiyaporn.', []) == [
        ("Somsak Chaiyaporn", "PERSON")]
    assert fixed(blank, '"Rain came early," Somsak Chaiyaporn said.', []) == [
        ("Somsak Chaiyaporn", "PERSON")]
    assert fixed(blank, '"Rain came early," said Central Bank.', []) == []


def test_a_gazetteer_town_is_not_the_organisation_named_after_it() -> None:
    body = "A center opened in the city of Kragujevac. The University of Kragujevac helped."
    got = names(body, [("Kragujevac", "GPE"), ("University of Kragujevac", "ORG")])
    assert [(t, n) for t, n, _ in got] == [("GPE", "Kragujevac"),
                                           ("ORG", "University of Kragujevac")]


def test_one_word_speaker_of_a_quote(blank: spacy.Language) -> None:
    text = '"The harvest is good this year," said Sutrisno.'
    assert fixed(blank, text, [("Sutrisno", "GPE")]) == [("Sutrisno", "PERSON")]
    text = '"The harvest is good this year," said Pertamina.'  # the model said ORG
    assert fixed(blank, text, [("Pertamina", "ORG")]) == [("Pertamina", "ORG")]


def test_lone_speaker_of_a_quote_is_kept() -> None:
    body = ('"Prices keep rising," Wartini said. "It is a historic day," said Sutrisno. '
            '"Output rose," said Pertamina in a statement.')
    got = names(body, [("Wartini", "PERSON"), ("Sutrisno", "PERSON"), ("Pertamina", "PERSON")])
    assert [n for _, n, _ in got] == ["Wartini", "Sutrisno"]
