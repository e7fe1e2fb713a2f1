"""The `newswire` command line. Exit codes are flows/exit_codes.py's.

Flags, environment and feeds are resolved here, once, into typed values (Settings, feed names
checked against the feeds file, dates), which the flows take as they are. Commands that run a
flow need a Prefect API: the configured one, else a local server started here
(flows/prefect_server.py), which boots while the flow modules import.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from flows import __version__
from flows.exit_codes import ExitCode
from flows.settings import (
    ConfigError,
    Settings,
    apply_prefect_environment,
    backfill_window,
    check_spacy_model,
    load_feeds,
    parse_age,
    resolve_settings,
)

if TYPE_CHECKING:
    from flows.engine import LocalWorkers

def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _common(*, in_subcommand: bool) -> argparse.ArgumentParser:
    # Accepted before and after the subcommand; SUPPRESS keeps the subcommand's absent flag
    # from overwriting one given before it.
    common = argparse.ArgumentParser(
        add_help=False, argument_default=argparse.SUPPRESS if in_subcommand else None)
    common.add_argument("--db", metavar="PATH",
                        help="the warehouse: a DuckDB file, or a DuckLake 'ducklake:PATH', "
                             "'ducklake:sqlite:PATH' or 'ducklake:postgres:DSN' with its data "
                             "at NEWSWIRE_LAKE_DATA (env NEWSWIRE_DB; default "
                             "data/warehouse.duckdb)")
    common.add_argument("--feeds", metavar="PATH",
                        help="feeds file (env NEWSWIRE_FEEDS; default feeds.toml)")
    common.add_argument("--data-dir", metavar="PATH",
                        help="data directory, raw landing zone under it "
                             "(env NEWSWIRE_DATA_DIR; default data/)")
    return common


def _dask_address(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dask-address", metavar="URL", default=None,
                        help="run the work on the Dask cluster whose scheduler is at URL, "
                             "e.g. tcp://10.0.0.5:8786 (env NEWSWIRE_DASK_ADDRESS; default: "
                             "a local cluster of NEWSWIRE_WORKERS processes)")


def build_parser() -> argparse.ArgumentParser:
    common = _common(in_subcommand=True)
    parser = argparse.ArgumentParser(
        prog="newswire", parents=[_common(in_subcommand=False)],
        description="Ingest news-agency RSS feeds into a DuckDB warehouse of clean articles.")
    parser.add_argument("--version", action="version", version=f"newswire {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = commands.add_parser("ingest", parents=[common],
                                 help="fetch the feeds once and load new or changed articles")
    ingest.add_argument("--feed", action="append", metavar="NAME", dest="feed_names",
                        help="only this feed (repeatable); default every enabled feed")
    _dask_address(ingest)

    backfill = commands.add_parser(
        "backfill", parents=[common],
        help="re-process a date window from the raw landing zone or the sites' sitemaps, "
             "or load the articles kept in web archives (WARC/ARC)")
    backfill.add_argument("archives", nargs="*", metavar="PATH_OR_URL",
                          help="--source warc: WARC/ARC files (.warc, .warc.gz, .arc, "
                               ".arc.gz), directories of them, or http(s) URLs (streamed)")
    backfill.add_argument("--start", metavar="YYYY-MM-DD", type=_iso_date,
                          help="first day of the window (UTC, inclusive); required but for "
                               "warc")
    backfill.add_argument("--end", metavar="YYYY-MM-DD", type=_iso_date,
                          help="last day of the window (UTC, inclusive); required but for warc")
    backfill.add_argument("--source", choices=("raw", "sitemap", "warc"), default="raw",
                          help="raw: replay landed bodies with today's code (default); "
                               "sitemap: discover the window's articles from sitemaps; "
                               "warc: the HTML pages of the feeds' hosts in web archives "
                               "(captured or dated in the window, if given)")
    backfill.add_argument("--feed", action="append", metavar="NAME", dest="feed_names",
                          help="only this feed (repeatable)")
    backfill.add_argument("--all-hosts", action="store_true",
                          help="warc: every HTML page of the archives, read with the generic "
                               "profile where no feed's host matches")
    _dask_address(backfill)

    models = commands.add_parser("models", parents=[common],
                                 help="build and test the SQL models (dbt) into schema marts")
    models.add_argument("--full-refresh", action="store_true",
                        help="rebuild the incremental marts (entity_daily) from scratch")
    models.add_argument("--rebuild-stories", action="store_true",
                        help="first place every article in a story again, oldest first "
                             "(after a change of the matching rules; story ids may change)")

    query = commands.add_parser("query", parents=[common],
                                help="run a read-only SQL query against the warehouse")
    query.add_argument("sql", help="the SQL to run (read-only)")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")

    search = commands.add_parser(
        "search", parents=[common],
        help="BM25-ranked articles matching words, with a snippet (read-only; the index is "
             "built by `newswire models`)")
    search.add_argument("words", nargs="+", metavar="WORDS",
                        help="the words to look for (any of them; title matches count double)")
    search.add_argument("--since", metavar="YYYY-MM-DD", type=_iso_date, default=None,
                        help="only articles published on or after this day (UTC)")
    search.add_argument("--until", metavar="YYYY-MM-DD", type=_iso_date, default=None,
                        help="only articles published on or before this day (UTC)")
    search.add_argument("--feed", action="append", metavar="NAME", dest="feed_names",
                        default=None, help="only articles from this feed (repeatable: any)")
    search.add_argument("--entity", metavar="NAME", default=None,
                        help="only articles mentioning the entity of this name (any case)")
    search.add_argument("--limit", metavar="N", type=int, default=10,
                        help="at most N articles (default 10)")
    search.add_argument("--format", choices=("table", "csv", "json"), default="table")

    prune = commands.add_parser(
        "prune", parents=[common],
        help="remove raw landing files older than an age (warehouse rows are kept)")
    prune.add_argument("--raw-older-than", required=True, metavar="AGE",
                       help="e.g. 90d, 12h or 2w")

    serve = commands.add_parser(
        "serve", parents=[common],
        help="run the deployments of prefect.yaml on their schedules in this process")
    serve.add_argument("--prefect-file", metavar="PATH", default="prefect.yaml",
                       help="the deployments file (default prefect.yaml)")

    report = commands.add_parser(
        "report", parents=[common],
        help="write a self-contained HTML report with charts from the marts")
    report.add_argument("--out", metavar="PATH", type=Path, default=None,
                        help="the HTML file to write (default <data-dir>/report.html)")
    report.add_argument("--days", metavar="N", type=int, default=7,
                        help="window length: articles of the N days ending on the newest "
                             "article day, requests and runs of the last N days (default 7)")
    report.add_argument("--end", metavar="YYYY-MM-DD", type=_iso_date, default=None,
                        help="last article day of the window (default: the newest one)")

    export = commands.add_parser(
        "export", parents=[common],
        help="write the core tables and the marts as hive-partitioned Parquet into a "
             "directory, or the whole warehouse into one DuckDB file (replaced atomically "
             "on every run)")
    export.add_argument("--format", choices=("parquet", "duckdb"), default="parquet",
                        help="parquet: a directory, one folder per table; duckdb: one DuckDB "
                             "file, a copy of the warehouse (of a lake's current snapshot)")
    export.add_argument("--out", metavar="PATH", type=Path, required=True,
                        help="the directory (parquet: must not exist, be empty, or hold a "
                             "previous export) or file (duckdb: must not exist or be a "
                             "previous copy) to write")

    commands.add_parser("status", parents=[common],
                        help="print recent runs and per-feed health (read-only)")

    commands.add_parser("demo", parents=[common],
                        help="serve the bundled sample feeds on loopback and ingest them")
    return parser


def _run(args: argparse.Namespace) -> int:
    settings = resolve_settings(db=args.db, feeds=args.feeds, data_dir=args.data_dir,
                                dask_address=getattr(args, "dask_address", None))
    if args.command == "query":
        from flows.query import run_query

        return run_query(settings, args.sql, args.format)
    if args.command == "search":
        from flows.search import run_search
        from warehouse.search_index import SearchQuery

        return run_search(settings, SearchQuery(
            " ".join(args.words), since=args.since, until=args.until,
            feeds=tuple(args.feed_names or ()), entity=args.entity, limit=args.limit),
            args.format)
    if args.command == "report":
        from flows.report import run_report

        return run_report(settings, args.out, args.days, end=args.end)
    if args.command == "export":
        from flows.export import run_export

        return run_export(settings, args.format, args.out)
    if args.command == "status":
        from flows.status import print_status

        return print_status(settings)
    if args.command == "prune":
        from flows.prune import prune_raw

        prune_raw(settings, parse_age(args.raw_older_than))
        return ExitCode.OK
    if args.command == "serve":
        from flows.serve import serve

        return serve(settings, Path(args.prefect_file))
    return _run_flow(args, settings)


def _run_flow(args: argparse.Namespace, settings: Settings) -> int:
    """ingest, backfill, models, demo: check what can be checked before anything starts, then
    run the flow against Prefect's API and on the Dask cluster."""
    if args.command in ("ingest", "backfill"):
        load_feeds(settings, args.feed_names)
    if args.command == "backfill":
        from flows.archives import expand_archives

        backfill_window(args.source, args.start, args.end)
        if args.source == "warc":
            expand_archives(args.archives)
        elif args.archives or args.all_hosts:
            raise ConfigError(f"archives and --all-hosts are for --source warc, not "
                              f"--source {args.source}")
    if args.command != "models":
        check_spacy_model(settings.spacy_model)
    prefect_home = apply_prefect_environment(settings)
    from flows.prefect_server import prefect_api
    from flows.progress import progress_for, use_progress

    api = prefect_api(prefect_home, scheduler=False)
    local = None
    if args.command != "models" and not settings.dask_address:
        from flows.engine import LocalWorkers

        local = LocalWorkers(settings.workers, settings.spacy_model).start()
    try:
        run = _flow_call(args, settings)  # imports Prefect and the flows meanwhile
        api.wait()
        progress = progress_for(sys.stderr)
        use_progress(progress)
        try:
            return run(local)
        finally:
            progress.close()
    finally:
        if local is not None:
            local.close()


def _flow_call(args: argparse.Namespace, settings: Settings
               ) -> Callable[[LocalWorkers | None], int]:
    """The command's flow, imported now, as a call to make once Prefect's API is up."""
    from flows.engine import task_runner

    if args.command == "ingest":
        from flows.ingest import ingest

        return lambda local: ingest.with_options(task_runner=task_runner(settings, local))(
            feeds=args.feed_names, settings=settings).exit_code
    if args.command == "backfill":
        from flows.backfill import backfill

        return lambda local: backfill.with_options(task_runner=task_runner(settings, local))(
            start=args.start, end=args.end, source=args.source, feeds=args.feed_names,
            settings=settings, archives=args.archives, all_hosts=args.all_hosts).exit_code
    if args.command == "models":
        from flows.models import run_models

        return lambda _: run_models(settings, full_refresh=args.full_refresh,
                                    rebuild_story_ids=args.rebuild_stories)
    from flows.demo import run_demo

    return lambda local: run_demo(settings, explicit_db=args.db is not None,
                                  runner=task_runner(settings, local))


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage error (or --help, --version)
        return int(exc.code or 0)
    try:
        return int(_run(args))
    except ConfigError as exc:
        print(f"newswire: configuration error: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    except KeyboardInterrupt:
        print("newswire: interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except Exception as exc:
        print(f"newswire: {args.command} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return ExitCode.FAILURE


if __name__ == "__main__":
    sys.exit(main())
