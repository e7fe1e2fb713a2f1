"""Whether two warehouses hold the same data: every table of core and marts, row for row.

    python benchmarks/warehouse_diff.py DB_A DB_B      # each a path or 'ducklake:...'

Two ingests of the same pages run at different times, so the columns that record when a
run happened (run ids, fetch and load times, durations) are left out; every other column of
every table is compared as a multiset of rows (a row count and an order-independent
checksum per table, then the differing rows themselves). Exit 0 when equal, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from warehouse.connection import open_reader  # noqa: E402

SCHEMAS = ("core", "marts")
# When a run happened, not what it loaded.
VOLATILE = frozenset({
    "run_id", "first_seen_at", "last_seen_at", "seen_at", "fetched_at", "started_at",
    "finished_at", "run_day", "duration_s", "last_loaded_at", "built_at", "last_request_at",
    "last_success_at", "last_error_at", "last_problem_at",
})


@dataclass(frozen=True, slots=True)
class TableDigest:
    name: str
    columns: tuple[str, ...]
    rows: int
    checksum: int


def comparable_columns(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, ...]]:
    """'schema.table' -> its columns minus VOLATILE, for the base tables of SCHEMAS."""
    found = con.execute(
        "SELECT c.table_schema || '.' || c.table_name, list(c.column_name ORDER BY"
        " c.ordinal_position) FROM information_schema.columns c"
        " JOIN information_schema.tables t USING (table_catalog, table_schema, table_name)"
        " WHERE c.table_catalog = current_database() AND t.table_type = 'BASE TABLE'"
        " AND c.table_schema IN ('core', 'marts') GROUP BY ALL").fetchall()
    return {name: tuple(c for c in cols if c not in VOLATILE) for name, cols in found}


def _quoted(columns: tuple[str, ...]) -> str:
    return ", ".join('"' + c.replace('"', '""') + '"' for c in columns)


def digest(con: duckdb.DuckDBPyConnection, name: str, columns: tuple[str, ...]) -> TableDigest:
    rows, checksum = con.execute(
        f"SELECT count(*), coalesce(sum(hash(struct_pack({_quoted(columns)})))::HUGEINT, 0)"
        f" FROM {name}").fetchone()  # type: ignore[misc]
    return TableDigest(name, columns, int(rows), int(checksum))


def sorted_rows(con: duckdb.DuckDBPyConnection, name: str,
                columns: tuple[str, ...]) -> list[tuple]:
    return con.execute(f"SELECT {_quoted(columns)} FROM {name} ORDER BY ALL").fetchall()


def diff(a: duckdb.DuckDBPyConnection, b: duckdb.DuckDBPyConnection,
         *, show_rows: int = 3) -> tuple[list[TableDigest], list[str]]:
    """The digests of `a`'s tables, and every difference from `b` (empty: equal)."""
    tables_a, tables_b = comparable_columns(a), comparable_columns(b)
    problems = [f"{t}: only in the first" for t in sorted(set(tables_a) - set(tables_b))]
    problems += [f"{t}: only in the second" for t in sorted(set(tables_b) - set(tables_a))]
    digests = []
    for name in sorted(set(tables_a) & set(tables_b)):
        if tables_a[name] != tables_b[name]:
            problems.append(f"{name}: columns differ {tables_a[name]} / {tables_b[name]}")
            continue
        da, db = digest(a, name, tables_a[name]), digest(b, name, tables_a[name])
        digests.append(da)
        if (da.rows, da.checksum) == (db.rows, db.checksum):
            continue
        rows_a, rows_b = sorted_rows(a, name, da.columns), sorted_rows(b, name, da.columns)
        only_a = [r for r in rows_a if r not in rows_b][:show_rows]
        only_b = [r for r in rows_b if r not in rows_a][:show_rows]
        problems.append(f"{name}: {da.rows} rows / {db.rows} rows; only in the first: "
                        f"{only_a}; only in the second: {only_b}")
    return digests, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("first")
    parser.add_argument("second")
    args = parser.parse_args(argv)
    with open_reader(args.first) as a, open_reader(args.second) as b:
        digests, problems = diff(a, b)
    for d in digests:
        print(f"{d.name:<32} {d.rows:>8} rows  checksum {d.checksum}")
    for p in problems:
        print(f"DIFFERS {p}", file=sys.stderr)
    print(f"{len(digests)} tables compared, {len(problems)} differences", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
