"""A generated evaluation corpus for story clustering (near-duplicate news articles).

    python -m benchmarks.story_corpus --stories 300 --seed 1 --out /tmp/stories.jsonl

Each story is one original Xinhua-style article (6-14 paragraphs, 350-900 words, wire
dateline, attributed quotes) written from the template grammar in benchmarks/story_phrases.py,
plus variants of it that a matcher must put in the same story:

- update_added: a paragraph added (usually near the top), title maybe prefixed "Update: ";
- update_changed: one or two paragraphs rewritten (numbers and wording changed);
- shortened: the first 3 paragraphs only, in another feed;
- syndicated: a copy on another site (other title decoration, dateline form and boilerplate,
  maybe one paragraph dropped);

and "unrelated_same_topic" articles that it must NOT join: a different event (its own group)
with the same entities and event type, written independently from the same templates. The
formulaic wire style makes these share many short shingles with the story they imitate.

generate() returns a list (exact kind proportions, for evaluation); synthetic_stream() yields
articles one at a time over a year, for performance runs over 200,000 articles.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks import story_phrases as ph

KINDS = ("original", "update_added", "update_changed", "shortened", "syndicated",
         "unrelated_same_topic")
# Share of stories that get one article of each kind (the original is always there).
KIND_RATES = {"update_added": 0.25, "update_changed": 0.25, "shortened": 0.3,
              "syndicated": 0.4, "unrelated_same_topic": 0.3}
START = datetime(2026, 1, 5, tzinfo=UTC)
BEIJING = timedelta(hours=8)  # datelines carry the Beijing calendar day
MIN_WORDS, MAX_WORDS, MIN_PARAS, MAX_PARAS = 350, 900, 6, 14
SHORTENED_PARAS = 3
_TITLE_WINDOW = 1000
_TRIES = 50  # fresh slot draws before a title is allowed to repeat another story's
_AN = re.compile(r"\ba (?=(?:8\d*|11|18)-)")  # "an 8-point plan"
_SLOT = re.compile(r"\{(\w+)\}")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_DATELINE = re.compile(r"^([A-Z][A-Z .'-]+), (\w+ \d+) \(Xinhua\) -- ")


@dataclass(frozen=True)
class CorpusArticle:
    article_id: str
    group: str  # the true story id
    kind: str  # one of KINDS
    title: str
    body: str  # paragraphs joined by a blank line
    published_at: datetime  # aware, UTC
    source_name: str
    feed: str
    # The original this article was derived from or (unrelated_same_topic) imitates; None for
    # an original.
    derived_from: str | None = None

    @property
    def paragraphs(self) -> list[str]:
        return self.body.split("\n\n")


@dataclass
class _Draft:
    """An original article while its variants are derived from it."""

    event: str
    slots: dict[str, str]
    title: str
    paragraphs: list[str]
    when: datetime
    extra: dict[str, str] = field(default_factory=dict)


# Values drawn afresh at each use of a lowercase slot.
FRESH = {
    "n": lambda r: str(r.randint(3, 40)), "big": lambda r: f"{r.randint(2, 950):,}",
    "pct": lambda r: f"{r.randint(1, 30)}.{r.randint(0, 9)}",
    "pct2": lambda r: f"{r.randint(1, 15)}.{r.randint(0, 9)}",
    "year": lambda r: str(r.randint(1955, 2015)), "year2": lambda r: str(r.randint(2027, 2035)),
    "sector": lambda r: r.choice(ph.SECTORS), "adj": lambda r: r.choice(ph.ADJ),
    "day2": lambda r: r.choice(DAYS), "month": lambda r: r.choice(ph.MONTHS),
    "ministry": lambda r: r.choice(ph.MINISTRIES), "uni": lambda r: r.choice(ph.UNIVERSITIES),
    "season": lambda r: r.choice(ph.SEASONS),
}
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _fill(rng: random.Random, template: str, slots: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return slots[name] if name in slots else FRESH[name](rng)
    return _SLOT.sub(value, template)


def _numbers(rng: random.Random) -> dict[str, str]:
    """The story-level figures: drawn anew for an unrelated story on the same entities."""
    goals = (rng.randint(1, 4), rng.randint(0, 3))
    return {"N1": str(rng.randint(4, 60)), "MON": str(rng.randint(2, 11)),
            "N2": str(rng.randint(5, 90)), "N3": str(rng.randint(6, 200)),
            "BIG": f"{rng.randint(12, 9800):,}",
            "PCT": f"{rng.randint(1, 25)}.{rng.randint(0, 9)}",
            "PCT2": f"{rng.randint(2, 40)}.{rng.randint(0, 9)}",
            "MAG": f"{rng.randint(4, 7)}.{rng.randint(0, 9)}",
            "SCORE": f"{max(goals)}-{min(goals)}" if goals[0] != goals[1] else "2-1"}


def _slots(rng: random.Random, when: datetime) -> dict[str, str]:
    city, country, dem = rng.choice(ph.PLACES)
    _, country2, dem2 = rng.choice([p for p in ph.PLACES if p[1] != country])
    p, p2 = rng.sample(ph.PERSONS, 2)
    slots = {"P": p, "PR": f"{dem} {rng.choice(ph.OFFICES)}", "P2": p2,
             "P2R": f"{dem2} {rng.choice(ph.OFFICES)}", "ORG": rng.choice(ph.ORGS),
             "COUNTRY": country, "DEM": dem, "COUNTRY2": country2, "DEM2": dem2,
             "TEAM": country, "TEAM2": country2, "SECTOR": rng.choice(ph.SECTORS)}
    return slots | _place(rng, city) | _date(when) | _numbers(rng)


def _place(rng: random.Random, city: str) -> dict[str, str]:
    return {"CITY": city, "CITY2": rng.choice([c for c, _, _ in ph.PLACES if c != city])}


def _date(when: datetime) -> dict[str, str]:
    local = when + BEIJING
    return {"DAY": f"{local:%A}", "DATE": f"{local:%B} {local.day}"}


def _composed(rng: random.Random, slots: dict[str, str]) -> str:
    """One background sentence from the piece lists (see story_phrases.OPENERS)."""
    words = [rng.choice(ph.OPENERS), rng.choice(ph.SUBJECTS), rng.choice(ph.VERBS),
             rng.choice(ph.OBJECTS), rng.choice(ph.TAILS)]
    text = _fill(rng, " ".join(w for w in words if w), slots).replace(" ,", ",")
    text = _AN.sub("an ", text)
    return text[0].upper() + text[1:] + "."


def _sentence(rng: random.Random, event_bank: list[str], generic_bank: list[str],
              slots: dict[str, str]) -> str:
    """Event sentences and fixed generic ones each at most once an article (they are what makes
    stories of one type formulaic); composed background sentences for the rest."""
    roll = rng.random()
    if event_bank and roll < 0.4:
        return _fill(rng, event_bank.pop(), slots)
    if generic_bank and roll < 0.55:
        return _fill(rng, generic_bank.pop(), slots)
    return _composed(rng, slots)


def _paragraphs(rng: random.Random, event: str, slots: dict[str, str]) -> list[str]:
    templates = ph.EVENTS[event]
    event_bank = rng.sample(templates["body"], len(templates["body"]))
    generic_bank = rng.sample(ph.GENERIC, 6)
    quotes = rng.sample(templates["quote"] + ph.QUOTES, 4)
    lead = _fill(rng, rng.choice(templates["lead"]), slots)
    paras = [f"{slots['CITY'].upper()}, {slots['DATE']} (Xinhua) -- {lead}"]
    target = rng.randint(MIN_WORDS + 30, MAX_WORDS - 60)
    words = len(paras[0].split())
    fewest = max(1, round(target / 170))  # sentences a paragraph: longer articles, denser ones
    while len(paras) < MAX_PARAS and (len(paras) < MIN_PARAS or words < target):
        # Every article quotes someone: the fourth paragraph at the latest.
        if quotes and (rng.random() < 0.2 or (len(paras) == 3 and len(quotes) == 4)):
            speaker = slots[rng.choice(("P", "P2"))]
            para = f'"{_fill(rng, quotes.pop(), slots)}," {speaker} {rng.choice(ph.VERB_SAID)}.'
        else:
            para = " ".join(_sentence(rng, event_bank, generic_bank, slots)
                            for _ in range(rng.randint(fewest, fewest + 2)))
        if len(paras) >= MIN_PARAS and words + len(para.split()) > MAX_WORDS:
            break
        paras.append(para)
        words += len(para.split())
    return paras


def _title(rng: random.Random, event: str, slots: dict[str, str], taken: set[str]) -> str:
    """A title not in taken (different events get different titles), or "" when none of the
    templates gives one."""
    titles = [t for t in (_fill(rng, c, slots) for c in ph.EVENTS[event]["title"])
              if t not in taken]
    return rng.choice(titles) if titles else ""


def _original(rng: random.Random, when: datetime, taken: set[str]) -> _Draft:
    event = rng.choice(sorted(ph.EVENTS))
    for _ in range(_TRIES):
        slots = _slots(rng, when)
        title = _title(rng, event, slots, taken)
        if title:
            break
    return _Draft(event, slots, title, _paragraphs(rng, event, slots), when)


def _unrelated(rng: random.Random, orig: _Draft, taken: set[str]) -> _Draft:
    """Another event of the same type on the same people, organisation and countries: other
    place, other day of the same week, other figures, sentences drawn independently."""
    days = rng.choice([d for d in range(-3, 4) if d])
    when = orig.when + timedelta(days=days, minutes=rng.randint(-300, 300))
    same_country = [c for c, k, _ in ph.PLACES if k == orig.slots["COUNTRY"]]
    cities = [c for c in same_country if c != orig.slots["CITY"]] or \
        [c for c, _, _ in ph.PLACES if c != orig.slots["CITY"]]
    for _ in range(_TRIES):
        slots = orig.slots | _place(rng, rng.choice(cities)) | _date(when) | _numbers(rng)
        title = _title(rng, orig.event, slots, taken | {orig.title})
        if title:
            break
    return _Draft(orig.event, slots, title, _paragraphs(rng, orig.event, slots), when)


def rewrite_paragraph(rng: random.Random, text: str) -> str:
    """Change every figure and some of the wording of one paragraph (a dateline stays)."""
    head, sep, rest = text.partition(" (Xinhua) -- ")
    if not sep:
        head, rest = "", text

    def bump(match: re.Match[str]) -> str:
        value = float(match.group())
        return (f"{value + rng.randint(1, 9) / 10:.1f}" if "." in match.group()
                else str(int(value) + rng.randint(1, 12)))
    rest = _NUMBER.sub(bump, rest)
    for old, new in ph.SWAPS.items():
        if rng.random() < 0.7:
            rest = re.sub(rf"\b{old}\b", new, rest)
    revised = head + sep + rest
    additions = [" The figures were revised later in the day.",
                 " Officials gave the updated numbers at a press briefing."]
    # A paragraph without figures may come through the swaps unchanged: then it gets a line.
    if revised == text or rng.random() < 0.5:
        revised += rng.choice(additions)
    return revised


def _variant(rng: random.Random, kind: str, orig: _Draft) -> tuple[str, list[str], str, str]:
    """Title, paragraphs, source name and feed of one variant of orig."""
    paras, title = list(orig.paragraphs), orig.title
    feed, source = f"xinhua-{ph.FEEDS[orig.event]}", "Xinhua"
    if kind == "update_added":
        lead_in = _fill(rng, rng.choice(ph.UPDATE_LEADINS), orig.slots)
        body = ph.EVENTS[orig.event]["body"]
        added = " ".join(_fill(rng, s, orig.slots) for s in rng.sample(body, 2))
        added = lead_in + (added[0].lower() + added[1:] if added.startswith("The ") else added)
        at = 1 if rng.random() < 0.6 else rng.randint(1, len(paras))
        paras.insert(at, added)
        title = "Update: " + title if rng.random() < 0.5 else title
    elif kind == "update_changed":
        for at in rng.sample(range(len(paras)), rng.randint(1, 2)):
            paras[at] = rewrite_paragraph(rng, paras[at])
        title = _NUMBER.sub(lambda m: str(int(float(m.group())) + 1), title) \
            if rng.random() < 0.5 else title
        title = "Update: " + title if rng.random() < 0.3 else title
    elif kind == "shortened":
        paras, feed = paras[:SHORTENED_PARAS], "xinhua-mobile-brief"
    elif kind == "syndicated":
        source = rng.choice(ph.SYNDICATORS)
        feed = "syndication-" + re.sub(r"\W+", "-", source.lower())
        title = rng.choice(ph.SYNDICATED_TITLES).format(t=title, site=source)
        form = rng.randrange(3)
        if form == 1:
            paras[0] = _DATELINE.sub(
                lambda m: f"{m.group(1)}, {orig.slots['COUNTRY']}, {m.group(2)} (Xinhua) -- ",
                paras[0])
        elif form == 2:
            paras[0] = _DATELINE.sub("", paras[0])
        if len(paras) > MIN_PARAS and rng.random() < 0.4:
            del paras[rng.randint(2, len(paras) - 1)]
        fill = {"site": source, "rel": rng.choice(ph.RELATED), "rel2": rng.choice(ph.RELATED)}
        if rng.random() < 0.6:
            paras = rng.sample(ph.BOILER_TOP, rng.randint(1, 2)) + paras
        if rng.random() < 0.8:
            paras += [t.format(**fill) for t in rng.sample(ph.BOILER_BOTTOM, rng.randint(1, 2))]
    else:
        raise ValueError(f"not a variant kind: {kind!r}")
    return title, paras, source, feed


def _article_id(seed: int, story: int, kind: str) -> str:
    # Opaque, so that a matcher cannot read the group from the id.
    return hashlib.sha1(f"{seed}:{story}:{kind}".encode()).hexdigest()[:16]


def _story(rng: random.Random, seed: int, index: int, when: datetime, kinds: list[str],
           taken: set[str]) -> Iterator[CorpusArticle]:
    """The articles of one story; taken holds the titles of earlier stories and gets the new
    ones."""
    orig = _original(rng, when, taken)
    taken.add(orig.title)
    group, orig_id = f"story-{index:06d}", _article_id(seed, index, "original")
    yield CorpusArticle(orig_id, group, "original", orig.title, "\n\n".join(orig.paragraphs),
                        when, "Xinhua", f"xinhua-{ph.FEEDS[orig.event]}")
    for kind in kinds:
        if kind == "unrelated_same_topic":
            other = _unrelated(rng, orig, taken)
            taken.add(other.title)
            yield CorpusArticle(_article_id(seed, index, kind), f"{group}-u", kind, other.title,
                                "\n\n".join(other.paragraphs), other.when, "Xinhua",
                                f"xinhua-{ph.FEEDS[other.event]}", orig_id)
            continue
        title, paras, source, feed = _variant(rng, kind, orig)
        later = when + timedelta(minutes=rng.randint(5, 3 * 24 * 60))
        yield CorpusArticle(_article_id(seed, index, kind), group, kind, title,
                            "\n\n".join(paras), later, source, feed, orig_id)


def generate(n_stories: int, seed: int) -> list[CorpusArticle]:
    """n_stories originals with exactly round(rate * n_stories) articles of each other kind,
    spread over about one week per 40 stories."""
    if n_stories < 1:
        raise ValueError(f"n_stories must be positive, got {n_stories}")
    rng = random.Random(seed)
    chosen = {k: set(rng.sample(range(n_stories), round(r * n_stories)))
              for k, r in KIND_RATES.items()}
    span = timedelta(days=max(7.0, n_stories / 40))
    out: list[CorpusArticle] = []
    taken: set[str] = set()
    for index in range(n_stories):
        when = START + span * rng.random()
        kinds = [k for k in KIND_RATES if index in chosen[k]]
        out.extend(_story(rng, seed, index, when, kinds, taken))
    return out


def synthetic_stream(total: int, seed: int, days: int = 365) -> Iterator[CorpusArticle]:
    """total articles from stories laid out evenly over `days` (each kind with its KIND_RATES
    probability), yielded one at a time so memory stays flat. Stories come in time order; a
    story's variants follow it, up to 3 days later. Titles are kept distinct within a
    window of the last 1,000 stories (not over the whole year, to keep memory flat)."""
    rng = random.Random(seed)
    stories = max(1, round(total / (1 + sum(KIND_RATES.values()))))
    step, emitted, index = timedelta(days=days) / stories, 0, 0
    taken: set[str] = set()
    recent: deque[list[str]] = deque()
    while emitted < total:
        when = START + step * index + timedelta(minutes=rng.randint(0, 60))
        kinds = [k for k, r in KIND_RATES.items() if rng.random() < r]
        if len(recent) == _TITLE_WINDOW:
            taken.difference_update(recent.popleft())
        recent.append([])
        for article in _story(rng, seed, index, when, kinds, taken):
            if article.kind in ("original", "unrelated_same_topic"):
                recent[-1].append(article.title)
            if emitted == total:
                return
            yield article
            emitted += 1
        index += 1


def to_json(article: CorpusArticle) -> str:
    return json.dumps(asdict(article) | {"published_at": article.published_at.isoformat()},
                      ensure_ascii=False)


def read_jsonl(path: Path) -> list[CorpusArticle]:
    """Articles written by the CLI; a malformed line is an error naming the line."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            record = json.loads(line)
            when = datetime.fromisoformat(record.pop("published_at"))
            out.append(CorpusArticle(published_at=when, **record))
        except (ValueError, TypeError, KeyError) as exc:
            raise ValueError(f"{path}:{number}: not a corpus article: {exc}") from exc
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="JSON lines file to write")
    args = parser.parse_args(argv)
    articles = generate(args.stories, args.seed)
    with args.out.open("w", encoding="utf-8") as handle:
        for article in articles:
            handle.write(to_json(article) + "\n")
    print(f"{len(articles)} articles from {args.stories} stories -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
