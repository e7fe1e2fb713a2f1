"""Measure page extraction and cleaning against the dev set's gold, without a server or a DB.

    python benchmarks/extraction_devset.py [--devset ../shared/devset] [--profile xinhua]

For every gold article with expect=article (duplicates skipped) the page file is read from the
site directory ({{BASE}} substituted), given the Content-Type the dev server would send
(site/_behaviours.json 'charset'; 'none' = no charset), passed through build_article, and
compared field by field the way shared/eval/score.py compares them. Prints per-field rates
and every mismatch; exit status 1 when any field is below 1.0.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from transforms.article import build_article
from transforms.errors import ExtractionError

BASE = "http://127.0.0.1:8000"
FIELDS = ("title", "published_at", "dateline_place", "editor", "photo_credits",
          "body_first", "body_last", "body_clean", "paragraphs")
# Same list as the scorer: characters and strings a clean body never contains.
DIRTY = ("\u00e2", "\u00c3", "\u25a0", "Editor:", "(Xinhua/", "Photo by", "\ufffd")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                         "\u2032": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
                         "\u201f": '"', "\u2033": '"', "\u00a0": " "})


def ntext(value: object) -> str:
    """The scorer's text normalisation: NFKC, straight quotes, single spaces, trimmed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip()


def content_type(behaviours: dict[str, Any], path: str) -> str:
    charset = (behaviours.get(path) or {}).get("charset", "utf-8")
    return "text/html" if charset == "none" else f"text/html; charset={charset}"


def compare(article: Any, gold: dict[str, Any]) -> dict[str, tuple[bool, object, object]]:
    """Field -> (ok, got, want), mirroring score.py."""
    out: dict[str, tuple[bool, object, object]] = {}
    out["title"] = (ntext(article.title) == ntext(gold.get("title")), article.title,
                    gold.get("title"))
    got_ts = (article.published_at.strftime("%Y-%m-%dT%H:%M:%SZ")
              if article.published_at else None)
    out["published_at"] = (got_ts == gold.get("published_at_utc"), got_ts,
                           gold.get("published_at_utc"))
    want_places = [ntext(x).casefold() for x in [gold.get("dateline_place"),
                                                 *(gold.get("dateline_place_alts") or [])] if x]
    got_place = ntext(article.dateline_place).casefold()
    ok_place = got_place in want_places if want_places else got_place == ""
    out["dateline_place"] = (ok_place, article.dateline_place, gold.get("dateline_place"))
    out["editor"] = (ntext(article.editor).casefold() == ntext(gold.get("editor")).casefold(),
                     article.editor, gold.get("editor"))
    got_credits = sorted(ntext(x) for x in article.photo_credits)
    want_credits = sorted(ntext(x) for x in gold.get("photo_credits") or [])
    out["photo_credits"] = (got_credits == want_credits, got_credits, want_credits)
    body = article.body or ""
    nb = ntext(body)
    out["body_first"] = (bool(nb) and nb.startswith(ntext(gold.get("body_first"))), nb[:60],
                         gold.get("body_first"))
    out["body_last"] = (bool(nb) and nb.endswith(ntext(gold.get("body_last"))), nb[-60:],
                        gold.get("body_last"))
    dirty = [m for m in DIRTY if m in body]
    out["body_clean"] = (bool(body) and not dirty, dirty, [])
    paragraphs = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
    out["paragraphs"] = (len(paragraphs) == gold.get("paragraphs"), len(paragraphs),
                         gold.get("paragraphs"))
    return out


def run(devset: Path, profile: str) -> int:
    gold = json.loads((devset / "gold.json").read_text(encoding="utf-8"))
    site = devset / "site"
    behaviours_file = site / "_behaviours.json"
    behaviours = json.loads(behaviours_file.read_text()) if behaviours_file.exists() else {}
    expected = [g for g in gold["articles"]
                if g.get("expect") == "article" and not g.get("duplicate_of")]
    hits = dict.fromkeys(FIELDS, 0)
    fixes_hit = fixes_total = 0
    for g in expected:
        path = g["path"]
        raw = (site / path.lstrip("/")).read_bytes().replace(b"{{BASE}}", BASE.encode())
        try:
            article = build_article(
                item_url=BASE + path, canonical_url=BASE + path, article_id=path,
                body=raw, content_type=content_type(behaviours, path), profile=profile,
            )
        except ExtractionError as e:
            print(f"FAIL {path}: {e}")
            continue
        for field, (ok, got, want) in compare(article, g).items():
            if ok:
                hits[field] += 1
            else:
                print(f"MISMATCH {path} {field}: got {got!r} want {want!r}")
        want_fixes = set(g.get("fixes") or [])
        fixes_total += len(want_fixes)
        fixes_hit += len(want_fixes & set(article.text_fixes))
    n = len(expected)
    print(f"articles {n}")
    for field in FIELDS:
        print(f"{field:<16} {hits[field] / n:.3f}")
    if fixes_total:
        print(f"{'info fixes_recall':<16} {fixes_hit / fixes_total:.3f}")
    return 0 if all(hits[f] == n for f in FIELDS) else 1


def main(argv: list[str] | None = None) -> int:
    default = Path(__file__).resolve().parents[2] / "shared" / "devset"
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devset", type=Path, default=default, help="dev set directory")
    ap.add_argument("--profile", default="xinhua", help="site profile to extract with")
    args = ap.parse_args(argv)
    return run(args.devset, args.profile)


if __name__ == "__main__":
    sys.exit(main())
