"""An ingest killed mid-run (SIGKILL: nothing of it runs after) is marked 'crashed' by the next
run, which then loads what the killed one did not; nothing stays 'running' forever."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.site_server import SiteServer, demo_site_dir

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]


def test_a_killed_run_is_marked_crashed_by_the_next(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSWIRE_"))}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), DO_NOT_TRACK="1",
               PREFECT_SERVER_ANALYTICS_ENABLED="false", NEWSWIRE_POLITENESS_DELAY="0")
    server = SiteServer(demo_site_dir())
    with server.running():
        feeds = tmp_path / "feeds.toml"
        feeds.write_text(f'[[feed]]\nname = "world"\nurl = "{server.base_url}/rss/worldrss.xml"'
                         '\nprofile = "xinhua"\n', encoding="utf-8")
        command = [sys.executable, "-m", "flows.cli", "ingest", "--db",
                   str(tmp_path / "w.duckdb"), "--feeds", str(feeds), "--data-dir",
                   str(tmp_path / "data")]
        killed = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
        assert killed.stderr is not None
        for line in killed.stderr:  # the run has recorded itself once its pages stage begins
            if "pages: 0/" in line:
                killed.send_signal(signal.SIGKILL)
                break
        killed.wait(timeout=120)
        assert killed.returncode == -signal.SIGKILL
        with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
            assert con.execute("SELECT status FROM core.etl_run").fetchall() == [("running",)]
        rerun = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                               timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert "marked 1 earlier run(s) crashed" in rerun.stderr
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        statuses = con.execute("SELECT status, finished_at IS NULL FROM core.etl_run "
                               "ORDER BY started_at").fetchall()
        articles = con.execute("SELECT count(*) FROM core.fact_article").fetchone()[0]
    assert statuses == [("crashed", True), ("success", False)]
    assert articles > 0
