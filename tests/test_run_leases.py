"""A run killed mid-way does not stay 'running' forever: the next run marks it 'crashed'."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from flows.storage import start_run
from transforms.records import EtlRun
from warehouse.run_leases import is_alive, lease_dir, run_lease

ROOT = Path(__file__).resolve().parents[1]

HOLD_A_LEASE = """
import sys, time
from pathlib import Path
from warehouse.run_leases import run_lease
with run_lease(Path(sys.argv[1]), sys.argv[2]):
    print("held", flush=True)
    time.sleep(600)
"""


def _run(run_id: str) -> EtlRun:
    return EtlRun(run_id, "ingest", datetime.now(UTC), None, "running")


def test_a_lease_is_alive_while_held_and_gone_after(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with run_lease(db, "r1"):
        assert is_alive(db, "r1")
    assert not is_alive(db, "r1")
    assert not (lease_dir(db) / "r1").exists()
    assert not is_alive(db, "never-started")


def test_a_killed_process_leaves_a_dead_lease(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_A_LEASE, str(db), "r2"], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert is_alive(db, "r2")
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        assert (lease_dir(db) / "r2").exists()  # the file stays; its lock died with the process
        assert not is_alive(db, "r2")
    finally:
        if holder.poll() is None:
            holder.kill()


def test_a_new_run_marks_dead_running_runs_crashed_and_spares_live_ones(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with run_lease(db, "dead"):
        assert start_run.fn(db, 10.0, _run("dead")) == []
    with run_lease(db, "live"):
        assert start_run.fn(db, 10.0, _run("live")) == ["dead"]
        with run_lease(db, "new"):
            assert start_run.fn(db, 10.0, _run("new")) == []
    with duckdb.connect(str(db), read_only=True) as con:
        rows = dict(con.execute("SELECT run_id, status FROM core.etl_run").fetchall())
    assert rows == {"dead": "crashed", "live": "running", "new": "running"}
