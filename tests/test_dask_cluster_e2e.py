"""A real Dask cluster on loopback (`dask scheduler` and two `dask worker` processes) gives,
row for row and id for id, the warehouse that the default local runner gives: for an ingest,
and for a raw backfill of what it landed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from benchmarks.corpus import feeds_toml, write_corpus
from flows.site_server import SiteServer

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = 160  # past 100 pages, where raw.fetch_log.bytes once went NULL
COMPARED = {
    "core.fact_article": "SELECT * EXCLUDE (first_seen_at, last_seen_at) FROM core.fact_article",
    "core.fact_feed_item": "SELECT * EXCLUDE (seen_at) FROM core.fact_feed_item",
    "core.dim_entity": "SELECT * FROM core.dim_entity",
    "core.fact_entity_mention": "SELECT * FROM core.fact_entity_mention",
    "core.fact_quote": "SELECT * FROM core.fact_quote",
    "raw.fetch_log": "SELECT * EXCLUDE (run_id, fetched_at) FROM raw.fetch_log",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _user_env(tmp: Path) -> dict[str, str]:
    """As a user's shell would have it: no Prefect server configured, politeness off."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSWIRE_"))}
    env.update(PREFECT_HOME=str(tmp / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               DO_NOT_TRACK="1", NEWSWIRE_POLITENESS_DELAY="0", NEWSWIRE_WORKERS="2")
    return env


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`dask scheduler` and two `dask worker`s on 127.0.0.1, as an operator starts them."""
    tmp = tmp_path_factory.mktemp("dask")
    dask = str(Path(sys.executable).with_name("dask"))
    address = f"tcp://127.0.0.1:{_free_port()}"
    env = {**_user_env(tmp), "PREFECT_HOME": str(tmp / "worker-prefect-home")}
    log = (tmp / "cluster.log").open("wb")
    scheduler = subprocess.Popen(
        [dask, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
         "--no-dashboard"], env=env, stdout=log, stderr=log)
    workers = [subprocess.Popen(
        [dask, "worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--name", f"w{i}",
         "--no-dashboard"], cwd=tmp, env=env, stdout=log, stderr=log) for i in range(2)]
    try:
        _wait_for_workers(address, 2)
        yield address
    finally:
        for process in (*workers, scheduler):
            process.terminate()
        for process in (*workers, scheduler):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def _wait_for_workers(address: str, count: int, timeout_s: float = 120) -> None:
    from distributed import Client

    deadline = time.monotonic() + timeout_s
    with Client(address, timeout=timeout_s) as client:
        while len(client.scheduler_info(n_workers=-1)["workers"]) < count:
            assert time.monotonic() < deadline, f"the Dask workers did not join {address}"
            time.sleep(0.2)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SiteServer, Path]]:
    root = tmp_path_factory.mktemp("site")
    feeds = write_corpus(root / "site", ARTICLES, feed_size=32)
    server = SiteServer(root / "site")
    with server.running():
        (root / "feeds.toml").write_text(feeds_toml(feeds, server.base_url), encoding="utf-8")
        yield server, root / "feeds.toml"


def _newswire(tmp: Path, name: str, feeds: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "flows.cli", *args, "--db", str(tmp / f"{name}.duckdb"),
            "--feeds", str(feeds), "--data-dir", str(tmp / f"data-{name}")]


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {table: con.execute(f"{sql} ORDER BY ALL").fetchall()
                for table, sql in COMPARED.items()}


def _work_done_by(address: str) -> dict[str, tuple[int, bool]]:
    """Per worker of the cluster: tasks it ran, and whether newswire's model plugin is on it."""
    from distributed import Client

    def report(dask_worker) -> tuple[int, bool]:  # type: ignore[no-untyped-def]
        return (dask_worker.state.executed_count,
                any(name.startswith("newswire-entity-model") for name in dask_worker.plugins))

    with Client(address) as client:
        return client.run(report)


def _delete_core_rows(db: Path) -> None:
    with duckdb.connect(str(db)) as con:
        for table in ("fact_entity_mention", "fact_quote", "fact_feed_item", "fact_article",
                      "dim_entity"):
            con.execute(f"DELETE FROM core.{table}")


def test_a_dask_cluster_loads_what_the_local_runner_loads(
    cluster: str, site: tuple[SiteServer, Path], tmp_path: Path
) -> None:
    _, feeds = site
    env = _user_env(tmp_path)
    _run(_newswire(tmp_path, "local", feeds, "ingest"), env)
    _run(_newswire(tmp_path, "cluster", feeds, "ingest", "--dask-address", cluster), env)
    local, on_cluster = _snapshot(tmp_path / "local.duckdb"), _snapshot(tmp_path / "cluster.duckdb")
    assert len(local["core.fact_article"]) == ARTICLES
    assert len(local["core.fact_entity_mention"]) > 20 * ARTICLES
    with duckdb.connect(str(tmp_path / "local.duckdb"), read_only=True) as con:
        sizes = con.execute("SELECT count(*), count(bytes) FROM raw.fetch_log "
                            "WHERE kind = 'page'").fetchone()
    assert sizes == (ARTICLES, ARTICLES)  # every page's body size, whatever the run's size
    for table in COMPARED:
        assert on_cluster[table] == local[table], table
    work = _work_done_by(cluster)
    assert len(work) == 2 and all(executed > 0 and model_loaded
                                  for executed, model_loaded in work.values()), work

    backfill = ("backfill", "--start", "2000-01-01", "--end", "2099-12-31")
    for name, extra in (("local", ()), ("cluster", ("--dask-address", cluster))):
        _delete_core_rows(tmp_path / f"{name}.duckdb")
        _run(_newswire(tmp_path, name, feeds, *backfill, *extra), env)
    replayed_local = _snapshot(tmp_path / "local.duckdb")
    replayed_on_cluster = _snapshot(tmp_path / "cluster.duckdb")
    for table in COMPARED:
        assert replayed_on_cluster[table] == replayed_local[table], table
        assert replayed_local[table] == local[table], table
