"""Which model reads which language, and entities for articles in a mix of languages.

    results = enrich_by_language(pipeline_for, [(article_id, body, language), ...])

English is the default: an article whose language is unknown is read by the English model.
French is read by fr_core_news_sm when it is installed (transforms/entities/french.py). Any
other language, or a language whose model is not installed, gets no entities: an empty
Enrichment (so that a re-fetch still replaces stale rows) and no model, which the warehouse
counts as `entities_skipped_language`. No body is ever read by another language's model.

Pure: `pipeline_for` hands over the loaded pipelines (the worker loads each one lazily).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import spacy

from transforms.entities import french
from transforms.entities.enrich import enrich_articles
from transforms.entities.pipeline import load_pipeline
from transforms.records import Enrichment

ENGLISH = "en"
# Model packages of the languages besides English (English: the configured model).
LANGUAGE_MODELS: dict[str, str] = {"fr": french.MODEL}
_ENRICHERS: dict[str, Callable[..., list[Enrichment]]] = {
    ENGLISH: enrich_articles,
    "fr": french.enrich_french,
}

PipelineFor = Callable[[str], "spacy.Language | None"]


def ner_language(language: str | None) -> str:
    """The language whose model reads an article: its own, English when unknown."""
    return language or ENGLISH


def has_model(language: str) -> bool:
    """Whether newswire has a model for `language` at all (installed or not)."""
    return language in _ENRICHERS


def load_language_pipeline(language: str, english_model: str | None = None) -> spacy.Language:
    """The entity pipeline of `language`; ModelNotFoundError when its model is not installed,
    ValueError for a language newswire has no model for."""
    if language == ENGLISH:
        return load_pipeline(english_model)
    if language == "fr":
        return french.load_french_pipeline(LANGUAGE_MODELS["fr"])
    raise ValueError(f"no entity model for language {language!r}")


def model_name(nlp: spacy.Language) -> str:
    """What the warehouse records as the model that ran: 'fr_core_news_sm-3.8.0'."""
    meta = nlp.meta
    return f"{meta['lang']}_{meta['name']}-{meta['version']}"


def enrich_by_language(pipeline_for: PipelineFor,
                       articles: Sequence[tuple[str, str, str | None]], *,
                       batch_size: int = 64,
                       city_codes: bool = False) -> list[tuple[Enrichment, str | None]]:
    """(Enrichment, model name or None) per (article_id, clean body, language), in order.

    Articles are grouped by language, and `pipeline_for(language)` is asked only for a
    language that has a model and an article; it returns None when that model is missing.
    """
    groups: dict[str, list[int]] = {}
    for i, (_, _, language) in enumerate(articles):
        groups.setdefault(ner_language(language), []).append(i)
    out: dict[int, tuple[Enrichment, str | None]] = {}
    for language, indexes in groups.items():
        pairs = [(articles[i][0], articles[i][1]) for i in indexes]
        nlp = pipeline_for(language) if has_model(language) else None
        if nlp is None:
            results, model = [Enrichment(aid, (), (), ()) for aid, _ in pairs], None
        else:
            results = _ENRICHERS[language](nlp, pairs, batch_size=batch_size,
                                           city_codes=city_codes)
            model = model_name(nlp)
        out.update((i, (r, model)) for i, r in zip(indexes, results, strict=True))
    return [out[i] for i in range(len(articles))]
