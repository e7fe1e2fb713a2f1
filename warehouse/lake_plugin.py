"""The dbt-duckdb plugin of a lake build: every connection dbt opens gets the DuckDB
extensions from their packages (nothing is downloaded) and, for s3:// data, the S3 secret,
before dbt-duckdb attaches the lake (plugins configure a connection before its attachments);
every cursor then makes the lake its default catalog, since the project renders relations
without a catalog (macros/relations_without_catalog.sql) and dbt's own database is a
scratch file.

Named in warehouse/dbt/profiles.yml (target `lake`); the warehouse is read from NEWSWIRE_DB
and NEWSWIRE_LAKE_DATA, which the runner sets for the build.
"""

from __future__ import annotations

import os

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection

from warehouse.connection import lake_extensions
from warehouse.extensions import load_extensions
from warehouse.lake_storage import configure_lake_storage
from warehouse.location import LAKE_ALIAS, parse_warehouse


class Plugin(BasePlugin):
    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        # NEWSWIRE_LAKE_DATA is the lake's stored data path: the runner read it from the
        # catalog when it migrated the lake.
        warehouse = parse_warehouse(os.environ["NEWSWIRE_DB"],
                                    os.environ.get("NEWSWIRE_LAKE_DATA"))
        load_extensions(conn, *lake_extensions(warehouse))
        configure_lake_storage(conn, warehouse.lake_data or "", os.environ)

    def configure_cursor(self, cursor: DuckDBPyConnection) -> None:
        cursor.execute(f"USE {LAKE_ALIAS}")
