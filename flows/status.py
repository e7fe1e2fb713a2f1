"""`newswire status`: recent runs and feed health on the terminal (rich tables). Read-only,
no Prefect, well under a second."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import TextIO

from flows.exit_codes import ExitCode
from flows.settings import Settings
from warehouse.connection import WarehouseUnavailable
from warehouse.report_data import load_status_data

DEFAULT_DAYS = 7
DEFAULT_RUNS = 10


def _configured_feeds(settings: Settings) -> list[tuple[str, str]] | None:
    """(name, url) of every feed in the feeds file, disabled ones included; None when the
    file is missing or invalid (status still shows what the warehouse knows)."""
    from transforms.feeds_config import FeedsConfigError, parse_feeds_config

    try:
        feeds = parse_feeds_config(settings.feeds_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, FeedsConfigError):
        return None
    return [(f.name, f.url) for f in feeds]


def print_status(settings: Settings, out: TextIO | None = None, *, days: int = DEFAULT_DAYS,
                 runs: int = DEFAULT_RUNS, now: datetime | None = None) -> int:
    """Print the summary to `out` (stdout by default). 0 printed, 1 no warehouse."""
    from dataclasses import replace

    from rich.console import Console

    from transforms.report.status import merge_configured, status_renderables

    out = out or sys.stdout
    try:
        data = load_status_data(settings.warehouse, now=now or datetime.now(UTC), days=days,
                                runs=runs, timeout_s=settings.lock_timeout_s)
    except WarehouseUnavailable as exc:
        print(f"newswire: {exc}", file=sys.stderr)
        return ExitCode.FAILURE
    data = replace(data, feeds=tuple(merge_configured(data.feeds, _configured_feeds(settings))))
    console = Console(file=out, width=None if out.isatty() else 250, soft_wrap=False)
    for part in status_renderables(data, days=days, warehouse=str(settings.warehouse)):
        console.print(part)
    return ExitCode.OK
