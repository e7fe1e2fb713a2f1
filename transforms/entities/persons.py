"""Person spans the model gets wrong: names after titles and roles, Chinese names it misses,
names glued to a nationality, cut in two, described as persons or speaking in a quote."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from transforms.entities import countries, demonyms, gazetteer, names
from transforms.entities.labels import NUMERIC, Ent, table_label, token_at
from transforms.entities.lexicon import (
    FAC_HEADS,
    GPE_HEADS,
    LEADING_ROLES,
    LOC_HEADS,
    NAME_PARTICLES,
    NOT_NAME_WORDS,
    ORG_HEADS,
    PERSON_NOUNS,
    PORTFOLIO_WORDS,
    ROLE_NOUNS,
    SHARED_NOUNS,
    SPEECH_VERBS,
    TITLE_HEADS,
)
from transforms.entities.wordlists import GIVEN_NAMES

_ROMAN = re.compile(r"^[IVX]{1,4}$")
_TITLE_RE = re.compile(r"(?<!\w)(?:" + "|".join(
    re.escape(w) for w in sorted(TITLE_HEADS | ROLE_NOUNS, key=len, reverse=True)) + r")(?!\w)")
_SURNAME_RE = re.compile(r"\b(" + "|".join(sorted(names.SURNAMES, key=len, reverse=True)) +
                         r") ([A-Z][a-z']+)\b")
# Words that open a multi-word title before its head ('Prime Minister', 'head coach').
_TITLE_PARTS = TITLE_HEADS | {"-", "Prime", "Foreign", "Vice", "Deputy", "Managing", "Executive",
                              "head", "Head", "Chief", "Acting", "Assistant", "Senior"}
# Words never inside a personal name, and the labels the model puts on parts of one.
_NOT_IN_NAMES = NOT_NAME_WORDS | TITLE_HEADS | ORG_HEADS | FAC_HEADS | GPE_HEADS | LOC_HEADS
_MERGEABLE = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT"})
_DESCRIBABLE = frozenset({"ORG", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"})


def _is_name_word(t: Token, first: bool) -> bool:
    """A word that can be part of a personal name; the first one must not be a country or a
    nationality ('President Kassym-Jomart', not 'Premier Chinese'). Later ones may be anything
    capitalised: 'Muscat' is a city and a surname."""
    if not t.is_title or t.text in NOT_NAME_WORDS or t.text in TITLE_HEADS or \
            t.text in ORG_HEADS:
        return False
    return not (first and (demonyms.demonym_code(t.text) or countries.country_code(t.text)))


def name_run(doc: Doc, i: int) -> int:
    """End of the personal name that starts at token i (i itself when there is none)."""
    j, words = i, 0
    while j < len(doc) and words < 6:
        t = doc[j]
        nxt_title = j + 1 < len(doc) and doc[j + 1].is_title
        if _is_name_word(t, first=not words) or (words and _ROMAN.match(t.text)):
            words += 1
        elif not (words and nxt_title and (
                (t.text in ("-", "'") and not doc[j - 1].whitespace_)  # Kassym-Jomart
                or t.lower_ in NAME_PARTICLES)):  # Lula da Silva
            break
        j += 1
        if "\n" in t.whitespace_:
            break
    while j > i and not (doc[j - 1].is_title or _ROMAN.match(doc[j - 1].text)):
        j -= 1
    return j


def titled_names(doc: Doc, ents: list[Ent], text: str | None = None) -> list[Ent]:
    """'<Demonym|Org> <Title> <Name>': the name is a PERSON, whatever the model said about the
    whole phrase ('Kazakh President Kassym-Jomart Tokayev' comes back as one ORG). `text` is
    doc.text when the caller has it: spaCy rebuilds it from the tokens on every access."""
    found: list[tuple[int, int, int]] = []  # title start, name start, name end
    places: list[Ent] = []
    # a regex pass: iterating tokens in Python is slow
    for m in _TITLE_RE.finditer(doc.text if text is None else text):
        i = token_at(doc, m.start(), m.end())
        if i is None or i + 1 >= len(doc) or "\n" in doc[i].whitespace_:
            continue
        t = doc[i]
        first = t.i + 1
        country: Ent | None = None
        if doc[first].lower_ == "of" and t.text in TITLE_HEADS:
            # 'Minister of Economy Adrijana Mesarovic': skip the portfolio
            j = first + 1
            while j < len(doc) and doc[j].text in PORTFOLIO_WORDS and j - first < 6:
                j += 1
            if j > first + 1 and doc[j - 1].is_title:
                first = j
        elif doc[first].lower_ == "to" and t.text in TITLE_HEADS:
            # 'Ambassador to Zambia Han Jing', 'Envoy to the United States Xie Feng'
            j = first + 1 + (first + 1 < len(doc) and doc[first + 1].lower_ == "the")
            k = next((k for k in (j + 3, j + 2, j + 1) if k <= len(doc) and
                      countries.country_code(doc[j:k].text)), None)
            if k is not None:
                country = (j, k, "GPE")  # stays a mention
                first = k
        end = name_run(doc, first)
        if end == first or (end < len(doc) and doc[end].text in ORG_HEADS):
            continue  # no name, or an organisation ('Premier League', 'President Hotel')
        if t.text in ROLE_NOUNS and t.text not in TITLE_HEADS and any(
                table_label(w.text) for w in doc[t.i + 1:end]):
            continue  # 'a student China sent abroad': a role noun before a place is no title
        title_start = t.i
        while title_start > 0 and doc[title_start - 1].text in _TITLE_PARTS:
            title_start -= 1
        found.append((title_start, first, end))
        if country is not None:
            places.append(country)
    if not found:
        return ents
    out: list[Ent] = []
    for start, end, label in ents:
        for t_start, _, n_end in found:
            if start < n_end and end > t_start:  # the entity overlaps title or name
                if start < t_start:  # keep what precedes the title: 'Kazakh', 'WHO'
                    head = doc[start:t_start].text
                    out.append((start, t_start, table_label(head) or
                                ("ORG" if label == "PERSON" else label)))
                start = end = -1
                break
        if start >= 0:
            out.append((start, end, label))
    for _, n_start, n_end in found:
        # the model's own person span may be longer ('Kevin Muscat', where 'Muscat' alone
        # would read as a city): keep its end
        longer = [e for s, e, lab in ents if lab == "PERSON" and s == n_start and e > n_end]
        out.append((n_start, max(longer, default=n_end), "PERSON"))
    return out + places


def split_demonyms(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """A nationality glued to the name that follows it ('Kenyan Hellen Obiri' PERSON,
    'Ethiopian Tigist' ORG + an untagged 'Assefa') is a NORP and a PERSON. A PERSON, NORP or
    GPE span splits when the rest is name-shaped and holds no place, nationality or known
    organisation. An ORG or GPE span splits only when the rest is one word the name then
    continues past ('Ethiopian Tigist' + 'Assefa'): 'Saudi Aramco said' stays an ORG."""
    out: list[Ent] = []
    for start, end, label in ents:
        # cheap tests first: most spans are one word or do not start with a nationality
        if end - start >= 2 and label in ("PERSON", "ORG", "NORP", "GPE") and \
                doc[start].is_title and demonyms.demonym_code(doc[start].text) and \
                not table_label(doc[start:end].text) and \
                name_is_shaped(doc, start + 1, end) and \
                not any(table_label(t.text) for t in doc[start + 1:end]):
            name_end = end
            if label in ("ORG", "GPE"):
                run = name_run(doc, start + 1)
                name_end = run if end - start == 2 and run > end else -1
            if name_end > 0:
                out.append((start, start + 1, "NORP"))
                out.append((start + 1, name_end, "PERSON"))
                continue
        out.append((start, end, label))
    return out


_CAP_RUN = re.compile(r"(?<![\w'’-])[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+){1,3}"
                      r"(?=[,.]| said\b| says\b| added\b)")


def described_untagged(doc: Doc, ents: list[Ent], text: str) -> list[Ent]:
    """A name the model did not tag at all, that the text describes as a person ('Aminu
    Maida, executive vice chairman of ...', 'Rahmat Hidayat Pohan, an analyst at ...') or that
    speaks in a quote's attribution ('..., said Somsak Chaiyaporn.'): two to four name-shaped
    words, none a country, nationality, city of the table or known organisation, the whole no
    gazetteer place, and no capitalised word right before it."""
    if ", " not in text and "said" not in text:
        return ents
    taken = {i for s, e, _ in ents for i in range(s, e)}
    out = list(ents)
    for m in _CAP_RUN.finditer(text):
        span = doc.char_span(m.start(), m.end())
        if span is None or taken.intersection(range(span.start, span.end)):
            continue
        start, end = span.start, span.end
        if start and doc[start - 1].is_title and not doc[start - 1].is_sent_start:
            continue  # the run goes on to the left: not the whole name
        said = _said_before(doc, start) or (
            end < len(doc) and doc[end].text in _SPEAKER_AFTER and _after_quote(doc, start))
        if (said or description(doc, end) in ("noun", "age")) and \
                name_is_shaped(doc, start, end) and \
                not any(table_label(t.text) for t in span) and \
                not gazetteer.place_code(span.text):
            out.append((start, end, "PERSON"))
            taken.update(range(start, end))
    return out


def drop_leading_roles(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """'Volunteer Siti Nurhaliza' PERSON: a role capitalised at a sentence start is no part of
    the name that follows it."""
    return [(start + 1, end, label) if label == "PERSON" and end - start >= 2 and
            doc[start].text in LEADING_ROLES and name_is_shaped(doc, start + 1, end)
            else (start, end, label) for start, end, label in ents]


_SPEAKING = frozenset({"WORK_OF_ART", "PRODUCT", "FAC", "EVENT", "LOC", "GPE"})


_QUOTE_CLOSE = frozenset({'"', "”", "’", "'"})
# Verbs after which a name is the speaker ('..., said Somsak Chaiyaporn'); 'told X' names the
# listener.
_SPEAKER_AFTER = SPEECH_VERBS - {"told", "tells"}


def _after_quote(doc: Doc, start: int) -> bool:
    """'," Somsak Chaiyaporn said': the span right after a quotation's closing mark."""
    return start >= 2 and doc[start - 1].text in _QUOTE_CLOSE and doc[start - 2].text == ","


def _said_before(doc: Doc, start: int) -> bool:
    """'..., said Somsak Chaiyaporn' or '," said Somsak Chaiyaporn'."""
    return start >= 2 and doc[start - 1].text in _SPEAKER_AFTER and (
        doc[start - 2].text == "," or doc[start - 2].text in _QUOTE_CLOSE)


def speaking_names(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """A two- to four-word name that speaks is a person (one word only in a quote's
    attribution, when the model did not call it an ORG):
    - tagged as a work, a product, a place or an event, with a speech verb after it ('Le Thi
      Hoa told Xinhua', 'Bounmy Sisavath said');
    - tagged anything but a person in a quote's attribution: '..., said Somsak Chaiyaporn',
      '"...," Somsak Chaiyaporn said'. Organisations are written 'said the ministry' there.
    No word of it may be a country, nationality, city of the table or known organisation,
    none a head noun ('Kenya Power said', 'Lusaka Declaration stated'), and the whole no
    gazetteer place."""
    out: list[Ent] = []
    for start, end, label in ents:
        if label != "PERSON" and label not in NUMERIC and 1 <= end - start <= 4:
            verb_after = end < len(doc) and doc[end].text in SPEECH_VERBS
            attribution = _said_before(doc, start) or (verb_after and _after_quote(doc, start))
            # one word only in an attribution and not called ORG: '," said Sutrisno.'
            if (end - start > 1 or (attribution and label != "ORG" and doc[start].is_title)) \
                    and ((label in _SPEAKING and verb_after) or attribution) and \
                    name_is_shaped(doc, start, end) and \
                    not any(table_label(t.text) for t in doc[start:end]) and \
                    not gazetteer.place_code(doc[start:end].text):
                label = "PERSON"
        out.append((start, end, label))
    return out


def chinese_names(doc: Doc, ents: list[Ent], text: str | None = None) -> list[Ent]:
    """Untagged '<surname> <pinyin given name>' pairs are persons ('He Ruoxi from Shanghai').
    `text` as in titled_names."""
    taken = {i for s, e, _ in ents for i in range(s, e)}
    out = list(ents)
    for m in _SURNAME_RE.finditer(doc.text if text is None else text):
        i, j = token_at(doc, *m.span(1)), token_at(doc, *m.span(2))
        if i is None or j != i + 1 or i in taken or j in taken:
            continue
        after = doc[j + 1] if j + 1 < len(doc) else None
        if after is not None and after.is_title and not after.is_sent_start:
            continue  # part of a longer capitalised phrase
        if names.is_pinyin_given_name(m.group(2)) and not table_label(m.group(0)) and \
                not table_label(m.group(2)):
            out.append((i, j + 1, "PERSON"))
            taken.update((i, j))
    return out


def name_is_shaped(doc: Doc, start: int, end: int) -> bool:
    """Every word capitalised (or a particle such as 'da', or a joining hyphen) and none of them
    a head noun, a title or a weekday."""
    for t in doc[start:end]:
        if t.text in ("-", "'") and not t.whitespace_:
            continue
        if t.lower_ in NAME_PARTICLES:
            continue
        if not t.is_title or t.text in _NOT_IN_NAMES:
            return False
    return True


def merge_name_parts(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """One long name the model cut in two ('Maria Elena' PERSON + 'Torres Vidal' ORG, or 'Torres'
    GPE): adjacent spans with only a space between them, at least one a PERSON, all words
    name-shaped, and no part a country, a nationality, a known city or a known organisation
    ('Kazakh' + 'Tokayev' stays two). At most five words in all. A common given name right
    before a PERSON span joins it too."""
    ents = sorted(ents)
    out: list[Ent] = []
    for start, end, label in ents:
        if label == "PERSON" and start and (not out or out[-1][1] < start):
            first = doc[start - 1]  # 'Ana' + 'Lucia Fernandez Ortega': the model left out
            if first.is_title and first.lower_ in GIVEN_NAMES and first.whitespace_ == " " \
                    and first.text not in _NOT_IN_NAMES:
                start -= 1
        if out:
            p_start, p_end, p_label = out[-1]
            if p_end == start and "PERSON" in (p_label, label) and \
                    {p_label, label} <= _MERGEABLE and end - p_start <= 5 and \
                    doc[p_end - 1].whitespace_ == " " and \
                    name_is_shaped(doc, p_start, end) and \
                    not table_label(doc[p_start:p_end].text) and \
                    not table_label(doc[start:end].text):
                out[-1] = (p_start, end, "PERSON")
                continue
        out.append((start, end, label))
    return out


# What may follow the noun of a person's description ('an analyst at', 'a farmer in', 'a nurse
# who'); any other lower-case word makes the noun a modifier ('a farmer cooperative').
_AFTER_PERSON_NOUN = frozenset({"at", "of", "in", "from", "with", "for", "and", "who", "on",
                                "to", "based", "since", "whose", "near", "outside", "here"})


def description(doc: Doc, end: int) -> str | None:
    """What right after a span describes a person: 'who' (', who ...'), 'age' (', 45, ...'),
    'noun' (', a/an/the <words> <person noun>', 'a 52-year-old farmer') or 'shared' (a person
    noun that can describe an organisation too: ', a member of ...'); else None."""
    if end + 1 >= len(doc) or doc[end].text != ",":
        return None
    after = doc[end + 1]
    if after.lower_ == "who":
        return "who"
    if after.like_num and end + 2 < len(doc) and doc[end + 2].text == ",":
        return "age"
    # ', a 52-year-old farmer', ', an analyst at', and without an article ', executive vice
    # chairman of', ', deputy director of'
    first = end + 2 if after.lower_ in ("a", "an", "the") else end + 1
    words, shared = 0, False
    for t in doc[first:first + 8]:
        if t.lower_ in PERSON_NOUNS and not (
                t.i + 1 < len(doc) and doc[t.i + 1].is_lower and
                doc[t.i + 1].lower_ not in _AFTER_PERSON_NOUN):
            if t.lower_ not in SHARED_NOUNS:
                return "noun"
            shared = True  # 'executive' may be followed by 'vice chairman'
            continue
        if t.like_num or (t.text == "-" and not t.whitespace_):
            continue  # '52-year-old'
        words += 1
        if words > 4 or not (t.is_lower or (t.is_title and first == end + 2)) or t.is_punct:
            break
    return "shared" if shared else None


def described_persons(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """A name the model tagged ORG or GPE that the text then describes as a person
    ('Olumide Adeyemi Bakare, an economist at ...', 'Ana Ruiz, who runs ...', 'Li Ming, 45,')
    is a PERSON: two to six name-shaped words (a hyphenated name counts its parts), none a
    head noun, a country, a city of the table or a known organisation ('Goldman Sachs, an
    investment bank' stays). A single word (Indonesian and other one-word names: 'Sutrisno,
    a 52-year-old farmer', 'Kipchoge, 39,') needs an age or a noun that only describes
    people, and must be no gazetteer place ('Kericho, a farming town')."""
    out: list[Ent] = []
    for start, end, label in ents:
        # cheap tests first: most spans are followed by no comma
        if label in _DESCRIBABLE and 1 <= end - start <= 8 and \
                (kind := description(doc, end)) is not None:
            words = [t for t in doc[start:end] if t.text not in ("-", "'")]  # 'Okonkwo-Eze'
            if len(words) == 1:
                ok = kind in ("age", "noun") and words[0].is_title and \
                    words[0].text not in _NOT_IN_NAMES and not table_label(words[0].text) \
                    and not gazetteer.place_code(words[0].text)
            else:
                ok = len(words) <= 6 and end - start - len(words) <= 2 and \
                    name_is_shaped(doc, start, end) and \
                    not any(table_label(t.text) for t in words)
            if ok:
                label = "PERSON"
        out.append((start, end, label))
    return out
