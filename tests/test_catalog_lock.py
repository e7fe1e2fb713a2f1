"""The writer lock and run leases of a lake whose catalog is PostgreSQL (a real server)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest

from tests.services import Postgres
from warehouse.catalog_lock import (
    RUN_LEASE_CLASS,
    WRITER_CLASS,
    RunLeaseTaken,
    catalog_run_is_alive,
    catalog_run_lease,
    catalog_writer_lock,
    run_key,
)
from warehouse.writer_lock import LockTimeout

ROOT = Path(__file__).resolve().parents[1]

WAIT_FOR_THE_LOCK = """
import sys
from warehouse.catalog_lock import catalog_writer_lock
with catalog_writer_lock(sys.argv[1], timeout_s=60, poll_s=0.05,
                         on_wait=lambda m: print("told:", m, flush=True)):
    print("got", flush=True)
"""

HOLD = """
import sys, time
from warehouse.catalog_lock import catalog_run_lease, catalog_writer_lock
lock = catalog_writer_lock(sys.argv[1]) if sys.argv[2] == "writer" else \
    catalog_run_lease(sys.argv[1], sys.argv[2])
with lock:
    print("held", flush=True)
    time.sleep(600)
"""


@pytest.fixture()
def catalog(postgres: Postgres) -> str:
    return postgres.fresh_database(f"locks_{uuid.uuid4().hex[:12]}")


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)


def test_a_second_writer_waits_then_gets_the_lock(catalog: str) -> None:
    with catalog_writer_lock(catalog, timeout_s=5):
        waiter = _python(WAIT_FOR_THE_LOCK, catalog)
        try:
            assert waiter.stdout is not None
            assert waiter.stdout.readline().startswith("told: waiting for the lake writer lock")
            time.sleep(0.5)
            assert waiter.poll() is None  # still waiting, nothing more said
        except BaseException:
            waiter.kill()
            raise
    out, _ = waiter.communicate(timeout=30)
    assert out == "got\n" and waiter.returncode == 0


def test_the_wait_ends_in_lock_timeout_after_telling_once(catalog: str) -> None:
    told: list[str] = []
    with catalog_writer_lock(catalog):
        started = time.monotonic()
        with pytest.raises(LockTimeout, match=r"still locked by another writer after 0\.5 s"), \
                catalog_writer_lock(catalog, timeout_s=0.5, on_wait=told.append, poll_s=0.05):
            pytest.fail("two holders of the writer lock")
        assert 0.5 <= time.monotonic() - started < 5
    assert len(told) == 1
    with catalog_writer_lock(catalog, timeout_s=0):  # released at the end of the block
        pass


def test_a_killed_holder_releases_the_writer_lock(catalog: str) -> None:
    holder = _python(HOLD, catalog, "writer")
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(LockTimeout), catalog_writer_lock(catalog, timeout_s=0.3):
            pass
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        started = time.monotonic()
        with catalog_writer_lock(catalog, timeout_s=30):
            waited = time.monotonic() - started
        assert waited < 10
    finally:
        if holder.poll() is None:
            holder.kill()


def test_a_lease_is_alive_while_held_and_dead_after(catalog: str) -> None:
    assert not catalog_run_is_alive(catalog, "r1")
    with catalog_run_lease(catalog, "r1"):
        assert catalog_run_is_alive(catalog, "r1")
        assert not catalog_run_is_alive(catalog, "r2")
        with pytest.raises(RunLeaseTaken, match="'r1'"), catalog_run_lease(catalog, "r1"):
            pass
        assert catalog_run_is_alive(catalog, "r1")  # the refused second holder took nothing
    assert not catalog_run_is_alive(catalog, "r1")


def test_leases_and_the_writer_lock_do_not_collide(catalog: str) -> None:
    with catalog_writer_lock(catalog):
        assert not catalog_run_is_alive(catalog, "r1")
        with catalog_run_lease(catalog, "r1"):
            assert catalog_run_is_alive(catalog, "r1")
    with catalog_run_lease(catalog, "r2"), catalog_writer_lock(catalog, timeout_s=0):
        pass


def test_the_locks_are_the_documented_advisory_keys(catalog: str) -> None:
    """Operators find the holders in pg_locks by these keys (two-int form: objsubid 2)."""
    with catalog_writer_lock(catalog), catalog_run_lease(catalog, "r1"), \
            psycopg.connect(catalog) as con:
        held = set(con.execute(
            "SELECT classid::bigint, objid::bigint FROM pg_locks WHERE locktype = 'advisory'"
            " AND objsubid = 2 AND granted").fetchall())
    assert WRITER_CLASS != RUN_LEASE_CLASS
    assert held == {(WRITER_CLASS & 0xFFFFFFFF, 0),
                    (RUN_LEASE_CLASS & 0xFFFFFFFF, run_key("r1") & 0xFFFFFFFF)}


def test_a_killed_run_leaves_a_dead_lease(catalog: str, postgres: Postgres) -> None:
    holder = _python(HOLD, catalog, "run-7")
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert catalog_run_is_alive(catalog, "run-7")
        # Leases are per catalog database: the same run id elsewhere is a different run.
        other = postgres.fresh_database(f"locks_{uuid.uuid4().hex[:12]}")
        assert not catalog_run_is_alive(other, "run-7")
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        deadline = time.monotonic() + 10
        while catalog_run_is_alive(catalog, "run-7"):  # the server notices the closed socket
            assert time.monotonic() < deadline, "the dead run's lease stayed alive"
            time.sleep(0.05)
    finally:
        if holder.poll() is None:
            holder.kill()
