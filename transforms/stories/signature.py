"""What story matching keeps of an article: MinHash signatures of its body's word shingles and
its normalised title. Computed once, where the article is built; stored, so that matching a new
article never reads an old body again.

Two signatures: one of the whole body, and one of its lead (the first LEAD_WORDS words). The
body's finds updates and syndicated copies, whose texts overlap broadly. The lead's finds the
shortened versions (the first paragraphs of a long article), whose overlap with the whole is
too small a share of the long article's shingles for the body's LSH bands to catch reliably.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from transforms.records import StorySignature

HASH_DTYPE = np.dtype("<u4")  # affine32 MinHash values, stored little-endian


@dataclass(frozen=True, slots=True)
class SignatureScheme:
    """The shingling and MinHash parameters of a signature. Signatures of two schemes are
    never compared: the scheme's name is stored with each, and `newswire models
    --rebuild-stories` computes them again after a change. The defaults were chosen on the
    generated corpus (benchmarks/story_params.py; docs/STORIES.md has the figures)."""

    shingle_words: int = 5
    perms: int = 128  # the body's Jaccard estimate has a standard error <= 0.045
    lead_words: int = 60
    lead_perms: int = 64  # at 32, formulaic leads of different stories read alike
    seed: int = 1

    @property
    def name(self) -> str:
        return (f"w{self.shingle_words}-p{self.perms}-lead{self.lead_words}p{self.lead_perms}"
                f"-s{self.seed}-crc32-affine32")

    @property
    def body_bands(self) -> tuple[int, int]:
        """LSH (bands, rows) of the body: candidates at Jaccard 0.4 with p >= 0.94 (128)."""
        return self.perms // 3, 3

    @property
    def lead_bands(self) -> tuple[int, int]:
        """LSH (bands, rows) of the lead: candidates at Jaccard 0.7 with p >= 0.98 (64)."""
        return self.lead_perms // 4, 4


DEFAULT_SCHEME = SignatureScheme()
SCHEME = DEFAULT_SCHEME.name


_TOKEN = re.compile(r"[^\W_]+")


@functools.cache
def _empty_sketch(perms: int, seed: int) -> MinHash:
    """A MinHash to copy: its permutations are made once per (perms, seed). CRC-32 hashes a
    shingle in a tenth of the time of datasketch's default (SHA-1), which was 70% of a
    signature's cost; the affine32 scheme mixes every input hash (MurmurHash3's finalizer)
    before permuting, so CRC's linearity does not carry into the minima."""
    return MinHash(num_perm=perms, seed=seed, scheme="affine32", hashfunc=zlib.crc32)


# Title normalisation: what differs between the headlines of one story.
_MIN_TITLE_WORDS = 4  # a shorter key ('News summary') names no one story
_TITLE_LABEL = (r"(?:\d+(?:st|nd|rd|th)\s+ld(?:[\s-]*writethru)?|updated?|urgent|breaking|"
                r"feature|roundup|round-up|interview|analysis|news analysis|spotlight|factbox|"
                r"explainer|commentary|exclusive|xinhua headlines|china focus|world insights|"
                r"economic watch)")
_TITLE_PREFIX = re.compile(
    rf"^\s*(?:[(\[]\s*{_TITLE_LABEL}\s*[)\]]\s*[:|\-\u2013\u2014]*\s*"
    rf"|{_TITLE_LABEL}\s*[:|\-\u2013\u2014]+\s*)+",
    re.IGNORECASE)
_TITLE_SUFFIX = re.compile(
    r"\s*(?:[|\-\u2013\u2014:]+\s*[\w .&'-]{2,40}|\((?:update[ds]?|\d+(?:st|nd|rd|th) ld"
    r"[\w -]*|xinhua|reuters|ap|afp)\))\s*$",
    re.IGNORECASE)


def tokens(text: str) -> list[str]:
    """Words, case-folded, accents and punctuation gone: 'Kassym-Jomart' -> kassym, jomart."""
    folded = text.casefold()
    if not folded.isascii():  # most wire copy is: no per-character pass for it
        folded = "".join(c for c in unicodedata.normalize("NFKD", folded)
                         if not unicodedata.combining(c))
    return _TOKEN.findall(folded)


def shingles(words: list[str], size: int) -> set[bytes]:
    """The distinct runs of `size` words; a text shorter than that is one shingle."""
    if not words:
        return set()
    if len(words) <= size:
        return {" ".join(words).encode()}
    return {" ".join(words[i:i + size]).encode() for i in range(len(words) - size + 1)}


def title_key(title: str | None) -> str | None:
    """The headline as one story's versions share it: no 'Update:' / 'Roundup:' prefix, no
    agency or site suffix, no case or punctuation. None when too short to name one story."""
    if not title:
        return None
    text = _TITLE_PREFIX.sub("", title)
    while True:
        # The suffix rule must not eat a headline made of one dash-separated clause.
        shorter = _TITLE_SUFFIX.sub("", text)
        if shorter == text or len(tokens(shorter)) < _MIN_TITLE_WORDS:
            break
        text = shorter
    words = tokens(text)
    return " ".join(words) if len(words) >= _MIN_TITLE_WORDS else None


def _minhash(perms: int, seed: int, items: set[bytes]) -> bytes:
    sketch = _empty_sketch(perms, seed).copy()
    if items:
        sketch.update_batch(items)
    return np.asarray(sketch.digest(), dtype=HASH_DTYPE).tobytes()


def story_signature(body: str, title: str | None,
                    scheme: SignatureScheme = DEFAULT_SCHEME) -> StorySignature:
    words = tokens(body)
    body_shingles = shingles(words, scheme.shingle_words)
    return StorySignature(
        scheme=scheme.name,
        body_minhash=_minhash(scheme.perms, scheme.seed, body_shingles),
        lead_minhash=_minhash(scheme.lead_perms, scheme.seed + 1,
                              shingles(words[:scheme.lead_words], scheme.shingle_words)),
        shingles=len(body_shingles),
        title_key=title_key(title),
    )


def hash_values(minhash: bytes) -> np.ndarray:
    return np.frombuffer(minhash, dtype=HASH_DTYPE)
