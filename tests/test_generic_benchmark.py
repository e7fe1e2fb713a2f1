"""The generic profile is no worse than trafilatura alone on other sites' article pages.

Runs benchmarks/generic_profile.py's scoring over benchmarks/pages/ (synthetic pages in the
markup of ten kinds of news site, each with a hand-written gold body).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import lxml.html
import pytest

_BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "generic_profile.py"
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generic_profile_benchmark", _BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building classes
    spec.loader.exec_module(module)
    return module


bench = _load()


@pytest.fixture(scope="module")
def results() -> list:
    return bench.evaluate()


def test_token_f1() -> None:
    same = bench.token_f1("The cat sat.", "the CAT sat")
    assert (same.precision, same.recall, same.f1) == (1.0, 1.0, 1.0)
    # multiset overlap: 'the' twice in the prediction counts once against one gold 'the'
    s = bench.token_f1("the the cat", "the cat sat on")
    assert s.precision == pytest.approx(2 / 3)
    assert s.recall == pytest.approx(2 / 4)
    assert s.f1 == pytest.approx(2 * (2 / 3) * (2 / 4) / (2 / 3 + 2 / 4))
    assert bench.token_f1("", "some gold").f1 == 0.0
    assert bench.tokens("Café’s “library” — 14,200") == bench.tokens("cafe\u0301's library 14 200")


def test_macro_average() -> None:
    m = bench.macro([bench.Score(1.0, 0.5, 0.6), bench.Score(0.5, 1.0, 0.8)])
    assert (m.precision, m.recall, m.f1) == pytest.approx((0.75, 0.75, 0.7))


def test_every_page_has_a_gold_body_found_in_the_page() -> None:
    assert len(bench.PAGES) == 10
    names = {p.name for p in bench.PAGES}
    on_disk = {p.name.removesuffix(".html") for p in bench.PAGES_DIR.glob("*.html")}
    assert names == on_disk
    for page in bench.PAGES:
        raw = page.body()
        declared = _META_CHARSET.search(raw[:2048])
        doc = lxml.html.document_fromstring(raw.decode(declared.group(1).decode() if declared
                                                       else "utf-8"))
        for junk in doc.xpath("//script | //style"):
            junk.drop_tree()
        text = " ".join(" ".join(doc.itertext()).split())
        gold = [p for p in re.split(r"\n\s*\n", page.gold()) if p.strip()]
        assert 200 <= len(page.gold().split()) <= 500, page.name
        for paragraph in gold:
            assert " ".join(paragraph.split()) in text, (page.name, paragraph[:60])


def test_generic_profile_no_worse_than_trafilatura(results: list) -> None:
    overall = bench.summary(results)
    news, traf = overall["newswire"], overall["trafilatura"]
    assert news.f1 >= traf.f1, "\n" + bench.report(results)
    assert news.f1 >= 0.9, "\n" + bench.report(results)


def test_newswire_finds_an_article_on_every_page(results: list) -> None:
    empty = [r.page.name for r in results if not r.outputs["newswire"]]
    assert not empty
