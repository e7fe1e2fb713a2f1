"""Article language: declared, detected from the body, or the profile's default; and entities
only from the model of that language (transforms/language.py, transforms/entities/languages.py,
transforms/entities/french.py, flows/page_task.py)."""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import spacy

from flows.page_task import PageChunk, PageWork, language_pipeline, process_pages
from transforms.article import build_article
from transforms.entities import french
from transforms.entities.ids import entity_id
from transforms.entities.languages import (
    LANGUAGE_MODELS,
    enrich_by_language,
    load_language_pipeline,
    model_name,
)
from transforms.language import (
    MIN_CONFIDENCE,
    article_language,
    best_guess,
    detect_language,
    normalise_language,
)
from transforms.records import Article, FeedItem, FetchResult

FIXTURES = Path(__file__).parent / "fixtures"
TEXTS = {p.stem: p.read_text(encoding="utf-8")
         for p in sorted((FIXTURES / "languages").glob("*.txt"))}
HAS_FRENCH = importlib.util.find_spec(french.MODEL) is not None
needs_french = pytest.mark.skipif(
    not HAS_FRENCH, reason=f"the French model is not installed ({french.MODEL}: "
                           "pip install -e '.[fr]' or '.[dev]')")
URL = "http://127.0.0.1:8000/20250312/abc/c.html"


def page(name: str) -> bytes:
    return (FIXTURES / "pages" / name).read_bytes()


def build(name: str) -> Article:
    return build_article(item_url=URL, canonical_url=URL, article_id=name, body=page(name),
                         content_type="text/html; charset=utf-8", profile="xinhua")


# --- detection --------------------------------------------------------------------------

def test_the_texts_cover_five_languages() -> None:
    assert sorted(TEXTS) == ["de", "en", "es", "fr", "zh"]


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_each_language_is_detected_from_an_article_body(code: str) -> None:
    assert detect_language(TEXTS[code]) == code


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_each_language_is_detected_from_every_paragraph(code: str) -> None:
    for paragraph in TEXTS[code].split("\n\n"):
        assert detect_language(paragraph) == code, paragraph


@pytest.mark.parametrize("text", [
    "", "   ", "Xi Jinping meets Tokayev in Beijing on Tuesday",  # too few letters
    "Xi Jinping meets Kassym-Jomart Tokayev in Beijing on Tuesday for talks",  # names
    "PÉKIN, 12 mars (Xinhua) -- Xi Jinping, Kassym-Jomart Tokaïev",
    "12345 67890 12345 67890 12345 67890 12345 67890 12345 67890 !!!",
])
def test_short_or_unclear_text_is_inconclusive(text: str) -> None:
    assert detect_language(text) is None
    assert best_guess(text)[1] < MIN_CONFIDENCE


@pytest.mark.parametrize(("declared", "code"), [
    ("en-US", "en"), ("fr_FR", "fr"), ("FR", "fr"), (" es ", "es"), ("zh-Hans-CN", "zh"),
    ("fra", "fr"), ("fre", "fr"), ("deu", "de"), ("xx", None), ("english", None), ("", None),
    (None, None), ("e", None),
])
def test_declared_languages_normalise_to_iso_639_1(declared: str | None,
                                                   code: str | None) -> None:
    assert normalise_language(declared) == code


def test_declaration_then_detection_then_default() -> None:
    assert article_language("fr-FR", TEXTS["fr"][:200], "en") == "fr"  # the page says so
    assert article_language("fr-FR", "Xi Jinping, Emmanuel Macron.", "en") == "fr"
    assert article_language(None, TEXTS["es"], "en") == "es"  # not the profile's default
    assert article_language("xx", TEXTS["de"], "en") == "de"  # an unknown tag says nothing
    assert article_language(None, "Short.", "en") == "en"  # inconclusive: the default
    assert article_language(None, "Short.", None) is None


@pytest.mark.parametrize("declared", ["zh-CN", "fr", "de"])
def test_a_declaration_gives_way_to_a_body_beyond_doubt(declared: str) -> None:
    # A template's lang attribute on every edition: the English article is still English.
    assert article_language(declared, TEXTS["en"], None) == "en"
    assert article_language(declared, TEXTS["es"], "en") == "es"


def test_an_english_declaration_is_taken_as_it_is() -> None:
    # The common case loads no detection model at all.
    assert article_language("en-GB", TEXTS["es"], None) == "en"


def test_build_article_detects_an_undeclared_french_or_spanish_page() -> None:
    # Neither page has <html lang>; the xinhua profile's default is 'en'.
    assert build("xinhua_2021_fr.html").language == "fr"
    assert build("xinhua_2021_es.html").language == "es"
    assert build("xinhua_2017.htm").language == "en"  # undeclared English page


# --- entities per language --------------------------------------------------------------

@pytest.fixture(scope="module")
def fr_nlp() -> spacy.Language:
    if not HAS_FRENCH:
        pytest.skip(f"the French model is not installed ({french.MODEL})")
    return load_language_pipeline("fr")


class Pipelines:
    """pipeline_for, recording which languages were asked for."""

    def __init__(self, **loaded: spacy.Language | None) -> None:
        self.loaded = loaded
        self.asked: list[str] = []

    def __call__(self, language: str) -> spacy.Language | None:
        self.asked.append(language)
        return self.loaded.get(language)


@needs_french
def test_a_french_xinhua_article_gets_french_model_entities(fr_nlp: spacy.Language) -> None:
    article = build("xinhua_2021_fr.html")
    pipelines = Pipelines(fr=fr_nlp)
    [(enrichment, model)] = enrich_by_language(pipelines, [(article.article_id, article.body,
                                                            article.language)])
    assert pipelines.asked == ["fr"] and model == "fr_core_news_sm-3.8.0"
    by_name = {e.name: e for e in enrichment.entities}
    assert {n for n, e in by_name.items() if e.type == "PERSON"} == {
        "Xi Jinping", "Kassym-Jomart Tokaïev"}  # 'M. Tokaïev' is the same person
    # Chine, Kazakhstan, Turquie, États-Unis
    assert {e.country_code for e in enrichment.entities if e.country_code} == {
        "CN", "KZ", "TR", "US"}
    # A country is the entity of English articles: 'Chine' and 'China' are one row.
    assert by_name["China"].entity_id == entity_id("GPE", "China", country="CN")
    assert (by_name["Beijing"].type, by_name["Beijing"].located_in) == ("GPE", "CN")  # Pékin
    assert by_name["Asie centrale"].type == "LOC"
    assert by_name["Organisation de coopération de Shanghai"].type == "ORG"
    surfaces = {m.surface: m.entity_id for m in enrichment.mentions}
    assert surfaces["OCS"] == by_name["Organisation de coopération de Shanghai"].entity_id
    assert surfaces["Chine"] == by_name["China"].entity_id  # 'la' is not part of the name
    assert all(article.body[m.start_char:m.end_char] == m.surface
               for m in enrichment.mentions)
    assert {e.type for e in enrichment.entities} <= {"PERSON", "ORG", "GPE", "LOC"}
    assert enrichment.quotes == ()  # French quotes are not extracted (docs/ENTITIES.md)


def test_a_spanish_article_gets_no_entities_and_no_model() -> None:
    article = build("xinhua_2021_es.html")
    english = object()  # any model handed out for a Spanish body would be a mistake
    pipelines = Pipelines(en=english, fr=english)  # type: ignore[arg-type]
    [(enrichment, model)] = enrich_by_language(pipelines, [(article.article_id, article.body,
                                                            article.language)])
    assert pipelines.asked == [] and model is None
    assert (enrichment.article_id, enrichment.entities, enrichment.mentions,
            enrichment.quotes) == (article.article_id, (), (), ())


def test_a_language_whose_model_is_missing_gets_no_entities() -> None:
    pipelines = Pipelines()  # French asked for, but not installed
    results = enrich_by_language(pipelines, [("f1", TEXTS["fr"], "fr"),
                                             ("f2", TEXTS["fr"], "fr")])
    assert pipelines.asked == ["fr"]  # once for the batch
    assert [(e.entities, e.mentions, m) for e, m in results] == [((), (), None)] * 2


@needs_french
def test_languages_are_read_apart_and_results_keep_their_order(
        fr_nlp: spacy.Language) -> None:
    en_nlp = load_language_pipeline("en")
    pipelines = Pipelines(en=en_nlp, fr=fr_nlp)
    results = enrich_by_language(pipelines, [
        ("a", TEXTS["en"] + " Xi Jinping visited Kazakhstan.", "en"),
        ("b", TEXTS["es"], "es"),
        ("c", "Xi Jinping a visité le Kazakhstan. " + TEXTS["fr"], "fr"),
        ("d", "Kassym-Jomart Tokayev visited China on Monday.", None),  # unknown: English
    ])
    assert sorted(pipelines.asked) == ["en", "fr"]
    assert [e.article_id for e, _ in results] == ["a", "b", "c", "d"]
    english = model_name(en_nlp)
    assert [m for _, m in results] == [english, None, "fr_core_news_sm-3.8.0", english]
    names = [{x.name for x in e.entities} for e, _ in results]
    assert {"Xi Jinping", "Kazakhstan"} <= names[0] and names[1] == set()
    assert {"Xi Jinping", "Kazakhstan"} <= names[2]
    assert {"Kassym-Jomart Tokayev", "China"} <= names[3]


@pytest.mark.parametrize(("text", "code"), [
    ("Chine", "CN"), ("la Chine", "CN"), ("États-Unis", "US"), ("les Etats-Unis", "US"),
    ("Kazakhstan", "KZ"), ("Russie", "RU"), ("Corée du Sud", "KR"), ("Allemagne", "DE"),
    ("Viêt Nam", "VN"), ("l'Inde", "IN"), ("Tchad", "TD"), ("Corée", None), ("Pékin", None),
    ("Taïwan", None), ("Asie centrale", None),
])
def test_french_country_names_resolve_to_iso_codes(text: str, code: str | None) -> None:
    assert french.french_country_code(text) == code


def test_french_labels_map_to_ontonotes_and_misc_is_dropped() -> None:
    nlp = spacy.blank("fr")
    body = "M. Dupont et la Banque mondiale à Pékin, Jeux olympiques, chef d'Etat."
    doc = nlp.make_doc(body)

    def span(text: str, label: str) -> spacy.tokens.Span:
        start = body.index(text)
        found = doc.char_span(start, start + len(text), label=label)
        assert found is not None, text
        return found

    doc.ents = [span("Dupont", "PER"), span("la Banque mondiale", "ORG"), span("Pékin", "LOC"),
                span("Jeux olympiques", "MISC"), span("Etat", "LOC")]
    enrichment = french.enrich_french_doc("a", body, doc)
    assert [(e.name, e.type) for e in enrichment.entities] == [
        ("Dupont", "PERSON"), ("Banque mondiale", "ORG"), ("Beijing", "GPE")]
    assert [m.surface for m in enrichment.mentions] == ["Dupont", "Banque mondiale", "Pékin"]


# --- the worker task --------------------------------------------------------------------

@pytest.fixture()
def fresh_pipelines() -> Iterator[None]:
    language_pipeline.cache_clear()
    yield
    language_pipeline.cache_clear()


def test_a_missing_model_is_said_once_and_skips_its_language(
        fresh_pipelines: None, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setitem(LANGUAGE_MODELS, "fr", "fr_core_news_not_installed")
    with caplog.at_level(logging.WARNING):
        first, again = language_pipeline("fr", None), language_pipeline("fr", None)
    assert first is None and again is None
    said = [r.getMessage() for r in caplog.records if "fr_core_news_not_installed" in
            r.getMessage()]
    assert len(said) == 1 and "newswire[fr]" in said[0]


def _work(name: str) -> PageWork:
    url = f"http://127.0.0.1:8000/{name}"
    item = FeedItem(feed_name="xinhua-fr", url=url, canonical_url=url, article_id=name,
                    guid=url)
    fetched = FetchResult(url=url, kind="page", fetched_at=datetime.now(UTC), http_status=200,
                          body=page(name), content_type="text/html; charset=utf-8")
    return PageWork(item, fetched, "xinhua")


@needs_french
def test_the_worker_task_records_which_model_ran(fresh_pipelines: None) -> None:
    done = process_pages.fn(PageChunk([_work("xinhua_2021_fr.html"),
                                       _work("xinhua_2021_es.html"),
                                       _work("xinhua_2021_full.html")]), None)
    english = model_name(load_language_pipeline("en"))
    assert [(a.article_id, a.language, a.entities_model) for a in done.articles] == [
        ("xinhua_2021_fr.html", "fr", "fr_core_news_sm-3.8.0"),
        ("xinhua_2021_es.html", "es", None),
        ("xinhua_2021_full.html", "en", english),
    ]
    mentions = {e.article_id: len(e.mentions) for e in done.enrichments}
    assert mentions["xinhua_2021_es.html"] == 0
    assert mentions["xinhua_2021_fr.html"] > 5 and mentions["xinhua_2021_full.html"] > 0
