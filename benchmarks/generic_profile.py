"""The generic profile against trafilatura alone, on article pages from sites other than Xinhua.

    python benchmarks/generic_profile.py

The pages in benchmarks/pages/ are synthetic articles written for this benchmark, each in the
markup of a different kind of news site; NAME.gold.txt next to NAME.html holds exactly the
article body (no headline, byline, dateline, captions or boilerplate), one paragraph per
blank-line-separated block.

Both systems get the page's raw bytes, as fetched:
  trafilatura  trafilatura.extract(body, url=url, favor_precision=False), default options and
               text output (so comments and tables included, trafilatura's own decoding);
  newswire     transforms.article.build_article(..., profile="generic").body, the product path
               (decode_html, GenericProfile.extract, clean_paragraphs).

Score: bag-of-words token F1. Tokens are the lower-cased (NFKC, casefolded) runs of letters and
digits; the overlap is the multiset intersection; precision = overlap / predicted tokens,
recall = overlap / gold tokens. Prints one row per page and the macro average (the mean of the
per-page P, R and F1) of each system; exit status 1 when newswire's macro F1 is below
trafilatura's.
"""

from __future__ import annotations

import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trafilatura

from transforms.article import build_article
from transforms.errors import ExtractionError

PAGES_DIR = Path(__file__).resolve().parent / "pages"
UTF8 = "text/html; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Page:
    """One benchmark page: the file stem, the URL it is 'fetched' from, the HTTP Content-Type."""

    name: str
    url: str
    content_type: str = UTF8
    note: str = ""

    @property
    def html_path(self) -> Path:
        return PAGES_DIR / f"{self.name}.html"

    @property
    def gold_path(self) -> Path:
        return PAGES_DIR / f"{self.name}.gold.txt"

    def body(self) -> bytes:
        return self.html_path.read_bytes()

    def gold(self) -> str:
        return self.gold_path.read_text(encoding="utf-8")


PAGES: tuple[Page, ...] = (
    Page("wordpress_blog",
         "https://tallowstreet.example.org/2025/02/04/harbourview-garden-doubles-plots/",
         note="WordPress: article > div.entry-content, h2 sub-headings, blockquote, share/like/"
              "related widgets inside entry-content, comment form"),
    Page("wire_byline",
         "https://continentalwire.example.com/article/nordmark-rail-storm-reopening-7c1e2f",
         note="wire story: byline, photo caption, dateline (not body), inline ad label, "
              "'(Reporting by ...; Editing by ...)' credit"),
    Page("bbc_text_blocks",
         "https://www.dailybroadcast.example.co.uk/news/articles/c9x2kelp7trayo",
         note="div[data-component=text-block] per paragraph, bold intro, subheadline blocks, "
              "image-block captions, links-block"),
    Page("guardian_commercial_selector",
         "https://www.chronicle.example.com/uk-news/2025/apr/10/"
         "eastgate-market-square-pedestrianised-council-vote",
         note="div.article-body-commercial-selector, standfirst, inline rich link and figure, "
              "contributions epic after the body"),
    Page("local_paper_inline_boxes",
         "https://www.lindgateledger.example.com/news/education/2025/11/17/"
         "school-start-times-vote/",
         note="ad slots, READ MORE boxes and a newsletter sign-up interleaved in the body, "
              "author tagline"),
    Page("br_paragraphs",
         "http://www.lentvalegazette.example.co.uk/news/heritage/18842",
         note="table layout, paragraphs separated by <br><br> inside one div"),
    Page("table_figures",
         "https://www.marshcourier.example.co.uk/news/council/marsh-county-budget-2025-26",
         note="a <table> of figures in the body (its rows are gold body text), summary, "
              "source line"),
    Page("amp_article",
         "https://www.railtoday.example.net/amp/news/2025/03/night-train-carrow-velden-returns",
         note="AMP: amp-img, amp-ad with placeholder/fallback text, amp-sidebar menu, "
              "amp-social-share"),
    Page("comments_section",
         "https://www.grayportpost.example.co.uk/news/libraries-scrap-late-fines-4471920",
         note="seven reader comments (nested) under the article"),
    Page("windows1252_curly_quotes",
         "http://www.dunmereadvertiser.example.co.uk/news/sourdough-library-crooked-loaf",
         content_type="text/html",
         note="windows-1252 declared only by <meta http-equiv>; curly quotes, dashes, "
              "ellipsis (0x85), accented letters, pound sign"),
)

# ------------------------------------------------------------------------------- scoring

_TOKEN = re.compile(r"[^\W_]+")


def tokens(text: str) -> Counter[str]:
    """The multiset of lower-cased word tokens (runs of letters and digits) of `text`."""
    return Counter(_TOKEN.findall(unicodedata.normalize("NFKC", text).casefold()))


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float
    f1: float


def token_f1(predicted: str, gold: str) -> Score:
    """Bag-of-words precision, recall and F1 of `predicted` against `gold`."""
    pred, want = tokens(predicted), tokens(gold)
    overlap = sum((pred & want).values())
    n_pred, n_gold = sum(pred.values()), sum(want.values())
    if n_pred == 0 and n_gold == 0:
        return Score(1.0, 1.0, 1.0)
    precision = overlap / n_pred if n_pred else 0.0
    recall = overlap / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return Score(precision, recall, f1)


def macro(scores: Iterable[Score]) -> Score:
    """The mean of the per-page precision, recall and F1."""
    items = list(scores)
    if not items:
        return Score(0.0, 0.0, 0.0)
    n = len(items)
    return Score(sum(s.precision for s in items) / n, sum(s.recall for s in items) / n,
                 sum(s.f1 for s in items) / n)


# ------------------------------------------------------------------------------- systems


def trafilatura_text(page: Page) -> str:
    """trafilatura alone: default options, text output, its own charset detection."""
    return trafilatura.extract(page.body(), url=page.url, favor_precision=False) or ""


def newswire_text(page: Page) -> str:
    """newswire's product path with the generic profile; '' when it finds no article."""
    try:
        article = build_article(
            item_url=page.url,
            canonical_url=page.url,
            article_id=page.name,
            body=page.body(),
            content_type=page.content_type,
            profile="generic",
        )
    except ExtractionError:
        return ""
    return article.body


SYSTEMS: dict[str, Callable[[Page], str]] = {
    "trafilatura": trafilatura_text,
    "newswire": newswire_text,
}


@dataclass(frozen=True, slots=True)
class PageResult:
    page: Page
    outputs: dict[str, str]
    scores: dict[str, Score]


def evaluate(pages: Iterable[Page] = PAGES) -> list[PageResult]:
    """Run every system on every page and score it against the page's gold."""
    results = []
    for page in pages:
        gold = page.gold()
        outputs = {name: run(page) for name, run in SYSTEMS.items()}
        scores = {name: token_f1(text, gold) for name, text in outputs.items()}
        results.append(PageResult(page, outputs, scores))
    return results


def summary(results: list[PageResult]) -> dict[str, Score]:
    """Macro-averaged P/R/F1 of each system."""
    return {name: macro(r.scores[name] for r in results) for name in SYSTEMS}


# ------------------------------------------------------------------------------- report


def _row(label: str, scores: dict[str, Score]) -> str:
    cells = "  ".join(f"{s.precision:5.3f} {s.recall:5.3f} {s.f1:5.3f}" for s in scores.values())
    return f"{label:<30}  {cells}"


def report(results: list[PageResult]) -> str:
    names = list(SYSTEMS)
    head = f"{'':<30}  " + "  ".join(f"{n:^17}" for n in names)
    sub = f"{'page':<30}  " + "  ".join(f"{'P':>5} {'R':>5} {'F1':>5}" for _ in names)
    lines = [head, sub, "-" * len(sub)]
    for r in results:
        flag = "  <" if r.scores["newswire"].f1 < r.scores["trafilatura"].f1 else ""
        lines.append(_row(r.page.name, r.scores) + flag)
    lines.append("-" * len(sub))
    lines.append(_row("macro average", summary(results)))
    return "\n".join(lines)


def main() -> int:
    started = time.perf_counter()
    results = evaluate()
    print(report(results))
    overall = summary(results)
    news, traf = overall["newswire"], overall["trafilatura"]
    print(f"\nnewswire macro F1 {news.f1:.3f} vs trafilatura {traf.f1:.3f} "
          f"({len(results)} pages, {time.perf_counter() - started:.1f} s); "
          "'<' marks pages where newswire scores below trafilatura")
    if news.f1 < traf.f1:
        print("FAIL: the generic profile is worse than trafilatura alone", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
