"""A pipeline component that repairs the entity spans the model and the ruler agree on.

Each step fixes one systematic error of the small English model on agency copy; they work on
token spans and only need the Doc, so the component stays cheap and picklable.
"""

from __future__ import annotations

import itertools
import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from transforms.entities import countries, demonyms
from transforms.entities.labels import ACRONYM, NUMERIC, Ent, table_label
from transforms.entities.lexicon import (
    FAC_HEADS,
    GPE_HEADS,
    LAW_HEADS,
    LOC_HEADS,
    NOT_NAME_WORDS,
    ORG_HEADS,
    PLACE_NOUNS,
    TECH_ACRONYMS,
)
from transforms.entities.persons import (
    chinese_names,
    described_persons,
    described_untagged,
    drop_leading_roles,
    merge_name_parts,
    name_is_shaped,
    name_run,
    speaking_names,
    split_demonyms,
    titled_names,
)
from transforms.entities.places import after_preposition, org_cue, relabel_places
from transforms.entities.wordlists import GIVEN_NAMES

_SCORE = re.compile(r"^[\d.,:/\-–]+$")
_PRODUCT_NAME = re.compile(r"[A-Za-z]-?\d+[A-Za-z]?$")  # COVID-19, Shenzhou-18, Chang'e-6
_TECH_SHAPE = re.compile(r"^\d+[A-Z]{1,2}$")  # '3D', '5G', '4K'
_CREDIT = re.compile(r"\((?:[^()\n]{0,80}?(?:/|\bvia\b|\bby\b|:)\s*)?"
                     r"(?:Xinhua|Reuters|AFP|AP|TASS|Kyodo|Yonhap|EFE)"
                     r"(?:\s+photo)?(?:\s*/[^()\n]{1,80})?\)")
# A byline paragraph left in the body: 'By Li Gang', 'By Xinhua writers Li Gang and Wang Yi'.
_NAME = r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3}"
_BYLINE = re.compile(rf"(?m)^[ \t]*By (?:\w+ (?:writers?|reporters?|correspondents?) )?"
                     rf"{_NAME}(?:(?:,| and|, and) {_NAME})*[ \t]*$")
# Buildings that are institutions: a FAC ending in one is the organisation. Venues ('Center',
# 'Hotel', 'Port') stay facilities.
_INSTITUTION_HEADS = frozenset({"Hospital", "University", "College", "School", "Academy",
                                "Institute", "Clinic"})
_BEFORE_THE = frozenset({"of", "for", "and", "on", "in", "at", "to", "&", "from", "by", "with",
                         "under", "over", "against"})
# First words of natural features: 'Lake Victoria, which ...' tagged PERSON is a lake.
_LOC_FIRST = frozenset({"Lake", "Mount", "Mt.", "Gulf", "Cape", "Isle", "Bay"})
_DIRECTIONS = frozenset({"North", "South", "East", "West", "Northern", "Southern", "Eastern",
                         "Western", "Central", "Northeast", "Northwest", "Southeast",
                         "Southwest", "Upper", "Lower"})
_REGION_SUFFIX = GPE_HEADS | {"Autonomous", "Special", "Administrative"}
# Places that are also given names: a person called 'Sofia Lindqvist' is no club.
_GIVEN_NAME_PLACES = frozenset({"Sofia", "Paris", "Florence", "Victoria", "Sydney", "Austin",
                                "Georgia", "Jordan", "Chad", "Lima", "Santiago", "Salvador",
                                "Adelaide", "Alexandria", "Regina", "Charlotte", "Madison",
                                "Phoenix", "Houston", "Dallas", "Denver", "Chelsea", "Lincoln",
                                "Valencia", "Aden", "Nice", "Israel", "India", "China", "Kenya"})


def _is_heading(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(text.split()) > 1 and bool(letters) and all(c.isupper() for c in letters)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Character spans of the '\n\n'-separated paragraphs."""
    out, start = [], 0
    for m in re.finditer(r"\n\s*\n", text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def _trim(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """Cut at line breaks; drop a leading 'the', trailing possessives, punctuation and scores;
    split 'Organization (SCO' into the name and its acronym."""
    out: list[Ent] = []
    for start, end, label in ents:
        if label in NUMERIC:
            out.append((start, end, label))
            continue
        for i in range(start, end - 1):  # 'Xinhua\nEditor': never across a line break
            if "\n" in doc[i].whitespace_ or doc[i].is_space:
                end = i + 1
                break
        while start < end and (doc[start].lower_ == "the" or doc[start].is_punct
                               or doc[start].is_space):
            start += 1
        # 'Xinhua the museum' ('told Xinhua the museum had ...'): a lower-case 'the' inside a
        # name follows a preposition ('Bank of the Philippine Islands'), or the name has ended
        cut = next((i for i in range(start + 1, end) if doc[i].text == "the" and
                    doc[i - 1].lower_ not in _BEFORE_THE), None)
        if cut is not None:
            end = cut
        paren = next((i for i in range(start, end) if doc[i].text == "("), None)
        if paren is not None:
            inner = [t for t in doc[paren + 1:end] if not t.is_punct]
            if len(inner) == 1 and ACRONYM.match(inner[0].text):
                out.append((inner[0].i, inner[0].i + 1, "ORG" if label == "ORG" else label))
            end = paren
        while end > start and (doc[end - 1].is_punct or doc[end - 1].text in ("'s", "’s")
                               or doc[end - 1].is_space or _SCORE.match(doc[end - 1].text)):
            end -= 1
        if end > start:
            out.append((start, end, label))
    return out


def _extend_of(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """'the National Astronomical Observatories of' + 'China' -> one ORG; any other span the
    model left hanging on 'of' just loses the 'of' ('the Gobi Desert of')."""
    ents = sorted(ents)
    out: list[Ent] = []
    skip = -1
    for k, (start, end, label) in enumerate(ents):
        if k == skip:
            continue
        if label not in NUMERIC and doc[end - 1].lower_ in ("of", "for", "and", "on", "&"):
            if label == "ORG":
                nxt = ents[k + 1] if k + 1 < len(ents) else None
                if nxt and nxt[0] == end:
                    out.append((start, nxt[1], "ORG"))
                    skip = k + 1
                    continue
                run = name_run(doc, end)
                if run > end:
                    out.append((start, run, "ORG"))
                    continue
            end -= 1
        if end > start:
            out.append((start, end, label))
    return out


# Lower-case words inside organisation names in other languages: 'Banco do Brasil',
# 'Instituto Nacional de Estadistica y Geografia', 'Bangko Sentral ng Pilipinas'.
_ORG_PARTICLES = frozenset({"do", "da", "dos", "das", "de", "del", "della", "di", "du", "des",
                            "y", "e", "ng", "et"})


def _extend_particles(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """An ORG the model ended before a particle ('Banco' ORG, 'do', 'Brasil' PERSON) takes in
    the capitalised words after it, and whatever the model made of them."""
    if not any(lab == "ORG" for _, _, lab in ents):
        return ents
    ents = sorted(ents)
    out: list[Ent] = []
    cover = -1
    for start, end, label in ents:
        if start < cover:
            continue  # swallowed by the organisation before it
        if label == "ORG":
            new_end, j = end, end
            while j + 1 < len(doc) and doc[j].lower_ in _ORG_PARTICLES and \
                    doc[j - 1].whitespace_ and doc[j + 1].is_title and j + 1 - start < 8:
                j += 1
                while j < len(doc) and doc[j].is_title and not doc[j].is_sent_start and \
                        doc[j].text not in NOT_NAME_WORDS and j - start < 8:
                    j += 1
                new_end = j
            end, cover = new_end, new_end
        out.append((start, end, label))
    return out


def _join_spans(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """Two spans the model cut apart that make one name:
    - 'Sub-Saharan' ORG + 'African' NORP: a regional demonym phrase, NORP;
    - 'Banana Exporters Association' ORG + 'of' + 'Ecuador' GPE: an organisation named
      after its country (the ORG must end in a head noun; the country inside it is no
      country mention, as in 'Reserve Bank of Australia')."""
    ents = sorted(ents)
    out: list[Ent] = []
    for start, end, label in ents:
        if out and label not in NUMERIC:
            p_start, p_end, p_label = out[-1]
            if p_end == start and p_label not in NUMERIC and \
                    demonyms.is_demonym_phrase(doc[p_start:end].text):
                out[-1] = (p_start, end, "NORP")
                continue
            if p_label == "ORG" and label == "GPE" and start == p_end + 1 and \
                    doc[p_end].lower_ == "of" and doc[p_end - 1].text in ORG_HEADS and \
                    countries.country_code(doc[start:end].text):
                out[-1] = (p_start, end, "ORG")
                continue
        out.append((start, end, label))
    return out


# Heads of public bodies an untagged capitalised run may end in ('Uganda's High Court',
# 'the Supreme Court'): the model often leaves these untagged.
_BODY_HEADS = frozenset({"Court", "Ministry", "Commission", "Authority", "Council", "Agency",
                         "Bureau", "Parliament", "Assembly", "Institute", "University",
                         "Administration", "Directorate", "Secretariat", "Tribunal"})
_BODY_RUN = re.compile(r"(?<![\w'’-])(?:[A-Z][a-z]+ ){1,4}(?:" + "|".join(sorted(_BODY_HEADS)) +
                       r")(?![\w-])")


def _untagged_bodies(doc: Doc, ents: list[Ent], text: str) -> list[Ent]:
    """An untagged run of capitalised words ending in the head of a public body ('High
    Court') is an ORG. 'The' opens no name; a run inside a tagged span is left alone."""
    taken = {i for s, e, _ in ents for i in range(s, e)}
    out = list(ents)
    for m in _BODY_RUN.finditer(text):
        span = doc.char_span(m.start(), m.end())
        if span is None or taken.intersection(range(span.start, span.end)):
            continue
        start = span.start
        while start < span.end - 1 and doc[start].text in NOT_NAME_WORDS:
            start += 1  # 'The', 'In', 'On': a sentence start, no part of the name
        if span.end - start >= 2 and not (start and doc[start - 1].is_title and
                                          not doc[start - 1].is_sent_start):
            out.append((start, span.end, "ORG"))
            taken.update(range(start, span.end))
    return out


def _possessed_names(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """"Bahrain's Salwa Eid Naser" tagged ORG: a name of two to four words right after a
    country's possessive is a person unless something marks a firm or a club ('carmaker',
    'FC', a sentence about shares or sales) or a word of it is a head noun, a place or a
    known organisation ("Uganda's High Court", "Spain's Real Madrid")."""
    out: list[Ent] = []
    for start, end, label in ents:
        if label == "ORG" and 2 <= end - start <= 4 and start >= 2 and \
                doc[start - 1].text in ("'s", "’s") and \
                countries.country_code(doc[start - 2].text) and \
                name_is_shaped(doc, start, end) and \
                not any(table_label(t.text) for t in doc[start:end]) and \
                org_cue(doc, start, end) not in ("marker", "business"):
            label = "PERSON"
        out.append((start, end, label))
    return out


def _relabel(doc: Doc, ents: list[Ent]) -> list[Ent]:
    out: list[Ent] = []
    for start, end, label in ents:
        if label in NUMERIC:
            out.append((start, end, label))
            continue
        span = doc[start:end]
        words = [t.text for t in span if not t.is_punct]
        last = words[-1] if words else ""
        known = table_label(span.text)
        prev = doc[start - 1] if start else None
        prev2 = doc[start - 2] if start > 1 else None
        if known == "GPE" and label == "PERSON" and last.casefold() in GIVEN_NAMES and \
                not countries.country_code(span.text) and not after_preposition(doc, start):
            pass  # 'Sofia said', 'Santiago wants': a person named like a city of the table
        elif known:
            label = known
        elif label in ("PERSON", "ORG", "GPE", "LOC", "PRODUCT", "NORP") and \
                demonyms.is_demonym_phrase(span.text):
            label = "NORP"  # 'Southeast Asian', 'Latin American' are no persons
        elif span.text.endswith(" Time") and label in ("ORG", "PERSON"):
            label = "TIME"  # 'Beijing Time'
        elif label in ("ORG", "PERSON") and _PRODUCT_NAME.search(span.text):
            label = "PRODUCT"  # 'COVID-19', 'Shenzhou-18': missions, vehicles, diseases
        elif label in ("ORG", "PERSON", "EVENT") and last in LAW_HEADS:
            label = "LAW"  # 'China-Singapore Free Trade Agreement', 'Kazan Declaration'
        elif label == "PERSON" and last in ORG_HEADS:
            label = "ORG"  # 'Luban Workshop'
        elif label == "PERSON" and last in FAC_HEADS:
            label = "FAC"
        elif label in ("PERSON", "ORG", "NORP", "FAC", "GPE") and last in LOC_HEADS:
            label = "LOC"
        elif label in ("PERSON", "NORP", "PRODUCT") and last in GPE_HEADS:
            label = "GPE"
        elif label in ("PERSON", "ORG") and len(words) > 1 and words[0] in _LOC_FIRST:
            label = "LOC"
        elif label == "FAC" and last in _INSTITUTION_HEADS:
            label = "ORG"  # 'Lautoka Hospital', 'Kabul University': the institution
        elif label == "PERSON" and len(words) > 1 and words[0] in _DIRECTIONS:
            label = "LOC"  # 'Central Java', 'West Kalimantan': a region, no given name
        elif label == "PERSON" and len(words) > 1 and words[0] not in _GIVEN_NAME_PLACES and (
                countries.place_country(words[0]) or countries.country_code(words[0])):
            label = "ORG"  # 'Shanghai Shenhua': clubs and firms named after their city
        elif label == "NORP" and 1 < len(words) <= 4 and all(
                t.is_title and not table_label(t.text) for t in span if not t.is_punct):
            label = "PERSON"  # 'Sun Tiantian' is no nationality
        if not known and label in ("PERSON", "ORG", "PRODUCT", "FAC", "WORK_OF_ART") and \
                prev2 is not None and prev.lower_ == "of" and prev2.lower_ in PLACE_NOUNS:
            label = "GPE"  # 'the province of Binh Duong'
        out.append((start, end, label))
    return out


def _region_guard(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """'Inner' + 'Mongolia' is a region: widen the span (and take 'Autonomous Region' along) so
    it no longer reads as the country."""
    out: list[Ent] = []
    for start, end, label in ents:
        if label in ("GPE", "NORP") and start and doc[start - 1].is_title and \
                doc[start - 1].lower_ in countries.REGION_PREFIXES:
            wide = doc[start - 1:end].text
            if not (countries.country_code(wide) or demonyms.demonym_code(wide)):
                start -= 1
                while end < len(doc) and doc[end].text in _REGION_SUFFIX:
                    end += 1
        out.append((start, end, label))
    return out


def _tech_terms(text: str) -> bool:
    """'AI', 'NEVs', '5G', '3D': technologies and measures, not organisations or places."""
    if _TECH_SHAPE.match(text) or text in TECH_ACRONYMS:
        return True
    return text.endswith("s") and text[:-1] in TECH_ACRONYMS  # 'EVs', 'SMEs'


def _not_entities(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """Drop technology acronyms. One in brackets right after a name is that name's acronym
    ('Amnesty International (AI)') and stays."""
    out: list[Ent] = []
    for start, end, label in ents:
        if end - start <= 3 and label not in NUMERIC and label != "LAW" and _tech_terms(
                doc[start].text if end - start == 1 else doc[start:end].text) and not (
                    start > 1 and doc[start - 1].text == "(" and doc[start - 2].is_title):
            continue
        out.append((start, end, label))
    return out


def _credits(text: str) -> list[tuple[int, int]]:
    """Character spans of agency credits, datelines and bylines left in the text: '(Xinhua)',
    '(Xinhua/Zhai Jianlan)', '(Photo by Li Gang/Xinhua)', a 'By Li Gang' paragraph. Neither
    the agency nor the names in them are mentions; the agency named in the text ('told
    Xinhua', 'Xinhua learned') is one. Cleaning removes these before NER; this is the entity
    side's guard for what it misses."""
    spans = [m.span() for m in _CREDIT.finditer(text)] if "(" in text else []
    if "By " in text:
        spans.extend(m.span() for m in _BYLINE.finditer(text))
    return spans


def _no_lowercase_names(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """Names have a capital letter: 'cooperatives' tagged ORG is noise."""
    return [x for x in ents if x[2] in NUMERIC or any(c.isupper() for c in doc[x[0]:x[1]].text)]


def _split_compounds(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """'Sino-Japanese', 'China-Kazakhstan': one span, two countries. Split when every part is a
    country, nationality or known organisation ('China-ASEAN Expo' stays whole)."""
    out: list[Ent] = []
    for start, end, label in ents:
        cuts = [i for i in range(start + 1, end - 1) if doc[i].text in ("-", "–")
                and not doc[i - 1].whitespace_ and not doc[i].whitespace_]
        if label in NUMERIC or not cuts:
            out.append((start, end, label))
            continue
        bounds = [start, *cuts, end]
        parts = [(a if a == start else a + 1, b) for a, b in itertools.pairwise(bounds)]
        labels = [table_label(doc[a:b].text) for a, b in parts]
        if all(labels):
            out.extend((a, b, lab) for (a, b), lab in zip(parts, labels, strict=True))
        else:
            out.append((start, end, label))
    return out


@Language.component("agency_fixups")
def agency_fixups(doc: Doc) -> Doc:
    ents: list[Ent] = [(e.start, e.end, e.label_) for e in doc.ents]
    text = doc.text  # built from the tokens on every access: read it once
    headings = [(s, e) for s, e in _paragraphs(text) if _is_heading(text[s:e])]
    if headings:  # sub-headings in capitals ('FROM SAND TO SUNSHINE') hold no mentions
        ents = [x for x in ents if not any(s <= doc[x[0]].idx < e for s, e in headings)]
    ents = _trim(doc, ents)
    ents = drop_leading_roles(doc, split_demonyms(doc, titled_names(doc, ents, text)))
    ents = speaking_names(doc, described_persons(doc, merge_name_parts(doc, ents)))
    ents = _untagged_bodies(doc, described_untagged(doc, ents, text), text)
    for step in (_not_entities, _extend_of, _extend_particles, _join_spans, _split_compounds,
                 _region_guard, _possessed_names, _relabel, relabel_places):
        ents = step(doc, ents)
    ents = _no_lowercase_names(doc, chinese_names(doc, ents, text))
    credits = _credits(text)
    if credits:
        ents = [x for x in ents if not any(s <= doc[x[0]].idx < e for s, e in credits)]
    spans, taken = [], set()
    for start, end, label in sorted(ents, key=lambda x: (x[0] - x[1], x[0])):
        if end > start and not taken.intersection(range(start, end)):
            spans.append(Span(doc, start, end, label=label))
            taken.update(range(start, end))
    doc.set_ents(sorted(spans), default="outside")
    return doc
