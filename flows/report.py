"""`newswire report`: read the marts (nothing else: `newswire models` builds them), render one
self-contained HTML file, write it atomically.

No Prefect: a report is one read-only query pass and a render (well under 5 s). The charts'
JavaScript (Vega, Vega-Lite, vega-embed) comes from vl-convert-python, which ships it; bundling
it takes ~2 s, so the bundle is cached under <data-dir>/cache/ keyed by the vl-convert and
Vega-Lite versions.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from flows.exit_codes import ExitCode
from flows.settings import Settings
from warehouse.connection import WarehouseUnavailable
from warehouse.report_data import load_report_data

DEFAULT_DAYS = 7
REPORT_NAME = "report.html"
_BUNDLE_MARK = "window.vegaEmbed"


def default_report_path(settings: Settings) -> Path:
    return settings.data_dir / REPORT_NAME


def _vega_lite_version() -> str:
    import altair

    return ".".join(altair.SCHEMA_VERSION.lstrip("v").split(".")[:2])  # 'v6.4.1' -> '6.4'


def vega_javascript(cache_dir: Path | None) -> str:
    """vega + vega-lite + vega-embed as one script that sets window.vegaEmbed, for the
    Vega-Lite version altair writes. Cached in `cache_dir` (None: no cache)."""
    import vl_convert

    vl_version = _vega_lite_version()
    cache = (cache_dir / f"vega-embed-vlc{vl_convert.__version__}-vl{vl_version}.js"
             if cache_dir is not None else None)
    if cache is not None:
        try:
            text = cache.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        if _BUNDLE_MARK in text:
            return text
    try:
        text = vl_convert.javascript_bundle(vl_version=vl_version)
    except ValueError:  # a Vega-Lite version this vl-convert does not know: its newest
        text = vl_convert.javascript_bundle()
    if cache is not None:
        # A read-only data dir only costs the next report the bundling again.
        with contextlib.suppress(OSError):
            _write_atomically(cache, text)
    return text


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(settings: Settings, out: Path, days: int = DEFAULT_DAYS, *,
                 end: date | None = None, now: datetime | None = None) -> Path:
    """Build the report for the `days`-day window and write it to `out` (atomically: a
    reader never sees half a file). Returns `out`. Raises WarehouseUnavailable when there is
    no warehouse file, ValueError for days < 1."""
    from transforms.report.html import render_report

    if days < 1:
        raise ValueError(f"--days must be at least 1, got {days}")
    data = load_report_data(
        settings.warehouse, days=days, now=now or datetime.now(UTC), end=end,
        timeout_s=settings.lock_timeout_s,
        on_wait=lambda message: print(f"newswire: {message}", file=sys.stderr))
    if data.missing_marts:  # the report says so too, in a banner
        print("newswire: the marts are not built (or were built by an older newswire): run "
              "`newswire models` first, then the report again", file=sys.stderr)
    document = render_report(data, vega_js=vega_javascript(settings.data_dir / "cache"))
    _write_atomically(out, document)
    return out


def run_report(settings: Settings, out: Path | None = None, days: int = DEFAULT_DAYS, *,
               end: date | None = None) -> int:
    """The CLI command: 0 written, 1 no warehouse, 2 bad --days."""
    if days < 1:
        print(f"newswire: --days must be at least 1, got {days}", file=sys.stderr)
        return ExitCode.USAGE
    target = out or default_report_path(settings)
    started = time.monotonic()
    try:
        write_report(settings, target, days, end=end)
    except WarehouseUnavailable as exc:
        print(f"newswire: {exc}", file=sys.stderr)
        return ExitCode.FAILURE
    size = target.stat().st_size
    print(f"newswire: report written to {target} ({size / 1024:.0f} KiB, "
          f"{time.monotonic() - started:.1f} s)", file=sys.stderr)
    return ExitCode.OK
