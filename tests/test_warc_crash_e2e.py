"""A `backfill --source warc` killed mid-run (SIGKILL: nothing of it runs after), after its
first load committed and before its last, leaves the warehouse whole: it opens, and each
article it holds has all its rows (entity mentions, quotes, feed items); the rerun loads the
rest, and the warehouse is then the one an uninterrupted run gives, with no duplicates."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import duckdb
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from flows.site_server import SiteServer, demo_site_dir
from tests.loopback import Loopback, Route, reply
from tests.sample_site import fetch

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = {
    "core.fact_article": "SELECT article_id, canonical_url, content_hash, version"
                         " FROM core.fact_article",
    "core.fact_feed_item": "SELECT feed_name, article_id, item_guid FROM core.fact_feed_item",
    "core.fact_entity_mention": "SELECT article_id, entity_id, start_char, end_char FROM "
                                "core.fact_entity_mention",
    "core.fact_quote": "SELECT article_id, speaker_entity_id, start_char, end_char FROM "
                       "core.fact_quote",
}


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: sorted(con.execute(q).fetchall(), key=repr) for t, q in SNAPSHOT.items()}


def _write_archive(path: Path, urls: list[str]) -> None:
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"))
        for url in urls:
            status, headers, body = fetch(url)
            http = StatusAndHeaders(f"{status} OK", headers, protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=http))


def _stalled(data: bytes, stall: dict[str, float]) -> Route:
    """The archive, answered after `stall["s"]` seconds."""
    def route(h: BaseHTTPRequestHandler) -> None:
        time.sleep(stall["s"])
        reply(200, data)(h)
    return route


def test_a_killed_warc_backfill_leaves_the_warehouse_whole(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSWIRE_"))}
    # one worker: at most 4 chunks in flight, so the first pages are collected early
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), DO_NOT_TRACK="1",
               PREFECT_SERVER_ANALYTICS_ENABLED="false", NEWSWIRE_WORKERS="1")
    server = SiteServer(demo_site_dir())
    with server.running():
        feeds = tmp_path / "feeds.toml"
        feeds.write_text("".join(
            f'[[feed]]\nname = "{name}"\nurl = "{server.base_url}/rss/{name}rss.xml"\n'
            'profile = "xinhua"\n\n' for name in ("world", "china")), encoding="utf-8")
        urls = list(dict.fromkeys(
            u.decode() for name in ("world", "china")
            for u in re.findall(rb"<link>([^<]+\.html?)</link>",
                                fetch(f"{server.base_url}/rss/{name}rss.xml")[2])))
        assert len(urls) >= 8
        # one page per archive, so that each is a chunk of its own; the sixth archive is
        # at a URL that answers late in the killed run: by then the first pages are
        # processed, and its summary row's load commits them
        archives = []
        for i, url in enumerate(urls):
            path = tmp_path / f"p{i:02}.warc{'.gz' if i % 2 else ''}"
            _write_archive(path, [url])
            archives.append(str(path))
    stall = {"s": 0.0}
    site = Loopback({"/stalled.warc.gz": _stalled(Path(archives[5]).read_bytes(), stall)})
    with site.running():
        archives[5] = site.url("/stalled.warc.gz")

        def command(db: str) -> list[str]:
            return [sys.executable, "-m", "flows.cli", "backfill", "--source", "warc",
                    *archives, "--db", str(tmp_path / db), "--feeds", str(feeds),
                    "--data-dir", str(tmp_path / f"data-{db}")]

        reference = subprocess.run(command("reference.duckdb"), cwd=ROOT, env=env,
                                   capture_output=True, text=True, timeout=300)
        assert reference.returncode == 0, reference.stderr[-3000:]
        stall["s"] = 12.0  # past the page work's 10 s between loads
        killed = subprocess.Popen(command("w.duckdb"), cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        assert killed.stderr is not None
        for line in killed.stderr:
            if re.search(r"stalled\.warc\.gz: .* [1-9]\d* new articles loaded", line):
                killed.send_signal(signal.SIGKILL)
                break
        killed.wait(timeout=120)
        assert killed.returncode == -signal.SIGKILL

        whole = _snapshot(tmp_path / "reference.duckdb")
        assert whole["core.fact_entity_mention"]
        partial = _snapshot(tmp_path / "w.duckdb")  # it opens
        held = {row[0] for row in partial["core.fact_article"]}
        # killed after its first load and before its last
        assert held and held < {row[0] for row in whole["core.fact_article"]}
        for table, rows in partial.items():  # each article held has every row of its own
            assert rows == [r for r in whole[table]
                            if r[1 if "feed_item" in table else 0] in held], table

        stall["s"] = 0.0
        rerun = subprocess.run(command("w.duckdb"), cwd=ROOT, env=env, capture_output=True,
                               text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert "marked 1 earlier run(s) crashed" in rerun.stderr
    assert _snapshot(tmp_path / "w.duckdb") == whole
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) - count(DISTINCT article_id) "
                           "FROM core.fact_article").fetchone() == (0,)
        assert con.execute("SELECT status FROM core.etl_run ORDER BY started_at").fetchall() == [
            ("crashed",), ("success",)]
