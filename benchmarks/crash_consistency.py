"""SIGKILL an ingest at random moments of its work; after each kill a normal run must leave the
warehouse exactly as one uninterrupted run does (same rows and ids in every core table).

    python benchmarks/crash_consistency.py [--site DIR] [--trials 10]

--site defaults to the demo site bundled with the repository (flows/demo_site). It also takes
the site/ directory of any set holding gold.json and site/ in the same format (none ships with
the repository besides the demo site); the feeds are the rss/*.xml files of the site.

Serves the site with the project's loopback server ({{BASE}} substitution, conditional GET),
runs one reference ingest, then for each trial: a fresh warehouse, an ingest killed at a random
moment of its work phase (from its first progress line, once Prefect is up, to the reference
run's end), a normal ingest, and a comparison.
core.etl_run (one row per run, killed ones included) and raw.fetch_log (every request) are
records of the runs themselves and are not compared.
"""

from __future__ import annotations

import argparse
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.site_server import SiteServer, demo_site_dir  # noqa: E402

SNAPSHOT = {
    "core.fact_article": "SELECT article_id, canonical_url, content_hash, version, story_id"
                         " FROM core.fact_article",
    "core.dim_story": "SELECT story_id, first_published_at, headline, articles"
                      " FROM core.dim_story",
    "core.story_match": "SELECT article_id, match_kind, matched_article_id, scheme, shingles"
                        " FROM core.story_match",
    "core.fact_feed_item": "SELECT feed_name, article_id, item_guid FROM core.fact_feed_item",
    "core.dim_entity": "SELECT entity_id, name, type, country_code FROM core.dim_entity",
    "core.fact_entity_mention": "SELECT article_id, entity_id, start_char, end_char FROM "
                                "core.fact_entity_mention",
    "core.fact_quote": "SELECT article_id, speaker_entity_id, start_char, end_char FROM "
                       "core.fact_quote",
}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: sorted(con.execute(q).fetchall(), key=repr) for t, q in SNAPSHOT.items()}


WORK_STARTS = "feeds: 0/"  # the first progress line: Prefect is up, the run's work begins


def ingest(args: list[str], kill_after: float | None = None) -> tuple[int, float, float, str]:
    """Run one ingest; with `kill_after`, SIGKILL it that many seconds into its work phase.
    Returns (exit code, total seconds, seconds of work phase, last progress line)."""
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "ingest", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    work_started: float | None = None
    timer: threading.Timer | None = None
    assert proc.stderr is not None
    for line in proc.stderr:
        lines.append(line.rstrip())
        if work_started is None and WORK_STARTS in line:
            work_started = time.monotonic()
            if kill_after is not None:
                timer = threading.Timer(kill_after, proc.send_signal, [signal.SIGKILL])
                timer.start()
    proc.wait()
    if timer is not None:
        timer.cancel()
    ended = time.monotonic()
    work = ended - work_started if work_started else 0.0
    return proc.returncode, ended - started, work, (lines[-1] if lines else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=demo_site_dir(), metavar="DIR",
                        help="site to serve and ingest (default: the bundled demo site, "
                             "%(default)s); any site directory in the same layout, with its "
                             "feeds under rss/")
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261126)
    opts = parser.parse_args()
    rng = random.Random(opts.seed)
    work = Path(tempfile.mkdtemp(prefix="newswire-crash-"))
    server = SiteServer(opts.site.resolve())
    with server.running():
        feeds = work / "feeds.toml"
        feeds.write_text("".join(
            f'[[feed]]\nname = "{p.stem}"\nurl = "{server.base_url}/rss/{p.name}"\n'
            f'profile = "xinhua"\n\n' for p in sorted((opts.site / "rss").glob("*.xml"))))

        def paths(name: str) -> list[str]:
            return ["--db", str(work / name / "w.duckdb"), "--feeds", str(feeds),
                    "--data-dir", str(work / name / "data")]

        code, duration, work_s, _ = ingest(paths("reference"))
        reference = snapshot(work / "reference" / "w.duckdb")
        counts = {t: len(rows) for t, rows in reference.items()}
        print(f"reference run: exit {code}, {duration:.1f} s ({work_s:.1f} s of work after "
              f"Prefect start-up), rows {counts}")
        failures = 0
        for trial in range(1, opts.trials + 1):
            kill_at = rng.uniform(0.0, work_s)
            name = f"trial{trial}"
            killed_code, _, _, last = ingest(paths(name), kill_after=kill_at)
            code, _, _, _ = ingest(paths(name))
            same = snapshot(work / name / "w.duckdb") == reference
            failures += not same
            print(f"trial {trial:2}: SIGKILL {kill_at:4.1f} s into the work (exit {killed_code}; "
                  f"last line: {last[:70]!r}); rerun exit {code}; warehouse "
                  f"{'identical' if same else 'DIFFERENT'}")
    print(f"{opts.trials - failures}/{opts.trials} trials identical to the uninterrupted run")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
