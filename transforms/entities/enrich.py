"""From (article_id, clean body) pairs to Enrichment records, via one batched nlp.pipe."""

from __future__ import annotations

from collections.abc import Sequence

import spacy
from spacy.tokens import Doc

from transforms.entities.canonical import RawMention, Resolved, resolve
from transforms.entities.quotes import extract_quotes
from transforms.records import Enrichment, Entity, EntityMention, Quote


def enrich_doc(article_id: str, doc: Doc, *, city_codes: bool = False,
               body: str | None = None) -> Enrichment:
    """Entities, mentions and quotes of one processed body (offsets index into doc.text).
    `body` is the text the doc was made from, when the caller has it: spaCy rebuilds
    doc.text from the tokens on every access (about 1 ms for an article)."""
    body = doc.text if body is None else body
    raw = [RawMention(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]
    resolved: list[Resolved] = resolve(body, raw, city_codes=city_codes)
    sentences = [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation(
        "SENT_START") else [(0, len(body))]
    entities: dict[str, Entity] = {}
    mentions: list[EntityMention] = []
    seen: set[tuple[int, int]] = set()
    for r in resolved:
        m = r.mention
        if (m.start, m.end) in seen:
            continue  # the warehouse keys mentions by (article, start, end)
        seen.add((m.start, m.end))
        entities.setdefault(r.entity.entity_id, r.entity)
        mentions.append(EntityMention(article_id, r.entity.entity_id, body[m.start:m.end],
                                      m.start, m.end))
    quotes = tuple(
        Quote(article_id, h.speaker.entity_id, h.speaker.name, body[h.start:h.end],
              h.start, h.end)
        for h in extract_quotes(body, sentences, resolved))
    for q in quotes:  # a pronoun's speaker is an entity of the article even if unnamed here
        entities.setdefault(q.speaker_entity_id, next(
            h.entity for h in resolved if h.entity.entity_id == q.speaker_entity_id))
    return Enrichment(article_id, tuple(entities.values()), tuple(mentions), quotes)


def enrich_articles(nlp: spacy.Language, articles: Sequence[tuple[str, str]], *,
                    batch_size: int = 64, n_process: int = 1,
                    city_codes: bool = False) -> list[Enrichment]:
    """One Enrichment per (article_id, clean body), in order. NER runs in batches over the
    bodies only (never headers or captions); offsets index into the body given.
    `city_codes=True` gives known cities their country's code (off: see docs/ENTITIES.md)."""
    # spaCy refuses texts over nlp.max_length (1,000,000 characters); a body that long is not
    # an article, so only its head is read. Offsets stay valid: the head is a prefix.
    bodies = [body[:nlp.max_length] for _, body in articles]
    docs = nlp.pipe(bodies, batch_size=batch_size, n_process=n_process)
    return [enrich_doc(aid, doc, city_codes=city_codes, body=body)
            for (aid, _), body, doc in zip(articles, bodies, docs, strict=True)]
