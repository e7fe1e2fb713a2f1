"""The DuckDB extensions come from their packages, never from the network."""

from __future__ import annotations

import duckdb
import pytest

from warehouse.extensions import KNOWN, ExtensionUnavailable, extension_file, load_extensions


@pytest.mark.parametrize("name", KNOWN)
def test_each_extension_loads_from_its_package(name: str) -> None:
    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    load_extensions(con, name)
    loaded = {r[0] for r in con.execute(
        "SELECT unnest(list_prepend(extension_name, aliases)) FROM duckdb_extensions()"
        " WHERE loaded").fetchall()}
    assert name in loaded
    load_extensions(con, name)  # a second load is a no-op


def test_the_lake_and_search_work_once_loaded(tmp_path) -> None:
    con = duckdb.connect()
    load_extensions(con, "ducklake", "fts")
    con.execute(f"ATTACH 'ducklake:{tmp_path / 'meta.ducklake'}' AS lake"
                f" (DATA_PATH '{tmp_path / 'data'}')")
    con.execute("CREATE TABLE lake.t AS SELECT 1 AS id, 'a ferry crossed' AS body")
    assert con.execute("SELECT count(*) FROM lake.t").fetchone() == (1,)
    con.execute("CREATE TABLE docs AS SELECT * FROM lake.t")
    con.execute("PRAGMA create_fts_index('docs', 'id', 'body')")
    hits = con.execute("SELECT id FROM docs WHERE fts_main_docs.match_bm25(id, 'ferry')"
                       " IS NOT NULL").fetchall()
    assert hits == [(1,)]


def test_a_missing_package_names_the_pip_command() -> None:
    with pytest.raises(ExtensionUnavailable, match=r"pip install 'duckdb-extension-spatial=="):
        extension_file("spatial")
