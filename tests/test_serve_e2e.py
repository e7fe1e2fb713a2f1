"""`newswire serve` runs its schedules: a feed scheduled every minute gets at least two
completed ingests within 150 s, with no Prefect server configured (newswire starts one) and
with one (`prefect server start` on a free loopback port, PREFECT_API_URL pointing at it)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import httpx
import pytest

from flows.site_server import SiteServer, demo_site_dir

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
WITHIN_S = 150


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def site() -> Iterator[SiteServer]:
    server = SiteServer(demo_site_dir())
    with server.running():
        yield server


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSWIRE_"))}
    env.update(PREFECT_HOME=str(tmp / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               DO_NOT_TRACK="1", NEWSWIRE_POLITENESS_DELAY="0")
    return env


@pytest.fixture
def prefect_server(tmp_path: Path) -> Iterator[str]:
    """A Prefect server as a user runs one: `prefect server start`, its own home."""
    port = _free_port()
    env = {**_env(tmp_path), "PREFECT_HOME": str(tmp_path / "server-home")}
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host",
                               "127.0.0.1", "--port", str(port), "--no-ui"],
                              env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None and time.monotonic() < deadline, "no Prefect server"
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _completed_ingests(db: Path) -> list[tuple[str, str]]:
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute("SELECT run_id, status FROM core.etl_run WHERE flow_name = "
                               "'ingest' AND status IN ('success', 'partial')").fetchall()
    except duckdb.Error:  # not created yet, or a run holds it for writing
        return []


def _start_half_a_minute_before_a_boundary() -> None:
    """Cron fires on minute boundaries: starting at :30 leaves serve 30 s to register its
    deployments before the first one, and the second one 90 s after the start."""
    second = datetime.now().second + datetime.now().microsecond / 1e6
    time.sleep((30 - second) % 60)


def _serve_and_count(tmp: Path, site: SiteServer, env: dict[str, str]) -> tuple[int, str]:
    feeds = tmp / "feeds.toml"
    feeds.write_text(f'[[feed]]\nname = "every-minute"\nurl = "{site.base_url}/rss/worldrss.xml"'
                     f'\nprofile = "xinhua"\nschedule = "* * * * *"\n', encoding="utf-8")
    db = tmp / "w.duckdb"
    log = tmp / "serve.log"
    _start_half_a_minute_before_a_boundary()
    with log.open("wb") as out:
        serve = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "serve", "--db", str(db), "--feeds", str(feeds),
             "--data-dir", str(tmp / "data"), "--prefect-file", str(ROOT / "prefect.yaml")],
            cwd=tmp, env=env, stdout=out, stderr=out)
        deadline = time.monotonic() + WITHIN_S
        try:
            while len(_completed_ingests(db)) < 2 and time.monotonic() < deadline:
                assert serve.poll() is None, log.read_text()[-3000:]
                time.sleep(2)
        finally:
            serve.send_signal(signal.SIGINT)
            try:
                serve.wait(timeout=60)
            except subprocess.TimeoutExpired:
                serve.kill()
    return len(_completed_ingests(db)), log.read_text()


def test_serve_without_a_configured_server_starts_one_and_runs_the_schedule(
    site: SiteServer, tmp_path: Path
) -> None:
    completed, log = _serve_and_count(tmp_path, site, _env(tmp_path))
    assert completed >= 2, log[-3000:]
    assert "started one at http://127.0.0.1:" in log
    assert "ingest-every-minute" in log  # the deployment is named after its feed


def test_serve_with_a_configured_server_runs_the_schedule_there(
    site: SiteServer, tmp_path: Path, prefect_server: str
) -> None:
    env = {**_env(tmp_path), "PREFECT_API_URL": prefect_server}
    completed, log = _serve_and_count(tmp_path, site, env)
    assert completed >= 2, log[-3000:]
    assert f"using the Prefect server at {prefect_server}" in log
