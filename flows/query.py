"""`newswire query`: read-only SQL, printed as a table, CSV or JSON on stdout."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from flows.exit_codes import ExitCode
from flows.settings import Settings
from warehouse.connection import QueryRejected, WarehouseUnavailable, run_readonly_query


def _print_table(columns: Sequence[str], rows: Sequence[tuple[object, ...]], out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns, show_lines=False, highlight=False)
    for row in rows:
        table.add_row(*("NULL" if v is None else str(v) for v in row))
    Console(file=out, width=None if out.isatty() else 200, soft_wrap=False).print(table)
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", file=sys.stderr)


def _print_csv(columns: Sequence[str], rows: Sequence[tuple[object, ...]], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)


def _print_json(columns: Sequence[str], rows: Sequence[tuple[object, ...]], out: TextIO) -> None:
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    json.dump(records, out, default=str, ensure_ascii=False, indent=1)
    out.write("\n")


_FORMATS = {"table": _print_table, "csv": _print_csv, "json": _print_json}
FORMATS = tuple(_FORMATS)


def print_rows(columns: Sequence[str], rows: Sequence[tuple[object, ...]], output_format: str,
               out: TextIO | None = None) -> None:
    """Rows as a table (row count on stderr), CSV with a header, or a JSON array of objects."""
    _FORMATS[output_format](columns, rows, out or sys.stdout)


def run_query(settings: Settings, sql: str, output_format: str, out: TextIO | None = None) -> int:
    def waiting(message: str) -> None:
        print(f"newswire: {message}", file=sys.stderr)

    try:
        columns, rows = run_readonly_query(settings.warehouse, sql,
                                           timeout_s=settings.reader_wait_s, on_wait=waiting)
    except QueryRejected as exc:
        print(f"newswire: query rejected: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    except WarehouseUnavailable as exc:
        print(f"newswire: {exc}", file=sys.stderr)
        return ExitCode.FAILURE
    print_rows(columns, rows, output_format, out)
    return ExitCode.OK
