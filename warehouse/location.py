"""Where the warehouse is: a DuckDB file, or a DuckLake (a catalog database plus Parquet data
files on a directory or S3-compatible storage).

`--db` (NEWSWIRE_DB) names either: a path is a DuckDB file; `ducklake:PATH` is a lake whose
catalog is a local DuckDB file (`ducklake:sqlite:PATH` a SQLite file) and
`ducklake:postgres:DSN` one whose catalog is a PostgreSQL database (DSN in libpq's
`key=value` form). A lake's data files are at NEWSWIRE_LAKE_DATA; once a lake exists its
catalog remembers them.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

CatalogKind = Literal["duckdb", "sqlite", "postgres"]

LAKE_PREFIX = "ducklake:"
# The name the lake is attached under; `USE lake` makes core.*, raw.*, marts.* resolve in it.
LAKE_ALIAS = "lake"


class LocationError(ValueError):
    """A --db value that names no usable warehouse."""


@dataclass(frozen=True, slots=True)
class Warehouse:
    """A DuckDB file (`path`) or a DuckLake (`catalog_kind` + `catalog`, `lake_data`)."""

    path: Path | None = None
    catalog_kind: CatalogKind | None = None
    catalog: str | None = None  # the catalog file's path, or the PostgreSQL DSN
    lake_data: str | None = None  # a directory or an s3:// URL; None: the one the catalog has

    @property
    def is_lake(self) -> bool:
        return self.catalog_kind is not None

    @property
    def local_file(self) -> Path | None:
        """The local file the warehouse lives in (the DuckDB file, or a lake's catalog file);
        its writer lock, run leases and search index sit beside it. None for a PostgreSQL
        catalog, which is shared by many machines."""
        if self.path is not None:
            return self.path
        if self.catalog_kind in ("duckdb", "sqlite"):
            return Path(str(self.catalog))
        return None

    @property
    def postgres_dsn(self) -> str | None:
        return self.catalog if self.catalog_kind == "postgres" else None

    @property
    def name(self) -> str:
        """A short name for per-warehouse files (dbt's artifacts, the search index)."""
        local = self.local_file
        if local is not None:
            return local.stem
        digest = hashlib.sha256(str(self.catalog).encode()).hexdigest()[:10]
        dbname = re.search(r"(?:^|\s)dbname=(\S+)", str(self.catalog))
        return f"lake-{dbname[1] if dbname else 'postgres'}-{digest}"

    def exists(self) -> bool:
        """Whether there is anything to read yet (a PostgreSQL catalog is assumed to be)."""
        local = self.local_file
        return local.is_file() if local is not None else True

    def attach_target(self) -> str:
        """The ATTACH path of a lake: 'ducklake:[sqlite:|postgres:]CATALOG'."""
        if not self.is_lake:
            raise LocationError(f"{self} is a DuckDB file, not a lake")
        kind = "" if self.catalog_kind == "duckdb" else f"{self.catalog_kind}:"
        return f"{LAKE_PREFIX}{kind}{self.catalog}"

    def resolved(self) -> Warehouse:
        """The same warehouse with local paths made absolute (for child processes and dbt,
        which run elsewhere)."""
        if self.path is not None:
            return Warehouse(path=self.path.expanduser().resolve())
        if self.catalog_kind in ("duckdb", "sqlite"):
            catalog = str(Path(str(self.catalog)).expanduser().resolve())
        else:
            catalog = self.catalog
        data = self.lake_data
        if data is not None and "://" not in data:
            data = str(Path(data).expanduser().resolve())
        return Warehouse(catalog_kind=self.catalog_kind, catalog=catalog, lake_data=data)

    @property
    def spec(self) -> str:
        """The --db value that names this warehouse (a DSN's password included: pass it to
        child processes, never print it; str() masks it)."""
        return str(self.path) if self.path is not None else self.attach_target()

    def __str__(self) -> str:
        # A DSN may carry a password: never print it.
        return re.sub(r"password=\S+", "password=***", self.spec)


WarehouseTarget = Warehouse | str | os.PathLike[str]


def parse_warehouse(text: str | os.PathLike[str], lake_data: str | None = None) -> Warehouse:
    """A --db value (and NEWSWIRE_LAKE_DATA) as a Warehouse."""
    raw = os.fspath(text).strip()
    if not raw:
        raise LocationError("--db is empty")
    if not raw.startswith(LAKE_PREFIX):
        return Warehouse(path=Path(raw).expanduser())
    rest = raw[len(LAKE_PREFIX):]
    kind: CatalogKind = "duckdb"
    for prefix in ("postgres:", "sqlite:", "duckdb:"):
        if rest.startswith(prefix):
            kind = prefix[:-1]  # type: ignore[assignment]
            rest = rest[len(prefix):]
            break
    if not rest.strip():
        raise LocationError(f"--db {raw!r} names no catalog: ducklake:PATH or "
                            "ducklake:postgres:DSN (e.g. 'dbname=lake host=db.internal')")
    data = (lake_data or "").strip() or None
    if data is not None and "://" in data and not data.startswith("s3://"):
        raise LocationError(f"NEWSWIRE_LAKE_DATA={data!r}: a directory or an s3:// URL")
    if data is not None and data.startswith("s3://") and not data.endswith("/"):
        data += "/"
    if kind != "postgres":
        rest = str(Path(rest).expanduser())
    return Warehouse(catalog_kind=kind, catalog=rest, lake_data=data)


def as_warehouse(target: WarehouseTarget) -> Warehouse:
    """A Warehouse from a Warehouse, or from a --db value (a path or 'ducklake:...')."""
    if isinstance(target, Warehouse):
        return target
    return parse_warehouse(target, os.environ.get("NEWSWIRE_LAKE_DATA"))
