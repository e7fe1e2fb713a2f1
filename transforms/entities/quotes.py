"""Reported speech and who said it.

Rule-based, on the clean body plus the article's resolved mentions (so speakers come out
canonical: '..., Xi said.' -> 'Xi Jinping'). Patterns, in the order agencies use them:
  direct:   '"...," Rehman said.'  '"...," said Liu Mei, a ...'  'Xi said: "..."'
  indirect: '..., Li said.'  '..., said Tokayev.'  'Xi said (that) ...'  'X, a ..., said ...'
            '..., according to the WHO.'  'According to X, ...'
A pronoun ('he said') or 'the 46-year-old ...' resolves to the person the paragraph is about
(the only person named in it, else the latest one that was a subject or a speaker), else to the
latest subject or speaker of the two paragraphs before; when that is unclear the quote is
skipped rather than given to the wrong person.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from transforms.entities.canonical import Resolved
from transforms.entities.lexicon import MODALS, SPEECH_VERBS, TITLE_HEADS
from transforms.entities.quotemarks import quote_spans, strip_marks, trim_reported
from transforms.records import Entity

_SPEAKER_TYPES = ("PERSON", "ORG")
_VERB = "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))
_ANAPHOR = re.compile(r"^(he|she|the \d+-year-old\b[^,.;]{0,60})$", re.I)
# 'the company said', 'the ministry added': the organisation the paragraph is about.
_ORG_ANAPHOR = re.compile(r"^the (?:company|firm|group|carrier|airline|bank|lender|ministry|"
                          r"agency|automaker|carmaker|manufacturer|operator|organization|"
                          r"organisation|association|federation|commission|authority|"
                          r"regulator|developer|retailer|insurer|miner|producer|exporter|"
                          r"statement)$", re.I)
# '..., Li said.' / '..., he added on Tuesday.' / '..., said Tokayev.'
# After the verb only an adverbial may follow ('said in a statement', 'told reporters'), not
# a clause: '..., Zhou said the commission must ...' is the sentence-initial pattern.
_TAIL = (r"(?:\s+(?:(?:in|on|at|during|after|before|when|while|here|there|to|from|with|"
         r"[A-Z][a-z]+day|today|yesterday|earlier|later|recently|also)\b[^,;\"“”]{0,60}|"
         r"[\w'-]+(?:\s+[\w'-]+){0,2}))?")
_ONLY_TAIL = re.compile(rf"^{_TAIL}\s*[.!?]?$")
_TAIL_SAID = re.compile(rf"^(?P<content>.+?),\s+(?P<zone>[^,;:\"“”]{{1,80}}?)\s+"
                        rf"(?:{_VERB})\b{_TAIL}\s*[.!?]?$", re.S)
# '..., said Tokayev.' names the speaker after the verb; '..., told Xinhua.' names the listener.
_VERB_BEFORE_SPEAKER = "|".join(sorted(SPEECH_VERBS - {"told", "tells"}, key=len, reverse=True))
_TAIL_VERB_FIRST = re.compile(rf"^(?P<content>.+?),\s+(?:{_VERB_BEFORE_SPEAKER})\s+"
                              r"(?P<zone>[^;\"“”]{1,120}?)[.!?]?$", re.S)
_ACCORDING = re.compile(r"\baccording to (?:the )?", re.I)
# What may sit between a subject and its verb: an apposition, an acronym, adverbs, a time.
_GAP = re.compile(r"^\)?\s*(?:\([^)]{1,15}\))?\s*(?:,[^;\"“”]{1,160},)?\s*"
                  r"(?:,\s*(?:which|who)\s+)?"  # 'the ... Association, which said'
                  r"(?:(?:also|further|then|later|again|earlier|once|on \w+|\w+ly)\s+)*$")
_AFTER_FIRST = re.compile(r"^\s*(?:\([^)]{1,15}\))?\s*(?:,.*)?$", re.S)
# '... Dr. Amani Nyerere of the Muhimbili National Hospital said': the person speaks, not the
# institution named after 'of'.
_OF_ORG = r"(?:of|from|at|with) (?:the )?[A-Z][\w'&.-]*(?: (?:[A-Z][\w'&.-]*|of|and|for|the))*"
_AFTER_LAST = re.compile(r"^\s*(?:\([^)]{1,15}\))?\s*(?:(?:on|in|at) \w+(?: \w+)?|also|\w+ly|"
                         rf"{_OF_ORG})?\s*$")
_PERSON_OF = re.compile(r"\s+(?:of|from|at|with)\s+(?:the\s+)?$")
# Words that show a zone is a clause, not the speaker's noun phrase.
_NOT_IN_NP = SPEECH_VERBS | MODALS | {"he", "she", "they", "it", "we", "and", "or", "but", "that",
                                      "who", "which", "when", "while", "if", "because"}
_TITLE_WORDS = {w.lower() for w in TITLE_HEADS} | {"head", "prime", "foreign", "managing",
                                                    "vice", "deputy", "executive", "-"}


@dataclass(frozen=True, slots=True)
class QuoteHit:
    """A quote span [start, end) in the body and its speaker."""

    speaker: Entity
    start: int
    end: int


class _Article:
    """The per-article state the patterns share."""

    def __init__(self, body: str, sentences: Sequence[tuple[int, int]],
                 resolved: Sequence[Resolved]) -> None:
        self.body = body
        self.mentions = [r for r in resolved if r.entity.type in _SPEAKER_TYPES]
        self.paras = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*",
                                                                 body)]
        self.quotes = [q for p in self.paras for q in quote_spans(body, p)]
        self.sents = self._sentences(sentences)
        self.speakers: list[tuple[int, Entity]] = []  # (position, speaker) found so far
        self.subjects: list[tuple[int, Entity]] = []  # sentence-initial persons

    def _sentences(self, sents: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        """spaCy's sentences, cut at paragraph ends and glued where a cut falls in a quote."""
        cuts = sorted({s for s, _ in sents} | {a for a, _ in self.paras} | {len(self.body)})
        cuts = [c for c in cuts if not any(qs < c < qe for qs, qe in self.quotes)]
        out = []
        for a, b in itertools.pairwise(cuts):
            a2, b2 = a, b
            while a2 < b2 and self.body[a2].isspace():
                a2 += 1
            while b2 > a2 and self.body[b2 - 1].isspace():
                b2 -= 1
            if b2 > a2:
                out.append((a2, b2))
        return out

    def para_of(self, pos: int) -> int:
        return next((k for k, (a, b) in enumerate(self.paras) if a <= pos < b + 1), 0)

    def in_zone(self, a: int, b: int, types: tuple[str, ...] = ("PERSON",)) -> list[Resolved]:
        return [r for r in self.mentions if a <= r.mention.start and r.mention.end <= b
                and r.entity.type in types]

    def zone_speaker(self, a: int, b: int, *, first: bool) -> Entity | None:
        """The speaker named in body[a:b]: a person (else an organisation), or an anaphor.
        The zone must be that noun phrase: only titles and names before the speaker, and after
        it nothing (for 'X said') or an apposition (for 'said X, a ...')."""
        text = self.body[a:b].strip()
        if _ANAPHOR.match(text):
            return self.anaphor(a)
        if _ORG_ANAPHOR.match(text):
            return self.org_anaphor(a)
        after_ok = _AFTER_FIRST if first else _AFTER_LAST
        for types in (("PERSON",), ("ORG",)):
            hits = self.in_zone(a, b, types)
            if hits:
                r = hits[0] if first else hits[-1]
                # whatever precedes the name is its title ('MRC chief executive officer')
                lead = {w for w in self.body[a:r.mention.start].split() if w.islower()}
                if not (_NOT_IN_NP & lead) and after_ok.match(self.body[r.mention.end:b]):
                    return r.entity
        return None

    def outside_quotes(self, pos: int) -> bool:
        return not any(qs <= pos < qe for qs, qe in self.quotes)

    def org_anaphor(self, pos: int) -> Entity | None:
        """Which organisation 'the company' at pos is: the latest one named outside quotes in
        this paragraph or the two before; None when there is none."""
        if not self.paras:
            return None
        floor = self.paras[max(0, self.para_of(pos) - 2)][0]
        orgs = [r for r in self.in_zone(floor, pos, ("ORG",))
                if self.outside_quotes(r.mention.start)]
        return orgs[-1].entity if orgs else None

    def anaphor(self, pos: int) -> Entity | None:
        """Who 'he'/'she' at pos is; None when it is not clear."""
        if not self.paras:
            return None
        k = self.para_of(pos)
        a, _ = self.paras[k]
        # people named inside quotes are talked about, not talking
        here = [r for r in self.in_zone(a, pos) if self.outside_quotes(r.mention.start)]
        if len({r.entity.entity_id for r in here}) == 1:
            return here[0].entity
        known = [(p, e) for p, e in self.speakers + self.subjects if p < pos]
        known.sort(key=lambda x: x[0])
        if here:
            local = [e for p, e in known if p >= a]
            return local[-1] if local else None
        floor = self.paras[max(0, k - 2)][0]
        recent = [e for p, e in known if p >= floor]
        return recent[-1] if recent else None

    def note_subjects(self, s: int, e: int) -> None:
        """Remember a person who opens the sentence (after titles and a fronted clause)."""
        for r in self.in_zone(s, e):
            if not self.outside_quotes(r.mention.start):
                continue
            lead = self.body[s:r.mention.start]
            lead = lead.rsplit(",", 1)[-1] if "," in lead else lead
            if all(w.lower() in _TITLE_WORDS or w[:1].isupper()
                   for w in re.findall(r"[\w'’.-]+", lead)):
                self.subjects.append((r.mention.start, r.entity))
                return


def _content_after_verb(art: _Article, v_end: int, e: int, verb: str) -> tuple[int, int] | None:
    """What was said, after the verb: skip 'here Wednesday that' / 'in a statement ... that'."""
    rest = art.body[v_end:e]
    m = re.match(r"\s*that\b", rest)
    if m is None:
        m = re.match(r"([^,;]{1,80}?)\bthat\b", rest)
        if m and (MODALS & set(m.group(1).lower().split()) or len(m.group(1).split()) > 9):
            m = None
    if m is None and verb in ("told", "tells"):
        # 'told Xinhua his wages had risen': a named listener, then the clause
        m = re.match(r"\s+(?:[A-Z][\w.’'-]*\s+){1,3}(?:that\s+)?(?=[a-z])", rest)
        if m is None:
            return None  # 'told reporters' without a clause says nothing by itself
    s, end = trim_reported(art.body, v_end + (m.end() if m else 0), e)
    return (s, end) if end - s > 10 else None


def _direct(art: _Article, s: int, e: int) -> list[QuoteHit]:
    out = []
    for qs, qe in art.quotes:
        if not (s <= qs and qe <= e) or len(art.body[qs:qe].split()) < 3:
            continue  # outside this sentence, or a scare-quoted phrase ('"productive"')
        spk = None
        tail = art.body[qe:e]
        if m := re.match(rf"\s*,?\s*(?:{_VERB})\s+(?P<zone>[^,.;\"“”]{{1,80}})", tail):
            spk = art.zone_speaker(qe + m.start("zone"), qe + m.end("zone"), first=True)
        elif m := re.match(rf"\s*,?\s*(?P<zone>[^,.;\"“”]{{1,80}}?)\s+(?:{_VERB})\b", tail):
            spk = art.zone_speaker(qe + m.start("zone"), qe + m.end("zone"), first=False)
        elif m := re.match(rf"\s*,?\s*(?P<zone>[^,.;\"“”]{{1,80}}?),[^;\"“”]{{1,160}}?,\s+"
                           rf"(?:{_VERB})\b", tail):
            # '"...," Sutrisno, a 52-year-old farmer from Central Java, told Xinhua.'
            spk = art.zone_speaker(qe + m.start("zone"), qe + m.end("zone"), first=False)
        if spk is None and (m := re.search(  # 'Xi said: "..."', 'Li told Xinhua, "..."'
                rf"(?P<zone>[^,;\"“”]{{1,100}}?)\s+(?:{_VERB})\b(?:\s+[\w-]+){{0,2}}"
                r"\s*(?:[,:]\s*)?$", art.body[s:qs])):
            spk = art.zone_speaker(s + m.start("zone"), s + m.end("zone"), first=False)
        if spk is not None:
            qa, qb = strip_marks(art.body, qs, qe)
            if qb > qa:
                out.append(QuoteHit(spk, qa, qb))
    return out


def _subject_first(art: _Article, s: int, e: int) -> list[QuoteHit]:
    """'Xi said (that) ...', 'Putin, who chaired the summit, told a press conference that ...',
    'He added that ...': the first reporting verb of the sentence, its subject before it."""
    for v in re.finditer(rf"\b(?:{_VERB})\b", art.body[s:e]):
        vs, ve = s + v.start(), s + v.end()
        if not art.outside_quotes(vs):
            continue
        spk = None
        if re.fullmatch(r"\s*(?:He|She)\s+(?:also\s+)?", art.body[s:vs]):
            spk = art.anaphor(s)
        zone = art.in_zone(s, vs, _SPEAKER_TYPES)
        for k in range(len(zone) - 1, -1, -1):
            r = zone[k]
            if spk is None and art.outside_quotes(r.mention.start) and \
                    _GAP.match(art.body[r.mention.end:vs]):
                spk = r.entity
                person = zone[k - 1] if k else None
                if r.entity.type == "ORG" and person is not None and \
                        person.entity.type == "PERSON" and _PERSON_OF.match(
                            art.body[person.mention.end:r.mention.start]):
                    spk = person.entity  # 'Dr. Amani Nyerere of the ... Hospital said'
        rest = art.body[ve:e]
        if _ONLY_TAIL.match(rest) and not ({"that"} | MODALS) & set(rest.lower().split()):
            return []  # '..., X said in a statement.': the attribution closes the sentence
        span = _content_after_verb(art, ve, e, v.group(0)) if spk is not None else None
        return [QuoteHit(spk, *span)] if spk is not None and span else []
    return []


def _attribution_last(art: _Article, s: int, e: int) -> list[QuoteHit]:
    """'..., Li said.', '..., he added on Tuesday.', '..., said Tokayev.'"""
    text = art.body[s:e]
    if (m := _TAIL_SAID.match(text)) and (spk := art.zone_speaker(
            s + m.start("zone"), s + m.end("zone"), first=False)):
        return _hit(art, spk, s, s + m.end("content"))
    if (m := _TAIL_VERB_FIRST.match(text)) and (spk := art.zone_speaker(
            s + m.start("zone"), s + m.end("zone"), first=True)):
        return _hit(art, spk, s, s + m.end("content"))
    return []


def _according_to(art: _Article, s: int, e: int) -> list[QuoteHit]:
    """'..., according to the WHO.' and 'According to X, ...'."""
    text = art.body[s:e]
    if m := _ACCORDING.search(text):
        at = s + m.end()
        r = next((r for r in art.mentions if r.mention.start == at), None)
        if r is not None:
            if m.start() > 0 and text[:m.start()].rstrip().endswith(","):
                return _hit(art, r.entity, s, s + text[:m.start()].rstrip().rfind(","))
            comma = art.body.find(",", r.mention.end, e)
            if m.start() == 0 and comma > 0:
                return _hit(art, r.entity, comma + 1, e)
    return []


def _indirect(art: _Article, s: int, e: int) -> list[QuoteHit]:
    # the subject-first reading goes first: in 'Noting ..., Zhou said the commission must ...'
    # the clause after the verb is what was said, not the one before the comma
    return (_subject_first(art, s, e) or _attribution_last(art, s, e)
            or _according_to(art, s, e))


def _hit(art: _Article, spk: Entity, a: int, b: int) -> list[QuoteHit]:
    qa, qb = trim_reported(art.body, a, b)
    return [QuoteHit(spk, qa, qb)] if qb - qa > 10 else []


def extract_quotes(body: str, sentences: Sequence[tuple[int, int]],
                   resolved: Sequence[Resolved]) -> list[QuoteHit]:
    """Quotes of one article in body order; `sentences` are character spans (from spaCy)."""
    art = _Article(body, sentences, resolved)
    hits: dict[tuple[int, int], QuoteHit] = {}
    for s, e in art.sents:
        found = _direct(art, s, e) or _indirect(art, s, e)
        for h in found:
            hits.setdefault((h.start, h.end), h)
            if h.speaker.type == "PERSON":
                art.speakers.append((s, h.speaker))
        art.note_subjects(s, e)
    return sorted(hits.values(), key=lambda h: h.start)
