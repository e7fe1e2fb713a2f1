"""The writer lock and run leases of a lake whose catalog is PostgreSQL.

A lake's writers may run on different machines, so the file locks of writer_lock.py and
run_leases.py (beside a warehouse file) cannot see each other. Their PostgreSQL equivalent
is a session-level advisory lock in the catalog database, held on a dedicated connection:
the server drops it when that connection ends, including when the holding process is killed
(the kernel closes its socket) or its machine vanishes (TCP keepalives, set below, notice).

Keys use PostgreSQL's two-int form `pg_try_advisory_lock(classid, objid)`:
- the writer lock is (WRITER_CLASS, 0);
- the lease of a run is (RUN_LEASE_CLASS, run_key(run_id)).
Both class ids are the first four bytes of sha256 of a fixed name ('newswire.writer',
'newswire.run_lease') read as a signed int, so they cannot collide with each other and are
unlikely to collide with another application's advisory locks in the same database.

Session advisory locks do not survive a pooler in transaction mode (PgBouncer): the DSN must
reach PostgreSQL directly or through session pooling.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg

from warehouse.writer_lock import LockTimeout


def _key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big", signed=True)


WRITER_CLASS = _key("newswire.writer")
RUN_LEASE_CLASS = _key("newswire.run_lease")


def run_key(run_id: str) -> int:
    """The objid of `run_id`'s lease: 32 bits of its sha256."""
    return _key(run_id)


class RunLeaseTaken(RuntimeError):
    """Another live session already holds the lease of this run id (or of one that shares
    its 32-bit key)."""


def _connect(dsn: str, purpose: str) -> psycopg.Connection:
    # Autocommit: the lock belongs to the session, and no transaction stays open while it is
    # held. Keepalives: a holder whose machine disappears loses the lock within ~2 minutes
    # instead of the operating system's default of hours.
    con = psycopg.connect(dsn, autocommit=True, application_name=f"newswire {purpose}",
                          keepalives=1, keepalives_idle=30, keepalives_interval=10,
                          keepalives_count=3)
    # The server's own timeouts would end an idle lock-holding session and so free the lock.
    con.execute("SET idle_session_timeout = 0")
    con.execute("SET tcp_keepalives_idle = 30")
    con.execute("SET tcp_keepalives_interval = 10")
    con.execute("SET tcp_keepalives_count = 3")
    return con


def _try_lock(con: psycopg.Connection, classid: int, objid: int) -> bool:
    row = con.execute("SELECT pg_try_advisory_lock(%s::int, %s::int)", (classid, objid)
                      ).fetchone()
    return bool(row and row[0])


@contextmanager
def catalog_writer_lock(
    dsn: str,
    *,
    timeout_s: float = 600.0,
    on_wait: Callable[[str], None] | None = None,
    poll_s: float = 0.1,
) -> Iterator[None]:
    """Hold the exclusive writer lock of the lake whose catalog database is `dsn` (libpq
    key=value or URL) for the duration of the block; like writer_lock.writer_lock, wait up
    to `timeout_s`, tell `on_wait` once, then raise LockTimeout."""
    with _connect(dsn, "writer lock") as con:
        deadline = time.monotonic() + timeout_s
        told = False
        while not _try_lock(con, WRITER_CLASS, 0):
            if time.monotonic() >= deadline:
                raise LockTimeout(
                    f"the lake catalog {_describe(con)} is still locked by another writer"
                    f" after {timeout_s:g} s (advisory lock {WRITER_CLASS}, 0)")
            if not told and on_wait is not None:
                on_wait(f"waiting for the lake writer lock (catalog {_describe(con)})")
                told = True
            time.sleep(poll_s)
        yield  # closing the connection, on the way out of `with`, releases the lock


@contextmanager
def catalog_run_lease(dsn: str, run_id: str) -> Iterator[None]:
    """Hold the lease of `run_id` in the catalog database `dsn` for the duration of the
    block; RunLeaseTaken when another session holds it."""
    key = run_key(run_id)
    with _connect(dsn, f"run {run_id}") as con:
        if not _try_lock(con, RUN_LEASE_CLASS, key):
            raise RunLeaseTaken(f"the lease of run {run_id!r} (advisory lock"
                                f" {RUN_LEASE_CLASS}, {key}) is held by another session")
        yield  # released with the connection


def catalog_run_is_alive(dsn: str, run_id: str) -> bool:
    """True while some process, on any machine, holds the lease of `run_id`. Reads pg_locks
    rather than trying the lock, so a check never stands in a starting run's way."""
    with _connect(dsn, "run lease check") as con:
        row = con.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
            " AND granted AND objsubid = 2 AND classid = %s::bigint::oid"
            " AND objid = %s::bigint::oid"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))",
            (RUN_LEASE_CLASS & 0xFFFFFFFF, run_key(run_id) & 0xFFFFFFFF)).fetchone()
        return bool(row and row[0])


def _describe(con: psycopg.Connection) -> str:
    """host:port/dbname of a connection, without its password."""
    info = con.info
    return f"{info.host}:{info.port}/{info.dbname}"
