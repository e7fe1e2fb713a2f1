"""The `newswire` command line. Exit codes: 0 ok, 3 partial, 2 bad usage/config, 1 other."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from flows import __version__
from flows.settings import (
    ConfigError,
    Settings,
    apply_prefect_environment,
    load_feeds,
    parse_age,
    parse_window,
    resolve_settings,
)

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


def _common(*, in_subcommand: bool) -> argparse.ArgumentParser:
    # Accepted before and after the subcommand; SUPPRESS keeps the subcommand's absent flag
    # from overwriting one given before it.
    common = argparse.ArgumentParser(
        add_help=False, argument_default=argparse.SUPPRESS if in_subcommand else None)
    common.add_argument("--db", metavar="PATH",
                        help="warehouse file (env NEWSWIRE_DB; default data/warehouse.duckdb)")
    common.add_argument("--feeds", metavar="PATH",
                        help="feeds file (env NEWSWIRE_FEEDS; default feeds.toml)")
    common.add_argument("--data-dir", metavar="PATH",
                        help="data directory, raw landing zone under it "
                             "(env NEWSWIRE_DATA_DIR; default data/)")
    return common


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

    backfill = commands.add_parser(
        "backfill", parents=[common],
        help="re-process a date window from the raw landing zone or the sites' sitemaps")
    backfill.add_argument("--start", required=True, metavar="YYYY-MM-DD",
                          help="first day of the window (UTC, inclusive)")
    backfill.add_argument("--end", required=True, metavar="YYYY-MM-DD",
                          help="last day of the window (UTC, inclusive)")
    backfill.add_argument("--source", choices=("raw", "sitemap"), default="raw",
                          help="raw: replay landed bodies with today's code (default); "
                               "sitemap: discover the window's articles from sitemaps")
    backfill.add_argument("--feed", action="append", metavar="NAME", dest="feed_names",
                          help="only this feed (repeatable)")

    models = commands.add_parser("models", parents=[common],
                                 help="build and test the SQL models (dbt) into schema marts")
    models.add_argument("--full-refresh", action="store_true",
                        help="rebuild the incremental marts (entity_daily) from scratch")

    query = commands.add_parser("query", parents=[common],
                                help="run a read-only SQL query against the warehouse")
    query.add_argument("sql", help="the SQL to run (read-only)")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")

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
    report.add_argument("--end", metavar="YYYY-MM-DD", type=date.fromisoformat, default=None,
                        help="last article day of the window (default: the newest one)")

    commands.add_parser("status", parents=[common],
                        help="print recent runs and per-feed health (read-only)")

    commands.add_parser("demo", parents=[common],
                        help="serve the bundled sample feeds on loopback and ingest them")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    return resolve_settings(db=args.db, feeds=args.feeds, data_dir=args.data_dir)


def _run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.command == "query":
        from flows.query import run_query

        return run_query(settings, args.sql, args.format)
    if args.command == "report":
        from flows.report import run_report

        return run_report(settings, args.out, args.days, end=args.end)
    if args.command == "status":
        from flows.status import print_status

        return print_status(settings)

    from flows.progress import progress_for, use_progress

    if args.command in ("ingest", "backfill"):
        load_feeds(settings, args.feed_names)  # config errors surface before anything starts
    if args.command == "serve":
        return _serve(settings, Path(args.prefect_file))
    if args.command == "prune":
        from flows.prune import prune_raw

        prune_raw(settings, parse_age(args.raw_older_than))
        return EXIT_OK
    if args.command == "backfill":
        parse_window(args.start, args.end)
    apply_prefect_environment(settings)
    from flows.prefect_runtime import start_local_api

    local_api = start_local_api()  # comes up while the flow modules below are imported
    if args.command in ("ingest", "backfill"):
        from flows.worker_pool import start_worker_server

        start_worker_server(settings.spacy_model)  # the model loads meanwhile, too
    progress = progress_for(sys.stderr)
    use_progress(progress)
    try:
        if args.command == "ingest":
            from flows.ingest import ingest

            local_api.wait()
            summary = ingest(feeds=args.feed_names, db=str(settings.db_path),
                             feeds_file=str(settings.feeds_path), data_dir=str(settings.data_dir))
            return summary.exit_code
        if args.command == "models":
            from flows.models import run_models

            local_api.wait()
            return run_models(settings, full_refresh=args.full_refresh)
        if args.command == "backfill":
            from flows.backfill import backfill

            local_api.wait()
            summary = backfill(start=args.start, end=args.end, source=args.source,
                               feeds=args.feed_names, db=str(settings.db_path),
                               feeds_file=str(settings.feeds_path),
                               data_dir=str(settings.data_dir))
            return summary.exit_code
        from flows.demo import run_demo

        local_api.wait()
        return run_demo(settings, explicit_db=args.db is not None)
    finally:
        progress.close()


def _serve(settings: Settings, prefect_file: Path) -> int:
    feeds = load_feeds(settings)
    apply_prefect_environment(settings)
    from flows.prefect_runtime import start_local_api

    local_api = start_local_api()
    # Deployments pass no paths: the flows resolve them from these, as the CLI flags gave them.
    os.environ.update({"NEWSWIRE_DB": str(settings.db_path.resolve()),
                       "NEWSWIRE_FEEDS": str(settings.feeds_path.resolve()),
                       "NEWSWIRE_DATA_DIR": str(settings.data_dir.resolve())})
    from flows.deployments import build_deployments, read_prefect_yaml, serve

    deployments = build_deployments(read_prefect_yaml(prefect_file), feeds)
    local_api.wait()
    print(f"newswire: serving the deployments of {prefect_file}; Ctrl-C stops", file=sys.stderr)
    serve(deployments)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except ConfigError as exc:
        print(f"newswire: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("newswire: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        print(f"newswire: {args.command} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
