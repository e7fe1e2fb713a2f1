"""Person spans the model gets wrong: names after titles, and Chinese names it misses."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from transforms.entities import countries, demonyms, names
from transforms.entities.labels import Ent, table_label, token_at
from transforms.entities.lexicon import NAME_PARTICLES, NOT_NAME_WORDS, ORG_HEADS, TITLE_HEADS

_ROMAN = re.compile(r"^[IVX]{1,4}$")
_TITLE_RE = re.compile(r"(?<!\w)(?:" + "|".join(
    re.escape(w) for w in sorted(TITLE_HEADS, key=len, reverse=True)) + r")(?!\w)")
_SURNAME_RE = re.compile(r"\b(" + "|".join(sorted(names.SURNAMES, key=len, reverse=True)) +
                         r") ([A-Z][a-z']+)\b")
# Words that open a multi-word title before its head ('Prime Minister', 'head coach').
_TITLE_PARTS = TITLE_HEADS | {"-", "Prime", "Foreign", "Vice", "Deputy", "Managing", "Executive",
                              "head", "Head", "Chief", "Acting", "Assistant", "Senior"}


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
    # a regex pass: iterating tokens in Python is slow
    for m in _TITLE_RE.finditer(doc.text if text is None else text):
        i = token_at(doc, m.start(), m.end())
        if i is None or i + 1 >= len(doc) or "\n" in doc[i].whitespace_:
            continue
        t = doc[i]
        end = name_run(doc, t.i + 1)
        if end == t.i + 1 or (end < len(doc) and doc[end].text in ORG_HEADS):
            continue  # no name, or an organisation ('Premier League', 'President Hotel')
        title_start = t.i
        while title_start > 0 and doc[title_start - 1].text in _TITLE_PARTS:
            title_start -= 1
        found.append((title_start, t.i + 1, end))
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
