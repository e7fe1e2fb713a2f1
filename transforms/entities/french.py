"""Entities of French bodies, from spaCy's fr_core_news_sm (an optional extra:
`pip install newswire[fr]`).

The model tags PER, ORG, LOC and MISC; they become the OntoNotes labels the warehouse uses:

    PER  -> PERSON
    ORG  -> ORG
    LOC  -> GPE when it names a country (French ISO 3166 names, from pycountry's gettext
            catalogue: 'Chine' -> CN, 'États-Unis' -> US) or a known city or region ('Pékin'
            -> Beijing, located in CN); LOC otherwise ('Asie centrale', 'mer Caspienne')
    MISC -> dropped: it mixes nationalities, events, works and products, and French writes
            nationality adjectives in lower case ('le président chinois'), which the model
            does not tag, so a NORP from it would be the exception, not the rule.

Countries and known places get the same entity (id and English name) as in English articles,
so 'Chine' and 'China' count as one entity. The English rules (agency ruler, fixups, quote
patterns) do not run here, and quotes are not extracted: French reported speech ('« ... », a
déclaré X') needs its own patterns, left for when French sources are ingested in volume.
"""

from __future__ import annotations

import functools
import gettext
import re
from collections.abc import Sequence

import pycountry
import spacy
from spacy.tokens import Doc

from transforms.entities import countries
from transforms.entities.ids import entity_id, norm_name
from transforms.entities.pipeline import load_base
from transforms.records import Enrichment, Entity, EntityMention

MODEL = "fr_core_news_sm"
_LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"}
# A lower-case article before a name is not part of it ('la Chine', "l'ONU"); a capitalised
# one may be ('Le Caire', 'La Paz'), so it stays.
_ARTICLE = re.compile(r"(?:(?:le|la|les)\s+|l['’]\s*)")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&\-]{1,9}")
_DEFINED = re.compile(r"\s*\(\s*([A-Z][A-Za-z0-9&\-]{1,9})\s*\)")
# Common nouns French capitalises by convention, which the model reads as places.
_NOT_PLACES = frozenset({"etat", "etats", "gouvernement", "nation", "nations", "republique"})
# French short names that ISO 3166's French names do not give.
_COUNTRY_ALIASES = {
    "Birmanie": "MM", "Biélorussie": "BY", "Grande-Bretagne": "GB", "Angleterre": "GB",
    "Chine continentale": "CN", "RDC": "CD", "Congo-Kinshasa": "CD", "Congo-Brazzaville": "CG",
    "Vietnam": "VN", "Corée du Sud": "KR", "Corée du Nord": "KP", "Russie": "RU",
    "Émirats": "AE", "EAU": "AE", "Turquie": "TR", "Tchéquie": "CZ",
}
# French names of places whose English name the place table knows ('Pékin' is 'Beijing').
_EXONYMS = {
    "Pékin": "Beijing", "Canton": "Guangzhou", "Moscou": "Moscow", "Londres": "London",
    "Genève": "Geneva", "Bruxelles": "Brussels", "Le Caire": "Cairo", "Alger": "Algiers",
    "Varsovie": "Warsaw", "Vienne": "Vienna", "Lisbonne": "Lisbon", "Athènes": "Athens",
    "Le Cap": "Cape Town", "Mongolie intérieure": "Inner Mongolia", "Nouvelle-Delhi":
    "New Delhi", "La Havane": "Havana", "Mexico": "Mexico City", "Saint-Pétersbourg":
    "Saint Petersburg", "Oulan-Bator": "Ulan Bator",
    "Taïwan": "Taiwan", "Achgabat": "Ashgabat", "Tachkent": "Tashkent", "Douchanbé": "Dushanbe",
    "Addis-Abeba": "Addis Ababa", "Koweït": "Kuwait City", "Ryad": "Riyadh",
    "Riyad": "Riyadh", "Bagdad": "Baghdad", "Damas": "Damascus", "Beyrouth": "Beirut",
    "Téhéran": "Tehran", "Setchouan": "Sichuan",
}


def load_french_pipeline(model: str = MODEL) -> spacy.Language:
    """The model's `ner` alone (it has its own embedding layer: every other trained pipe is
    excluded). ModelNotFoundError when the model is not installed."""
    return load_base(model)


@functools.cache
def _country_index() -> dict[str, str]:
    """Normalised French country name -> ISO code: each country's name, common name and
    official name in French, and the head of 'Russie, Fédération de' when it names one
    country only ('Corée, ...' names two)."""
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    index: dict[str, str] = {}
    heads: dict[str, set[str]] = {}
    for c in pycountry.countries:
        if countries.country_code(c.name) != c.alpha_2:
            continue  # what the English tables do not treat as a country (Taiwan, Antarctica)
        for name in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if not name:
                continue
            translated = french.gettext(name)
            index.setdefault(countries.norm_place(translated), c.alpha_2)
            if ", " in translated:
                heads.setdefault(countries.norm_place(translated.split(", ")[0]),
                                 set()).add(c.alpha_2)
    for head, codes in heads.items():
        if len(codes) == 1:
            index.setdefault(head, next(iter(codes)))
    for alias, code in _COUNTRY_ALIASES.items():
        index[countries.norm_place(alias)] = code
    return index


@functools.cache
def _exonym_index() -> dict[str, str]:
    return {countries.norm_place(fr): en for fr, en in _EXONYMS.items()}


def french_country_code(text: str) -> str | None:
    """'Chine' -> 'CN', 'les États-Unis' -> 'US', 'Kazakhstan' -> 'KZ'; None otherwise. Names
    French writes as English does (Kazakhstan, Mali) are found by the English table too."""
    name = _without_article(text)
    return _country_index().get(countries.norm_place(name)) or countries.country_code(name)


def _without_article(text: str) -> str:
    text = " ".join(text.split())
    m = _ARTICLE.match(text)
    return text[m.end():] if m else text


def _place_entity(name: str, *, city_codes: bool) -> Entity:
    code = french_country_code(name)
    if code:
        english = countries.country_name(code)
        return Entity(entity_id("GPE", english, country=code), english, "GPE", code)
    english = _exonym_index().get(countries.norm_place(name), name)
    located = countries.place_country(english)
    if located:
        return Entity(entity_id("GPE", english), english, "GPE", located if city_codes else None,
                      located_in=located)
    return Entity(entity_id("LOC", name), name, "LOC")


def _person_names(spans: Sequence[tuple[int, int, str, str]]) -> dict[str, str]:
    """Each word of a multi-word person name -> that name, the first full name winning, so
    that 'Tokaïev' alone is 'Kassym-Jomart Tokaïev'."""
    names: dict[str, str] = {}
    for _, _, label, text in spans:
        words = norm_name(text).split()
        if label == "PERSON" and len(words) > 1:
            for word in words:  # 'Kassym-Jomart' is two words to norm_name
                names.setdefault(word, text)
    return names


def _spans(body: str, doc: Doc) -> list[tuple[int, int, str, str]]:
    """(start, end, label, text) of the kept entities, a leading lower-case article cut off."""
    out = []
    for ent in doc.ents:
        label = _LABELS.get(ent.label_)
        if label is None:
            continue
        start, end = ent.start_char, ent.end_char
        if label != "PERSON" and (m := _ARTICLE.match(body, start, end)):
            start = m.end()
        text = " ".join(body[start:end].split())
        if text and not (label == "LOC" and norm_name(text) in _NOT_PLACES):
            out.append((start, end, label, text))
    return out


def enrich_french_doc(article_id: str, body: str, doc: Doc, *,
                      city_codes: bool = False) -> Enrichment:
    """Entities and mentions of one French body (no quotes, see the module docstring)."""
    spans = _spans(body, doc)
    persons = _person_names(spans)
    defined: dict[str, str] = {}  # 'ONU' -> 'Organisation des Nations Unies'
    for _, end, label, text in spans:
        d = _DEFINED.match(body, end)
        if label == "ORG" and d and len(text.split()) > 1:
            defined.setdefault(d.group(1), text)
    entities: dict[str, Entity] = {}
    mentions: list[EntityMention] = []
    for start, end, label, text in spans:
        if label == "PERSON":
            name = persons.get(norm_name(text), text) if len(text.split()) == 1 else text
            entity = Entity(entity_id("PERSON", name), name, "PERSON")
        elif label == "ORG":
            name = defined.get(text, text) if _ACRONYM.fullmatch(text) else text
            entity = Entity(entity_id("ORG", name), name, "ORG")
        else:
            entity = _place_entity(text, city_codes=city_codes)
        entities.setdefault(entity.entity_id, entity)
        mentions.append(EntityMention(article_id, entity.entity_id, body[start:end], start, end))
    return Enrichment(article_id, tuple(entities.values()), tuple(mentions), ())


def enrich_french(nlp: spacy.Language, articles: Sequence[tuple[str, str]], *,
                  batch_size: int = 64, city_codes: bool = False) -> list[Enrichment]:
    """One Enrichment per (article_id, clean French body), in order, via one nlp.pipe."""
    bodies = [body[:nlp.max_length] for _, body in articles]  # as enrich_articles does
    docs = nlp.pipe(bodies, batch_size=batch_size)
    return [enrich_french_doc(aid, body, doc, city_codes=city_codes)
            for (aid, _), body, doc in zip(articles, bodies, docs, strict=True)]
