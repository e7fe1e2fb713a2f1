"""`newswire search`: BM25-ranked articles with a snippet, from the search index file.

Read-only, and it reads the index only (warehouse/search_index.py), never the warehouse: a
search answers while a writer holds the warehouse. `newswire models` keeps the index current.
"""

from __future__ import annotations

import sys
from dataclasses import fields
from pathlib import Path
from typing import TextIO

from flows.exit_codes import ExitCode
from flows.query import print_rows
from flows.settings import Settings
from warehouse.location import WarehouseTarget, as_warehouse
from warehouse.search_index import (
    SearchHit,
    SearchIndexMissing,
    SearchQuery,
    SearchRejected,
    search,
)

# The contract's json keys, in SearchHit's order.
COLUMNS = tuple(f.name for f in fields(SearchHit))


def search_index_path(target: WarehouseTarget, data_dir: Path = Path("data")) -> Path:
    """The search index of the warehouse: beside its file, named after it
    (data/warehouse.duckdb -> data/warehouse.search.duckdb), or beside a lake's local catalog
    file; for a PostgreSQL catalog, which has no local file, in the data directory."""
    warehouse = as_warehouse(target)
    local = warehouse.local_file
    if local is not None:
        return local.with_name(f"{local.stem}.search.duckdb")
    return data_dir / f"{warehouse.name}.search.duckdb"


def run_search(settings: Settings, query: SearchQuery, output_format: str,
               out: TextIO | None = None, err: TextIO | None = None) -> int:
    """0 with the hits (none is a result, said on stderr); 2 without an index or for a query
    that cannot be run (the message says why)."""
    err = err or sys.stderr
    index_path = search_index_path(settings.warehouse, settings.data_dir)
    try:
        hits = search(index_path, query)
    except SearchIndexMissing:
        print(f"newswire: no search index for {settings.warehouse} (expected {index_path}): "
              "run `newswire models` to build it", file=err)
        return ExitCode.USAGE
    except SearchRejected as exc:
        print(f"newswire: search rejected: {exc}", file=err)
        return ExitCode.USAGE
    if not hits:
        print(f"newswire: no article matches {query.words!r} with these filters "
              "(common words such as 'the' are not indexed)", file=err)
    rows = [(h.article_id, h.url, h.title, h.published_at, round(h.score, 4), h.snippet)
            for h in hits]
    print_rows(COLUMNS, rows, output_format, out)
    return ExitCode.OK
