"""`newswire demo`: serve the bundled sample site on loopback and ingest it.

The demo keeps its own warehouse and landing zone under <data-dir>/demo/ unless --db is given,
so sample articles never mix with a production warehouse. It prefers a fixed port, so the
sample URLs (and therefore article ids) stay the same from one demo run to the next.
"""

from __future__ import annotations

import sys
from dataclasses import replace

from prefect_dask import DaskTaskRunner

from flows.ingest import ingest
from flows.models import run_models
from flows.progress import current_progress
from flows.settings import Settings
from flows.site_server import SiteServer, demo_site_dir
from warehouse.connection import open_reader
from warehouse.location import Warehouse
from warehouse.queries import table_row_counts

PREFERRED_PORT = 8765
DEMO_FEEDS = (("demo-world", "/rss/worldrss.xml"), ("demo-china", "/rss/chinarss.xml"))


def _feeds_toml(base_url: str) -> str:
    entries = [f'[[feed]]\nname = "{name}"\nurl = "{base_url}{path}"\nprofile = "xinhua"\n'
               for name, path in DEMO_FEEDS]
    return "\n".join(entries)


def _server() -> SiteServer:
    probe = SiteServer(demo_site_dir(), port=PREFERRED_PORT)
    try:
        with probe.running():
            pass
        return probe
    except OSError:
        return SiteServer(demo_site_dir(), port=0)


def run_demo(settings: Settings, *, explicit_db: bool, runner: DaskTaskRunner) -> int:
    demo_dir = settings.data_dir / "demo"
    demo_settings = replace(
        settings, data_dir=demo_dir, feeds_path=demo_dir / "feeds.toml",
        warehouse=(settings.warehouse if explicit_db
                   else Warehouse(path=demo_dir / "warehouse.duckdb")))
    demo_dir.mkdir(parents=True, exist_ok=True)
    progress = current_progress()
    server = _server()
    with server.running():
        progress.note(f"serving the sample site at {server.base_url}")
        demo_settings.feeds_path.write_text(_feeds_toml(server.base_url), encoding="utf-8")
        summary = ingest.with_options(task_runner=runner)(settings=demo_settings)
    models_code = run_models(demo_settings)
    with open_reader(demo_settings.warehouse) as con:
        counts = table_row_counts(con)
    db = demo_settings.warehouse
    print(f"newswire demo: loaded {counts.get('core.fact_article', 0)} articles "
          f"({summary.counts.new} new in this run) into {db}", file=sys.stderr)
    for table, rows in counts.items():
        print(f"  {table:<28} {rows:>7} rows", file=sys.stderr)
    print(f"try: newswire query --db {db} "
          "\"SELECT published_at, dateline_place, title FROM core.fact_article "
          "ORDER BY published_at DESC\"", file=sys.stderr)
    print(f"     newswire report --db {db} --data-dir {demo_settings.data_dir} --days 3650",
          file=sys.stderr)
    return summary.exit_code if models_code == 0 else models_code
