"""One site ingested into a DuckDB file and into two DuckLakes: are core and marts the same?

    python benchmarks/lake_equivalence.py                        # the bundled sample site
    python benchmarks/lake_equivalence.py --site DIR --feeds F   # another site, served here
    python benchmarks/lake_equivalence.py --serve-command 'python serve.py SITE
        --port-file {port_file}' --feeds F                        # served by a command
    python benchmarks/lake_equivalence.py --base-url URL --feeds F   # already served

The site is ingested, then modelled (`newswire ingest`, `newswire models`), into a DuckDB
file, a lake with a local DuckDB catalog and its data in a directory, and a lake with a
PostgreSQL catalog and its data on S3 (a throwaway PostgreSQL and moto S3 on loopback, from
tests/services.py). Each lake is then compared with the file, table by table, as
benchmarks/warehouse_diff.py does (run-time columns left out). The feeds file may hold
`{{BASE}}` where the site's base URL goes. Exit 0 when both lakes equal the file.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from unittest.mock import patch

ROOT = Path(__file__).resolve().parents[1]
BASELINE_QUERY = "SELECT count(*) FROM core.fact_article"
BASELINE_ROUNDS = 3
sys.path.insert(0, str(ROOT))

from benchmarks.warehouse_diff import comparable_columns, diff, digest  # noqa: E402
from flows.exit_codes import ExitCode  # noqa: E402
from flows.site_server import SiteServer, demo_site_dir  # noqa: E402
from warehouse.connection import open_reader  # noqa: E402

BASE_PLACEHOLDER = "{{BASE}}"
# The bundled sample site's two feeds (as tests/sample_site.py writes them).
SAMPLE_FEEDS = (f'[[feed]]\nname = "world"\nurl = "{BASE_PLACEHOLDER}/rss/worldrss.xml"\n'
                f'profile = "xinhua"\n\n[[feed]]\nname = "china"\n'
                f'url = "{BASE_PLACEHOLDER}/rss/chinarss.xml"\nprofile = "xinhua"\n')


@contextlib.contextmanager
def served(opts: argparse.Namespace, work: Path) -> Iterator[str]:
    """The base URL of the site for the length of the block."""
    if opts.base_url:
        yield opts.base_url.rstrip("/")
        return
    if opts.serve_command:
        port_file = work / "site.port"
        command = shlex.split(opts.serve_command.replace("{port_file}", str(port_file)))
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 30
            while not (port_file.is_file() and port_file.read_text().strip()):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the serve command wrote no port to {port_file}")
                time.sleep(0.1)
            yield f"http://127.0.0.1:{port_file.read_text().strip()}"
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        return
    server = SiteServer(Path(opts.site) if opts.site else demo_site_dir())
    with server.running():
        yield server.base_url


def load(db: str, env: dict[str, str], feeds: Path, data_dir: Path) -> tuple[float, list[int]]:
    """Ingest, then build the models, into `db`; the wall time of both and their exit codes
    (a partial ingest, some pages failed and recorded, is a run to compare too)."""
    started = time.monotonic()
    codes = []
    for command in ("ingest", "models"):
        args = [sys.executable, "-m", "flows.cli", command, "--db", db]
        if command == "ingest":
            args += ["--feeds", str(feeds), "--data-dir", str(data_dir)]
        done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode not in (ExitCode.OK, ExitCode.PARTIAL):
            raise SystemExit(f"newswire {command} --db {db} failed ({done.returncode}):\n"
                             f"{done.stderr[-3000:]}")
        codes.append(done.returncode)
    return time.monotonic() - started, codes


def query_seconds(db: str, env: dict[str, str]) -> float:
    """The wall time of one `newswire query` process (its start and extensions included)."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "flows.cli", "query", BASELINE_QUERY, "--db", db],
                   cwd=ROOT, env=env, capture_output=True, check=True)
    return time.monotonic() - started


def compare(file_db: str, lake_db: str, lake_env: dict[str, str]) -> tuple[
        dict[str, tuple[int, int, bool]], list[str]]:
    """Per table: (rows in the file, rows in the lake, equal); and the differences."""
    with patch.dict(os.environ, lake_env), open_reader(file_db) as a, open_reader(lake_db) as b:
        _, problems = diff(a, b)
        tables_a, tables_b = comparable_columns(a), comparable_columns(b)
        per_table = {}
        for name in sorted(set(tables_a) | set(tables_b)):
            da = digest(a, name, tables_a[name]) if name in tables_a else None
            db = digest(b, name, tables_b[name]) if name in tables_b else None
            equal = (da is not None and db is not None and da.columns == db.columns
                     and (da.rows, da.checksum) == (db.rows, db.checksum))
            per_table[name] = (da.rows if da else -1, db.rows if db else -1, equal)
    return per_table, problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--site", help="a site directory to serve here (default: the sample)")
    where.add_argument("--serve-command",
                       help="a command that serves the site and writes its port to "
                            "{port_file}")
    where.add_argument("--base-url", help="the base URL of a site served already")
    parser.add_argument("--feeds", help="feeds.toml; {{BASE}} becomes the base URL "
                                        "(default: the sample site's two feeds)")
    parser.add_argument("--work", help="keep the warehouses in this directory "
                                       "(default: a new temporary one)")
    opts = parser.parse_args()
    if (opts.serve_command or opts.base_url or opts.site) and not opts.feeds:
        parser.error("--feeds is needed with --site, --serve-command or --base-url")
    work = Path(opts.work) if opts.work else Path(tempfile.mkdtemp(prefix="newswire-lakeq-"))
    work.mkdir(parents=True, exist_ok=True)
    template = Path(opts.feeds).read_text(encoding="utf-8") if opts.feeds else SAMPLE_FEEDS
    # The services need psycopg, boto3 and moto; imported here, after the arguments.
    from tests.services import postgres_server, s3_server

    base = {**os.environ, "NEWSWIRE_POLITENESS_DELAY": "0"}
    with served(opts, work) as base_url, postgres_server() as postgres, s3_server() as s3:
        feeds = work / "feeds.toml"
        feeds.write_text(template.replace(BASE_PLACEHOLDER, base_url), encoding="utf-8")
        warehouses = {
            "file": (str(work / "file.duckdb"), {}),
            "duckdb lake": (f"ducklake:{work / 'catalog.ducklake'}",
                            {"NEWSWIRE_LAKE_DATA": str(work / "lake-data")}),
            "postgres lake": (f"ducklake:postgres:{postgres.fresh_database('equivalence')}",
                              {"NEWSWIRE_LAKE_DATA": f"s3://{s3.bucket}/equivalence/",
                               **s3.aws_env()}),
        }
        for name, (db, extra) in warehouses.items():
            seconds, codes = load(db, {**base, **extra}, feeds,
                                  work / f"data-{name.split()[0]}")
            print(f"{name}: ingest + models {seconds:.1f} s, exit codes {codes}")
        # Idle query cost per warehouse, the rounds interleaved so that a change in the
        # machine's load falls on all three alike.
        walls: dict[str, list[float]] = {name: [] for name in warehouses}
        for _ in range(BASELINE_ROUNDS):
            for name, (db, extra) in warehouses.items():
                walls[name].append(query_seconds(db, {**base, **extra}))
        for name, seconds in walls.items():
            print(f"{name}: idle `newswire query` median {statistics.median(seconds):.2f} s "
                  f"({', '.join(f'{s:.2f}' for s in seconds)})")
        file_db = warehouses["file"][0]
        results = {name: compare(file_db, db, extra)
                   for name, (db, extra) in warehouses.items() if name != "file"}
    lakes = list(results)
    print(f"\n{'table':<34} {'file rows':>9}  " + "  ".join(f"{n:>22}" for n in lakes))
    for table in sorted({t for per_table, _ in results.values() for t in per_table}):
        cells, file_rows = [], -1
        for lake in lakes:
            rows_a, rows_b, equal = results[lake][0].get(table, (-1, -1, False))
            file_rows = max(file_rows, rows_a)
            cells.append(f"{rows_b:>8} rows {'equal' if equal else 'DIFFERS':>8}")
        print(f"{table:<34} {file_rows:>9}  " + "  ".join(f"{c:>22}" for c in cells))
    for lake in lakes:
        problems = results[lake][1]
        for problem in problems:
            print(f"{lake} DIFFERS {problem}", file=sys.stderr)
        print(f"{lake}: {len(results[lake][0])} tables, {len(problems)} differences from "
              f"the file")
    print(f"warehouses kept in {work}")
    return 1 if any(problems for _, problems in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
