"""Story matching through the real pipeline, scored against the generated corpus.

    python -m benchmarks.story_pipeline [--stories 200] [--seed 5] [--split] [--keep]

1. Generates the story corpus (benchmarks/story_corpus.py) and renders it as two loopback
   sites (benchmarks/story_site.py): Xinhua pages read by the "xinhua" profile, syndicated
   copies on another site read by the "generic" profile, one RSS feed per corpus feed.
2. Runs `newswire ingest` on them, as a user does (a subprocess, the local Dask cluster; no
   politeness delay, both sites being loopback). With --split, two runs: the agency's feeds,
   then every feed, so that the syndicated copies are placed among stories of an earlier run
   (from the signatures the warehouse stored).
3. Maps each loaded article back to its corpus article by URL and prints the per-kind table
   of benchmarks/story_eval.py for the story ids the loaders gave, how each kind was placed
   (core.story_match.match_kind), which article names each story (its story_id and
   headline: the first placed, so the load order decides), and, to compare, the table of the
   same corpus fed to the matcher directly (clean bodies, story_eval's load order).
4. For every pair the pipeline missed or made wrongly, what differs from the corpus: the
   extracted title, time and paragraphs, and the match recorded for it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.story_corpus import KINDS, CorpusArticle, generate  # noqa: E402
from benchmarks.story_eval import evaluate, format_report, score  # noqa: E402
from benchmarks.story_site import StorySite, corpus_id, feeds_toml, render_site  # noqa: E402
from flows.settings import prefect_environment, resolve_settings  # noqa: E402
from flows.site_server import SiteServer  # noqa: E402
from transforms.stories import cluster_articles  # noqa: E402

_EXAMPLES = 5  # problems shown per kind


def loaded_articles(db: Path, site: StorySite) -> dict[str, dict[str, object]]:
    """corpus article_id -> the warehouse row of its page (with its story_match); a loaded
    URL that is no page of the site is an error."""
    with duckdb.connect(str(db), read_only=True) as con:
        cursor = con.execute(
            "SELECT f.canonical_url, f.article_id, f.story_id, f.title, f.published_at,"
            "       f.body, m.match_kind, m.matched_article_id, m.match_score, m.shingles,"
            "       m.title_key"
            " FROM core.fact_article f LEFT JOIN core.story_match m USING (article_id)")
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    out = {}
    for row in rows:
        cid = corpus_id(str(row["canonical_url"]), site)
        if cid is None:
            raise ValueError(f"a loaded article that is no page of the site: "
                             f"{row['canonical_url']}")
        out[cid] = row
    return out


def _ingest(work: Path, site: StorySite, split: bool) -> list[tuple[int, float, str]]:
    """Exit code, seconds and summary line of each `newswire ingest` run."""
    settings = resolve_settings(data_dir=work / "data")
    env = {**prefect_environment(settings), **os.environ,
           "PREFECT_HOME": str(work / "prefect"), "NEWSWIRE_POLITENESS_DELAY": "0",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                       os.environ.get("PYTHONPATH")]))}
    runs = [("agency",), ("agency", "syndication")] if split else [("agency", "syndication")]
    agency, syndication = SiteServer(site.agency_dir), SiteServer(site.syndication_dir)
    out = []
    with agency.running(), syndication.running():
        for sites in runs:
            (work / "feeds.toml").write_text(
                feeds_toml(site, agency.base_url, syndication.base_url, sites),
                encoding="utf-8")
            started = time.monotonic()
            done = subprocess.run(
                [sys.executable, "-m", "flows.cli", "ingest", "--db", str(work / "w.duckdb"),
                 "--feeds", str(work / "feeds.toml"), "--data-dir", str(work / "data")],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                text=True)
            summary = next((line.strip() for line in reversed(done.stderr.splitlines())
                            if " run " in line), done.stderr[-2000:])
            out.append((done.returncode, time.monotonic() - started, summary))
    return out


def _placements(corpus: Sequence[CorpusArticle],
                loaded: Mapping[str, Mapping[str, object]]) -> str:
    """How the articles of each kind were placed (match_kind counts)."""
    lines = ["match_kind per corpus kind (core.story_match):"]
    for kind in KINDS:
        counts = Counter(str(loaded[a.article_id]["match_kind"]) for a in corpus
                         if a.kind == kind and a.article_id in loaded)
        lines.append(f"  {kind:<22}" + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))
    return "\n".join(lines)


def _differences(article: CorpusArticle, row: Mapping[str, object]) -> list[str]:
    """What the pipeline's article has that the corpus article does not, or lacks."""
    out = []
    if row["title"] != article.title:
        out.append(f"title {row['title']!r} (corpus {article.title!r})")
    if row["published_at"] != article.published_at.replace(microsecond=0):
        out.append(f"published_at {row['published_at']} (corpus {article.published_at})")
    got = [p for p in str(row["body"]).split("\n\n") if p.strip()]
    extra = [p for p in got if not any(p in w for w in article.paragraphs)]
    missing = [w for w in article.paragraphs if not any(p in w for p in got)]
    if extra:
        out.append(f"{len(extra)} paragraph(s) not in the corpus text, e.g. {extra[0][:90]!r}")
    if missing:
        out.append(f"{len(missing)} corpus paragraph(s) missing, e.g. {missing[0][:90]!r}")
    return out


def _naming(corpus: Sequence[CorpusArticle],
            loaded: Mapping[str, Mapping[str, object]]) -> str:
    """Which article names each story (its story_id, whose title is core.dim_story.headline):
    the first placed, which within a run follows the load order, not publication."""
    by_wid = {str(row["article_id"]): cid for cid, row in loaded.items()}
    kind = {a.article_id: a.kind for a in corpus}
    members: dict[str, list[Mapping[str, object]]] = defaultdict(list)
    for row in loaded.values():
        members[str(row["story_id"])].append(row)
    shared = {s: rows for s, rows in members.items() if len(rows) > 1}
    later = [s for s, rows in shared.items()
             if loaded[by_wid[s]]["published_at"] > min(r["published_at"] for r in rows)]
    namers = Counter(kind[by_wid[s]] for s in shared)
    return (f"stories of 2+ articles: {len(shared)}; named after an article published later "
            f"than another of theirs: {len(later)}; named after a "
            + ", ".join(f"{k} {n}" for k, n in sorted(namers.items())))


def _problems(corpus: Sequence[CorpusArticle],
              loaded: Mapping[str, Mapping[str, object]]) -> str:
    by_id = {a.article_id: a for a in corpus}
    story = {cid: row["story_id"] for cid, row in loaded.items()}
    lines: list[str] = []
    shown: Counter[str] = Counter()
    for article in corpus:
        original = by_id.get(article.derived_from or "")
        if original is None or article.article_id not in loaded or \
                original.article_id not in loaded:
            continue
        together = story[article.article_id] == story[original.article_id]
        wrong = together if article.kind == "unrelated_same_topic" else not together
        if not wrong or shown[article.kind] >= _EXAMPLES:
            continue
        shown[article.kind] += 1
        row, orig_row = loaded[article.article_id], loaded[original.article_id]
        verb = "joined to" if together else "apart from"
        lines.append(f"- {article.kind} {article.article_id} {verb} its original "
                     f"{original.article_id}: placed {row['match_kind']} "
                     f"(score {row['match_score']}, {row['shingles']} shingles vs "
                     f"{orig_row['shingles']}; title keys {row['title_key']!r} / "
                     f"{orig_row['title_key']!r})")
        for side, a, r in (("  it", article, row), ("  original", original, orig_row)):
            lines += [f"{side}: {d}" for d in _differences(a, r)]
    # Every story that holds articles of more than one group (false-positive pairs).
    members: dict[object, list[CorpusArticle]] = defaultdict(list)
    for article in corpus:
        if article.article_id in loaded:
            members[story[article.article_id]].append(article)
    for story_id, group in members.items():
        groups = {a.group for a in group}
        if len(groups) > 1:
            lines.append(f"- story {story_id} mixes groups: "
                         + ", ".join(sorted(f"{a.group} ({a.kind})" for a in group)))
    return "\n".join(lines) if lines else "(none)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=200)
    parser.add_argument("--seed", type=int, default=5, help="corpus and load-order seed")
    parser.add_argument("--split", action="store_true",
                        help="ingest the agency's feeds first, then every feed: the "
                             "syndicated copies meet their stories in a later run")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="newswire-story-pipeline-"))
    corpus = generate(args.stories, args.seed)
    site = render_site(corpus, work / "site")
    print(f"{len(corpus)} articles of {args.stories} stories (seed {args.seed}), "
          f"{len(site.feeds)} feeds, under {work}")
    runs = _ingest(work, site, args.split)
    for code, seconds, summary in runs:
        print(f"newswire ingest: exit {code} in {seconds:.1f} s; {summary}")
    loaded = loaded_articles(work / "w.duckdb", site)
    absent = [a for a in corpus if a.article_id not in loaded]
    if absent:
        print(f"{len(absent)} corpus article(s) not loaded, e.g. "
              f"{[(a.kind, a.article_id) for a in absent[:5]]}; scored without them")
    present = [a for a in corpus if a.article_id in loaded]
    report = score(present, {cid: str(row["story_id"]) for cid, row in loaded.items()})
    print("\nthrough the pipeline (story ids given by the loaders):")
    print(format_report(report))
    print("\n" + _placements(present, loaded))
    print(_naming(present, loaded))
    print("\nthe same corpus fed to the matcher directly (clean bodies):")
    print(format_report(evaluate(corpus, cluster_articles, args.seed)))
    print("\npairs the pipeline got wrong (at most "
          f"{_EXAMPLES} a kind):\n{_problems(present, loaded)}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(code == 0 for code, _, _ in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
