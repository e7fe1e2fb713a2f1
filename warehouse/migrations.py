"""Versioned schema migrations, applied in order when the warehouse is opened for writing.

Each file in warehouse/migrations/ named NNNN_description.sql is one version. Applied versions
are recorded in meta.schema_migrations, so each runs once, inside its own transaction.

A DuckLake has no PRIMARY KEY, UNIQUE or CHECK constraints, which the early migrations create
and rebuild tables for. A new lake is created by one baseline, warehouse/migrations/lake/
NNNN_*.sql, which stands for every version up to its own and is recorded as them; later
versions apply to both kinds, a lake taking migrations/lake/NNNN_*.sql where one exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable

import duckdb

_FILE = re.compile(r"(\d{4})_([a-z0-9_]+)\.sql")
# The lake baseline covers the file migrations up to this version.
LAKE_BASELINE = 10


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str
    covers: tuple[int, ...] = ()  # the versions it is recorded as (the lake baseline: 1..N)

    @property
    def versions(self) -> tuple[int, ...]:
        return self.covers or (self.version,)


def _read(folder: Traversable) -> dict[int, Migration]:
    found = {}
    for entry in folder.iterdir():
        match = _FILE.fullmatch(entry.name)
        if match:
            found[int(match[1])] = Migration(int(match[1]), match[2],
                                             entry.read_text(encoding="utf-8"))
    return found


def available_migrations(*, lake: bool = False) -> list[Migration]:
    folder = resources.files("warehouse").joinpath("migrations")
    found = _read(folder)
    if lake:
        own = _read(folder.joinpath("lake"))
        baseline = own.pop(LAKE_BASELINE)
        found = {v: m for v, m in found.items() if v > LAKE_BASELINE} | own
        found[LAKE_BASELINE] = Migration(baseline.version, baseline.name, baseline.sql,
                                         covers=tuple(range(1, LAKE_BASELINE + 1)))
    return sorted(found.values(), key=lambda m: m.version)


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database()"
        " AND table_schema = 'meta' AND table_name = 'schema_migrations'"
    ).fetchone()
    if not exists or not exists[0]:
        return set()
    return {row[0] for row in con.execute("SELECT version FROM meta.schema_migrations").fetchall()}


def pending_migrations(con: duckdb.DuckDBPyConnection, *, lake: bool = False) -> list[Migration]:
    done = applied_versions(con)
    return [m for m in available_migrations(lake=lake) if not set(m.versions) <= done]


def migrate(con: duckdb.DuckDBPyConnection, *, lake: bool = False) -> list[Migration]:
    """Apply every pending migration; returns those applied. Each is all-or-nothing."""
    con.execute("CREATE SCHEMA IF NOT EXISTS meta")
    # No PRIMARY KEY: a lake cannot have one; each version is recorded once by this function.
    con.execute(
        "CREATE TABLE IF NOT EXISTS meta.schema_migrations ("
        " version INTEGER NOT NULL, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    )
    applied = []
    for migration in pending_migrations(con, lake=lake):
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.sql)
            for version in migration.versions:
                con.execute(
                    "INSERT INTO meta.schema_migrations (version, name) VALUES (?, ?)",
                    [version, migration.name],
                )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        applied.append(migration)
    return applied
