"""DuckDB extensions from their Python packages: nothing is downloaded.

DuckDB's `INSTALL name` fetches from extensions.duckdb.org, which a machine without internet
access cannot reach. The package registry carries each extension as a wheel
(`duckdb-extension-<name>`) holding the `.duckdb_extension` file built for one DuckDB
version. `INSTALL '<that file>'` copies it into DuckDB's extension directory under its
canonical name (postgres -> postgres_scanner), after which `LOAD name` and DuckDB's own
autoloading (ATTACH 'ducklake:postgres:...', s3:// paths, dbt's connections) find it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb

from warehouse.sql_text import sql_string

# ducklake: the lake catalog; fts: `newswire search`; httpfs: s3:// lake data;
# postgres and sqlite: the lake's catalog in PostgreSQL or SQLite.
KNOWN = ("ducklake", "fts", "httpfs", "postgres", "sqlite")


class ExtensionUnavailable(RuntimeError):
    """The extension's package is not installed for this DuckDB version."""


def extension_file(name: str) -> Path:
    """The `.duckdb_extension` file the `duckdb-extension-<name>` package ships for the
    DuckDB version in use."""
    package = f"duckdb_extension_{name}"
    version = f"v{duckdb.__version__}"
    install = f"pip install 'duckdb-extension-{name}=={duckdb.__version__}'"
    try:
        root = resources.files(package)
    except ModuleNotFoundError:
        raise ExtensionUnavailable(
            f"the DuckDB extension {name!r} is not installed: {install}") from None
    path = Path(str(root.joinpath("extensions", version, f"{name}.duckdb_extension")))
    if not path.is_file():
        raise ExtensionUnavailable(
            f"the package {package} has no {name} extension for DuckDB {version} "
            f"(expected {path}): {install}")
    return path


def load_extensions(con: duckdb.DuckDBPyConnection, *names: str) -> None:
    """Install `names` from their packages where DuckDB does not have them yet, and load
    them into `con`."""
    state = {row[0]: (row[1], row[2]) for row in con.execute(
        "SELECT e.name, d.installed, d.loaded FROM duckdb_extensions() d,"
        " unnest(list_prepend(d.extension_name, d.aliases)) AS e(name)").fetchall()}
    for name in names:
        installed, loaded = state.get(name, (False, False))
        if loaded:
            continue
        if not installed:
            con.execute(f"INSTALL {sql_string(str(extension_file(name)))}")
        con.execute(f"LOAD {name}")
