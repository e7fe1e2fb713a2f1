"""Which story a new article joins: LSH candidates among the articles of the last and next
few days, then a verified match; no match starts a story of its own.

Candidates come from three places: LSH over the body signatures (texts that overlap broadly:
updates, syndicated copies), LSH over the lead signatures (shortened versions), and the same
normalised title. A candidate joins only when verified: the body of one is (estimated to be)
mostly contained in the other (texts of comparable size only); or the leads agree and half
the smaller text is inside the other (or it is hardly longer than a lead); or the titles agree
within TITLE_WINDOW and half the smaller text is inside the other. The estimate of the share of
the smaller body inside the larger (containment) comes from the MinHash Jaccard estimate J
and the two shingle counts a <= b: |A n B| = J (a + b) / (1 + J), so C = |A n B| / a.

Story ids never change: an article that matches articles of two stories joins the one it
matches best (ties: the smaller story id, then the smaller matched article id), and the
stories stay apart. Arrivals are placed in the order given (the load
order), each one seeing those placed before it.

The thresholds were measured on the generated corpus (benchmarks/story_eval.py); the figures
are in docs/STORIES.md.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from datasketch import LeanMinHash, MinHashLSH

from transforms.records import StorySignature
from transforms.stories.signature import DEFAULT_SCHEME, SignatureScheme, hash_values

WINDOW = timedelta(days=7)  # a story's articles lie within this of each other
TITLE_WINDOW = timedelta(days=3)
CONTAINMENT_MIN = 0.6  # body: the smaller text at least this much inside the larger
LEAD_JACCARD_MIN = 0.7  # lead: the leads this alike ...
LEAD_CONTAINMENT_MIN = 0.5  # ... and half the smaller text inside the other
TITLE_CONTAINMENT_MIN = 0.5  # title: half the smaller text inside the other
MIN_SHINGLES = 20  # fewer: a sentence or two, too little to call a story by its text
# The containment estimate multiplies the Jaccard estimate's error by (a + b) / a: for a text
# much smaller than the other, it is too noisy to decide on alone (a 3-paragraph text against
# 12: +-0.13 at 128 permutations). Below this size ratio the leads (or titles) must agree.
BODY_SIZE_RATIO_MIN = 0.5
# A text of at most this many leads' worth of shingles is at least half lead: leads that agree
# show that it is inside the other, where the containment estimate (a tiny text against a long
# one) cannot.
SHORT_TEXT_LEADS = 2

MatchKind = Literal["first", "body", "lead", "title", "before_stories"]


@dataclass(frozen=True, slots=True)
class StoryMember:
    """An article already placed in a story."""

    article_id: str
    story_id: str
    at: datetime  # published_at, else first_seen_at
    signature: StorySignature


@dataclass(frozen=True, slots=True)
class Arrival:
    """An article to place."""

    article_id: str
    at: datetime
    signature: StorySignature


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an arrival went, and why: the article it matched (None for 'first', the start
    of a story of its own) and the estimated containment of the smaller text in the larger."""

    story_id: str
    kind: MatchKind
    matched_article_id: str | None = None
    score: float | None = None


@dataclass(slots=True)
class _Indexed:
    member: StoryMember
    body: LeanMinHash
    lead: LeanMinHash


def _lean(minhash: bytes, num_perm: int, seed: int) -> LeanMinHash:
    values = hash_values(minhash)
    if len(values) != num_perm:
        raise ValueError(f"a signature of {len(values)} values, expected {num_perm}")
    return LeanMinHash(seed=seed, hashvalues=values, scheme="affine32")


def containment(jaccard: float, shingles_a: int, shingles_b: int) -> float:
    """The estimated share of the smaller shingle set inside the larger, given their Jaccard
    similarity."""
    smaller = min(shingles_a, shingles_b)
    if smaller <= 0:
        return 0.0
    return min(1.0, jaccard * (shingles_a + shingles_b) / ((1.0 + jaccard) * smaller))


class StoryIndex:
    """The articles of a window, indexed for matching; arrivals are added as they are placed."""

    def __init__(self, members: Iterable[StoryMember] = (),
                 scheme: SignatureScheme = DEFAULT_SCHEME) -> None:
        self.scheme = scheme
        self._body_lsh = MinHashLSH(num_perm=scheme.perms, params=scheme.body_bands)
        self._lead_lsh = MinHashLSH(num_perm=scheme.lead_perms, params=scheme.lead_bands)
        self._titles: dict[str, list[str]] = defaultdict(list)
        self._entries: dict[str, _Indexed] = {}
        self._by_time: list[tuple[datetime, str]] = []  # a heap: what to forget first
        for member in members:
            self.add(member)

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, member: StoryMember) -> None:
        sig = member.signature
        if sig.scheme != self.scheme.name:
            raise ValueError(f"signature scheme {sig.scheme!r} is not {self.scheme.name!r}: "
                             "rebuild the stories (newswire models --rebuild-stories)")
        if member.article_id in self._entries:
            return
        body, lead = self._sketches(sig)
        entry = _Indexed(member, body, lead)
        self._entries[member.article_id] = entry
        heapq.heappush(self._by_time, (member.at, member.article_id))
        if sig.shingles > 0:  # an empty text's signature would match every other empty one
            self._body_lsh.insert(member.article_id, entry.body, check_duplication=False)
            self._lead_lsh.insert(member.article_id, entry.lead, check_duplication=False)
        if sig.title_key:
            self._titles[sig.title_key].append(member.article_id)

    def _sketches(self, sig: StorySignature) -> tuple[LeanMinHash, LeanMinHash]:
        scheme = self.scheme
        return (_lean(sig.body_minhash, scheme.perms, scheme.seed),
                _lean(sig.lead_minhash, scheme.lead_perms, scheme.seed + 1))

    def forget_before(self, cutoff: datetime) -> None:
        """Drop the articles older than `cutoff`: nothing placed after it can match them
        (a rebuild, placing in time order, keeps one window in memory this way)."""
        while self._by_time and self._by_time[0][0] < cutoff:
            _, article_id = heapq.heappop(self._by_time)
            entry = self._entries.pop(article_id)
            if entry.member.signature.shingles > 0:
                self._body_lsh.remove(article_id)
                self._lead_lsh.remove(article_id)
            key = entry.member.signature.title_key
            if key:
                self._titles[key].remove(article_id)
                if not self._titles[key]:
                    del self._titles[key]

    def place(self, arrival: Arrival) -> Placement:
        """The story `arrival` belongs to (it is not added: see `assign_stories`)."""
        sig = arrival.signature
        body, lead = self._sketches(sig)
        candidates: set[str] = set(self._titles.get(sig.title_key, ())) if sig.title_key else set()
        if sig.shingles > 0:
            candidates.update(self._body_lsh.query(body))
            candidates.update(self._lead_lsh.query(lead))
        best: Placement | None = None
        for article_id in candidates:
            entry = self._entries[article_id]
            found = _verify(arrival, body, lead, entry,
                            SHORT_TEXT_LEADS * self.scheme.lead_words)
            if found is not None and (best is None or _better(found, best)):
                best = found
        return best or Placement(arrival.article_id, "first")


def _better(a: Placement, b: Placement) -> bool:
    """Higher score first; ties go to the smaller story id, then the smaller matched article
    id: candidates come out of sets, whose order changes with every process (string hashing
    is salted), and the outcome must not."""
    return ((a.score or 0.0), b.story_id, b.matched_article_id or "") > (
        (b.score or 0.0), a.story_id, a.matched_article_id or "")


def _verify(arrival: Arrival, body: LeanMinHash, lead: LeanMinHash, entry: _Indexed,
            short_text: int) -> Placement | None:
    member = entry.member
    apart = abs(arrival.at - member.at)
    if apart > WINDOW:
        return None
    sig, other = arrival.signature, member.signature
    if sig.shingles == 0 or other.shingles == 0:
        return None
    score = containment(body.jaccard(entry.body), sig.shingles, other.shingles)
    kind: MatchKind | None = None
    smaller, larger = sorted((sig.shingles, other.shingles))
    if (score >= CONTAINMENT_MIN and smaller >= MIN_SHINGLES
            and smaller >= BODY_SIZE_RATIO_MIN * larger):
        kind = "body"
    elif ((score >= LEAD_CONTAINMENT_MIN or smaller <= short_text)
          and lead.jaccard(entry.lead) >= LEAD_JACCARD_MIN):
        kind = "lead"
    elif (score >= TITLE_CONTAINMENT_MIN and sig.title_key is not None
          and sig.title_key == other.title_key and apart <= TITLE_WINDOW):
        kind = "title"
    if kind is None:
        return None
    return Placement(member.story_id, kind, member.article_id, round(score, 4))


def assign_stories(arrivals: Sequence[Arrival], members: Iterable[StoryMember] = (),
                   scheme: SignatureScheme = DEFAULT_SCHEME) -> list[Placement]:
    """Place each arrival, in order, among `members` and the arrivals placed before it."""
    index = StoryIndex(members, scheme)
    placements: list[Placement] = []
    for arrival in arrivals:
        placement = index.place(arrival)
        placements.append(placement)
        index.add(StoryMember(arrival.article_id, placement.story_id, arrival.at,
                              arrival.signature))
    return placements
