"""Turn an article's entity strings into entities: one canonical name and one stable id each.

Within an article, later short forms resolve to the full form written earlier: 'Xi' ->
'Xi Jinping' (any word of the name, since Chinese names put the surname first and Lao or
Ethiopian names are shortened to the given name), 'UN' -> 'United Nations', 'GAC' -> the name
it was defined for, 'Shenhua' -> 'Shanghai Shenhua'. Countries and nationalities resolve to
ISO codes. Across articles, ids.entity_id makes the same canonical name the same row.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from transforms.entities import countries, demonyms, gazetteer, orgs
from transforms.entities.ids import entity_id, norm_name
from transforms.entities.labels import table_label
from transforms.entities.lexicon import (
    FAC_HEADS,
    GPE_HEADS,
    HONORIFICS,
    LOC_HEADS,
    ORG_HEADS,
    PERSON_ONLY_NOUNS,
    SPEECH_VERBS,
    TITLE_HEADS,
)
from transforms.records import Entity

KEPT_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT",
                         "WORK_OF_ART", "LAW", "LANGUAGE"})
_HEADS = ORG_HEADS | FAC_HEADS | LOC_HEADS | GPE_HEADS
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&\-]{1,9}$")
_DEFINED = re.compile(r"\s*\(\s*([A-Z][A-Za-z0-9&\-]{1,9})\s*\)")
# Words too generic to identify an organisation on their own.
_GENERIC = frozenset({"of", "the", "and", "for", "on", "in", "national", "international",
                      "organization", "organisation", "association", "council", "company",
                      "bank", "group", "agency", "administration", "authority", "committee",
                      "ministry", "department", "university", "institute", "academy",
                      "china", "chinese", "state", "people's", "peoples", "general", "world",
                      "united", "central", "development", "cooperation", "new", "league"})


@dataclass(frozen=True, slots=True)
class RawMention:
    """An entity span as the pipeline found it."""

    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class Resolved:
    mention: RawMention
    entity: Entity


def _words(text: str) -> list[str]:
    return norm_name(text).split()


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'-]*", name)
                   if w[0].isupper() and w.lower() not in ("of", "the", "and", "for"))


def _is_sub(short: list[str], full: list[str]) -> bool:
    n = len(short)
    return 0 < n < len(full) and any(full[i:i + n] == short for i in range(len(full) - n + 1))


def _country_entity(label: str, code: str) -> Entity:
    name = (demonyms.CANONICAL_DEMONYM.get(code) if label == "NORP" else None) or \
        countries.country_name(code)
    return Entity(entity_id(label, name, country=code), name, label, code)


def _place_entity(m: RawMention, city_codes: bool) -> Entity:
    name = " ".join(m.text.split())
    name = name[4:] if name.lower().startswith("the ") else name
    if m.label == "NORP":
        code = demonyms.demonym_code(name) or countries.country_code(name)
    else:
        code = countries.country_code(name)
    if code:
        return _country_entity(m.label, code)
    # Not a country: a city keeps its country's code in located_in. country_code stays for
    # places that are countries (a city is not a country mention, see docs/ENTITIES.md),
    # unless the caller asks for the code there too.
    located = countries.place_country(name) if m.label == "GPE" else None
    return Entity(entity_id(m.label, name), name, m.label, located if city_codes else None,
                  located_in=located)


def _named(label: str, name: str) -> Entity:
    return Entity(entity_id(label, name), name, label)


def _strip_the(text: str) -> str:
    text = " ".join(text.split())
    return text[4:] if text.lower().startswith("the ") else text


def resolve(body: str, mentions: Sequence[RawMention], *,
            city_codes: bool = False) -> list[Resolved]:
    """Canonical entity for each mention, in order; mentions that are noise are left out."""
    ms = _promote_persons(sorted((m for m in mentions if m.label in KEPT_LABELS),
                                 key=lambda m: m.start))
    ms = sorted(ms + _untagged_name_words(body, ms), key=lambda m: m.start)
    persons = [(m, _words(m.text)) for m in ms if m.label == "PERSON" and len(_words(m.text)) > 1]
    org_full = [m for m in ms if m.label == "ORG" and len(_words(m.text)) > 1]
    defined: dict[str, str] = {}  # acronym -> full name, from 'Full Name (ACR)'
    for m in ms:
        d = _DEFINED.match(body, m.end)
        if d and m.label in ("ORG", "FAC", "LOC", "PRODUCT", "EVENT") and len(_words(m.text)) > 1:
            full = _strip_the(m.text)
            defined.setdefault(d.group(1), orgs.known_org(full) or full)

    def person_for(m: RawMention) -> str | None:
        words = _words(m.text)
        cands = [(p, full) for p, full in persons if _is_sub(words, full)]
        before = [p for p, _ in cands if p.start < m.start]
        pick = before[-1] if before else (cands[0][0] if cands else None)
        return None if pick is None else canonical_person[_key(pick)]

    def org_for(m: RawMention) -> str | None:
        text = _strip_the(m.text)
        if text in defined:
            return defined[text]
        table = orgs.known_org(text)
        if table:
            return table
        if _ACRONYM.match(text):
            for o in org_full:
                if _initials(_strip_the(o.text)) == text:
                    return _strip_the(o.text)
            return None
        words = _words(text)
        if len(words) == 1 and words[0] not in _GENERIC:
            cands = [o for o in org_full if words[0] in _words(o.text)]
            before = [o for o in cands if o.start < m.start]
            pick = before[-1] if before else (cands[0] if cands else None)
            if pick is not None:
                return orgs.known_org(_strip_the(pick.text)) or _strip_the(pick.text)
        return None

    # The first full mention of a person fixes the canonical spelling of everyone sharing it.
    canonical_person: dict[str, str] = {}
    for p, full in persons:
        longer = [q for q, f in persons if _is_sub(full, f)]
        canonical_person[_key(p)] = " ".join((longer[0] if longer else p).text.split())

    out: list[Resolved] = []
    unresolved: list[RawMention] = []
    for m in ms:
        text = _strip_the(m.text)
        single = len(_words(text)) == 1
        is_country = bool(demonyms.demonym_code(text) or countries.country_code(text))
        # a gazetteer town the model tagged GPE stays a place: 'the city of Kragujevac' is not
        # the 'University of Kragujevac' named later
        is_place = is_country or bool(countries.place_country(text)) or (
            m.label == "GPE" and single and gazetteer.place_code(text) is not None)
        if m.label == "PERSON" and not single:
            out.append(Resolved(m, _named("PERSON", person_for(m) or canonical_person[_key(m)])))
        elif not is_country and (name := person_for(m)):
            # 'Wang' ORG, 'Vekic' GPE, 'Torres Vidal' WORK_OF_ART: part of a person's name
            out.append(Resolved(m, _named("PERSON", name)))
        elif m.label == "ORG" or (single and not is_place and org_for(m)):
            name = org_for(m)
            if name is None and single and not _ACRONYM.match(text):
                unresolved.append(m)
                continue
            out.append(Resolved(m, _named("ORG", name or text)))
        elif m.label in ("GPE", "NORP"):
            out.append(Resolved(m, _place_entity(m, city_codes)))
        elif m.label == "PERSON":
            unresolved.append(m)
        else:
            out.append(Resolved(m, _named(m.label, text)))
    # A lone capitalised word the model called a person or an organisation, that no full name
    # explains, is usually a sentence-initial adjective or a modifier ('Radiometric dating',
    # 'the Tiangong space station'). Kept only when the article repeats it.
    counts = Counter(_strip_the(m.text) for m in unresolved)
    # The same lone word as a PERSON and as an ORG is one organisation the model hesitated
    # over ('Santos beat Flamengo', then 'Santos coach ...'): no full name makes it a person.
    org_words = {_strip_the(m.text) for m in unresolved if m.label == "ORG"}
    for m in unresolved:
        text = _strip_the(m.text)
        if counts[text] > 1 or not text[1:].islower() or _named_in_passing(body, m) or \
                _person_in_context(body, m):
            label = "ORG" if text in org_words else m.label
            out.append(Resolved(m, _named(label, text)))
    out.extend(_undetected_acronyms(body, out, defined))
    return sorted(out, key=lambda r: r.mention.start)


# What follows an organisation named in passing: punctuation, a score, the end of the text.
_AFTER_NAME = re.compile(r"[ \t]*(?:[,.;:!?)]|\d|$)")
_SENTENCE_START = frozenset(".!?\"“”‘’'\n:(")


def _named_in_passing(body: str, m: RawMention) -> bool:
    """A lone word the model tagged ORG inside a sentence and right before punctuation or a
    score ('drew with Sevilla,', 'beat Flamengo 2-1', 'lost to Cadiz.') is a name: a
    sentence-initial word ('Solar modules') or a modifier ('the Tiangong space station',
    'Swahili and') is not."""
    if m.label != "ORG":
        return False
    before = body[:m.start].rstrip(" \t")
    if not before or before[-1] in _SENTENCE_START or before.endswith((" the", " a", " an")):
        return False
    return _AFTER_NAME.match(body, m.end) is not None


# Right after a lone surname: an age, 'who', or an apposition with an age or a noun only
# people are described by ('Sutrisno, a 52-year-old farmer'); right before it, a title or an
# honorific. A speech verb is no such cue: 'Pertamina said' is a firm the model called PERSON.
_PERSON_AFTER = re.compile(
    r",\s+(?:\d{1,3},|who\b|(?:an?|the)\s+(?:\d{1,3}-year-old\b|(?:[a-z-]+\s+){0,3}(?:" +
    "|".join(sorted(PERSON_ONLY_NOUNS)) + r")\b))")
_QUOTE_END = re.compile(r"[,.!?][\"”’]\s+$")
_ATTRIBUTION_BEFORE = re.compile(r"[,.!?][\"”’]\s+(?:said|says|added)\s+$")
_VERB_AFTER = re.compile(r"\s+(?:said|says|added)\b")
# Organisations speak 'in a statement': '," said Pertamina in a statement.'
_STATEMENT_AFTER = re.compile(r"(?:\s+(?:said|says|added))?\s+in an? (?:statement|note|report)")
_PERSON_BEFORE = frozenset({w.casefold() for w in TITLE_HEADS | HONORIFICS})
# Right after a lone word the model called ORG: a speech verb or an apposition ('Pertamina
# said', 'Telkomsel, a subsidiary of ...'). Modifiers ('the Tiangong space station') have none.
_ORG_AFTER = re.compile(r"(?:\s+(?:" + "|".join(sorted(SPEECH_VERBS)) + r")\b|"
                        r",\s+(?:an?|the)\s)")


def _person_in_context(body: str, m: RawMention) -> bool:
    """A lone word that the text marks as a person or an organisation: 'President Ramaphosa',
    'Kipchoge, 39,', 'Pertamina said' (ORG). Sentence-initial modifiers ('Radiometric
    dating') have none of these."""
    if m.label == "ORG":
        return _ORG_AFTER.match(body, m.end) is not None
    if m.label != "PERSON":
        return False
    lead = body[max(0, m.start - 16):m.start]
    if _PERSON_AFTER.match(body, m.end) or (
            (_ATTRIBUTION_BEFORE.search(lead) or (
                _QUOTE_END.search(lead) and _VERB_AFTER.match(body, m.end))) and
            not _STATEMENT_AFTER.match(body, m.end)):
        return True  # ... or the speaker of a quote: '," said Sutrisno.', '," Sutrisno said.'
    before = body[max(0, m.start - 20):m.start].split()
    return bool(before) and before[-1].casefold() in _PERSON_BEFORE


def _promote_persons(ms: list[RawMention]) -> list[RawMention]:
    """A multi-word name the model called a place or an organisation is a person when the
    article also uses one of its words alone as a person ('Bounmy Sisavath' GPE, later
    'said Bounmy' PERSON). Known places and names with an institutional head are left alone."""
    person_words = {_strip_the(m.text) for m in ms
                    if m.label == "PERSON" and len(m.text.split()) == 1}
    if not person_words:
        return ms
    out = []
    for m in ms:
        words = _strip_the(m.text).split()
        if m.label in ("GPE", "LOC", "ORG", "NORP", "FAC", "PRODUCT") and 1 < len(words) <= 4 \
                and person_words & set(words) and words[-1] not in _HEADS \
                and all(w[:1].isupper() for w in words) and not table_label(m.text) \
                and not (m.label == "ORG" and table_label(words[0])):  # 'Shanghai Shenhua'
            m = RawMention(m.start, m.end, "PERSON", m.text)
        out.append(m)
    return out


# Short words that are English before they are names.
_NOT_SURNAMES = frozenset({"He", "She", "We", "It", "In", "On", "At", "As", "An", "So", "No",
                           "Do", "Be", "By", "Of", "Or", "To", "Up", "Us", "The", "And", "But",
                           "For", "Mr", "Ms", "Dr", "Van", "Thi", "Bin", "Al", "El"})


def _untagged_name_words(body: str, ms: list[RawMention]) -> list[RawMention]:
    """Any word of a full name, where the model tagged nothing ('Japarov said': the model found
    'Sadyr Japarov' but not the bare surname; 'Torres said' after 'Maria Elena Torres Vidal').
    Resolution maps them back. Lower-case particles ('da') and short words are not names."""
    words: set[str] = set()
    for m in ms:
        parts = m.text.split()
        if m.label == "PERSON" and len(parts) > 1:
            words.update(w for w in parts if w[:1].isupper() and len(w) > 1 and
                         w not in _NOT_SURNAMES and w.isalpha() and not table_label(w))
    # a word that also names an organisation or a place of this article is not safe alone,
    # unless that mention is the word by itself ('Vidal' ORG): it resolves to the person too
    words -= {w for m in ms if m.label != "PERSON" and m.text not in words
              for w in m.text.split()}
    if not words:
        return []
    taken = [(m.start, m.end) for m in ms]
    out = []
    pattern = re.compile(r"(?<![\w'’-])(" + "|".join(map(re.escape, sorted(words))) +
                         r")(?![\w-])(?!\s+[A-Z])")
    for hit in pattern.finditer(body):
        s, e = hit.span()
        if not any(a < e and s < b for a, b in taken):
            out.append(RawMention(s, e, "PERSON", hit.group(0)))
    return out


def _all_caps(line: str) -> bool:
    """A sub-heading in capitals ('WHO CHIEF IN BEIJING') names nothing."""
    letters = [c for c in line if c.isalpha()]
    return len(line.split()) > 1 and all(c.isupper() for c in letters)


def _key(m: RawMention) -> str:
    return f"{m.start}:{m.end}"


def _undetected_acronyms(body: str, found: list[Resolved],
                         defined: dict[str, str]) -> list[Resolved]:
    """Occurrences of an acronym the article defined that the model did not tag
    ('GAC spokesperson Lyu Daliang'): they count as mentions too."""
    by_acr = {r.mention.text: r.entity for r in found
              if r.entity.type == "ORG" and _ACRONYM.match(r.mention.text)}
    for acr, full in defined.items():
        ent = next((r.entity for r in found if r.entity.name == full), None)
        if ent is not None:
            by_acr.setdefault(acr, ent)
    taken = [(r.mention.start, r.mention.end) for r in found]
    extra: list[Resolved] = []
    for acr, ent in by_acr.items():
        for hit in re.finditer(rf"(?<![\w-]){re.escape(acr)}(?![\w-])", body):
            s, e = hit.span()
            line_end = body.find("\n", e)
            line = body[body.rfind("\n", 0, s) + 1:line_end if line_end >= 0 else len(body)]
            if not any(a < e and s < b for a, b in taken) and not _all_caps(line):
                extra.append(Resolved(RawMention(s, e, "ORG", acr), ent))
                taken.append((s, e))
    return extra
