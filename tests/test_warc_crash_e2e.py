"""A `backfill --source warc` killed mid-run (SIGKILL: nothing of it runs after) leaves the
warehouse whole: it opens, each article it holds has all its entity mentions; the rerun loads
the rest, and the warehouse is then the one an uninterrupted run gives, with no duplicates."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import duckdb
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from flows.site_server import SiteServer, demo_site_dir

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


def _get(url: str) -> tuple[int, list[tuple[str, str]], bytes]:
    with urllib.request.urlopen(url) as response:
        return response.status, list(response.headers.items()), response.read()


def _write_archives(directory: Path, base: str) -> None:
    """The pages of the site's world feed, half in a.warc.gz and half in b.warc."""
    _, _, feed = _get(f"{base}/rss/worldrss.xml")
    urls = [u.decode() for u in re.findall(rb"<link>([^<]+\.html?)</link>", feed)]
    assert len(urls) >= 4
    directory.mkdir()
    for name, part in (("a.warc.gz", urls[::2]), ("b.warc", urls[1::2])):
        with open(directory / name, "wb") as out:
            writer = WARCWriter(out, gzip=name.endswith(".gz"))
            for url in part:
                status, headers, body = _get(url)
                http = StatusAndHeaders(f"{status} OK", headers, protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=http))


def test_a_killed_warc_backfill_leaves_the_warehouse_whole(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSWIRE_"))}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), DO_NOT_TRACK="1",
               PREFECT_SERVER_ANALYTICS_ENABLED="false")
    server = SiteServer(demo_site_dir())
    with server.running():
        feeds = tmp_path / "feeds.toml"
        feeds.write_text(f'[[feed]]\nname = "world"\nurl = "{server.base_url}/rss/worldrss.xml"'
                         '\nprofile = "xinhua"\n', encoding="utf-8")
        _write_archives(tmp_path / "archives", server.base_url)

    def command(db: str) -> list[str]:
        return [sys.executable, "-m", "flows.cli", "backfill", "--source", "warc",
                str(tmp_path / "archives"), "--db", str(tmp_path / db), "--feeds", str(feeds),
                "--data-dir", str(tmp_path / f"data-{db}")]

    reference = subprocess.run(command("reference.duckdb"), cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=300)
    assert reference.returncode == 0, reference.stderr[-3000:]
    killed = subprocess.Popen(command("w.duckdb"), cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert killed.stderr is not None
    for line in killed.stderr:  # the first archive is read and its pages handed over
        if "a.warc.gz: " in line:
            killed.send_signal(signal.SIGKILL)
            break
    killed.wait(timeout=120)
    assert killed.returncode == -signal.SIGKILL

    whole = _snapshot(tmp_path / "reference.duckdb")
    assert whole["core.fact_entity_mention"]
    partial = _snapshot(tmp_path / "w.duckdb")  # it opens
    held = {row[0] for row in partial["core.fact_article"]}
    assert held < {row[0] for row in whole["core.fact_article"]}  # killed before the end
    for table, rows in partial.items():  # each article held has every row of its own
        assert rows == [r for r in whole[table] if r[1 if "feed_item" in table else 0] in held]

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
