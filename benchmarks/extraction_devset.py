"""Measure page extraction and cleaning against an evaluation set's gold, no server or DB.

    python benchmarks/extraction_devset.py [--devset DIR] [--profile xinhua]

--devset defaults to the demo site bundled with the repository (flows/demo_site: the pages, with
the gold in EXPECTED.json at its root). It also takes any directory holding gold.json and site/
in the same format (none ships with the repository besides the demo site).

For every gold article with expect=article (duplicates skipped) the page file is read from the
site directory ({{BASE}} substituted), given the Content-Type its server would send (the
'charset' of _behaviours.json in the site directory if there is one, else utf-8; 'none' = no
charset; the demo site has no such file), passed through build_article, and compared field by
field the way the evaluation scorer compares them (NFKC text with straight quotes and single
spaces). Prints per-field rates and every mismatch; exit status 1 when any field is below 1.0.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.article import build_article  # noqa: E402
from transforms.errors import ExtractionError  # noqa: E402

BASE = "http://127.0.0.1:8000"
DEMO_SITE = ROOT / "flows" / "demo_site"  # the evaluation set bundled with the repository
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
    """Field -> (ok, got, want), as the evaluation scorer compares them."""
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


def load_gold(devset: Path) -> tuple[dict[str, Any], Path]:
    """The gold and the site root: gold.json + site/, or a site with EXPECTED.json at its root
    (the bundled demo site)."""
    if (devset / "gold.json").is_file():
        return json.loads((devset / "gold.json").read_text(encoding="utf-8")), devset / "site"
    if (devset / "EXPECTED.json").is_file():
        return json.loads((devset / "EXPECTED.json").read_text(encoding="utf-8")), devset
    raise SystemExit(f"{devset}: no gold.json or EXPECTED.json")


def run(devset: Path, profile: str) -> int:
    gold, site = load_gold(devset)
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
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devset", type=Path, default=DEMO_SITE, metavar="DIR",
                    help="evaluation set: a directory with EXPECTED.json at its root (default: "
                         "the bundled demo site, %(default)s) or any directory holding gold.json "
                         "and site/ in the same format (none ships with the repository besides "
                         "the demo site)")
    ap.add_argument("--profile", default="xinhua", help="site profile to extract with")
    args = ap.parse_args(argv)
    return run(args.devset, args.profile)


if __name__ == "__main__":
    sys.exit(main())
