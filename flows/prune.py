"""`newswire prune`: keep the raw landing zone bounded. Warehouse rows are never touched."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from flows.settings import Settings
from warehouse.landing import LandingZone, PruneResult


def prune_raw(settings: Settings, older_than: timedelta) -> PruneResult:
    cutoff = datetime.now(UTC) - older_than
    result = LandingZone(settings.raw_dir).prune(cutoff)
    span = f"{result.days[0]}..{result.days[-1]}" if result.days else "none"
    print(f"newswire: pruned {result.files} raw files ({result.bytes / 1e6:.1f} MB) fetched "
          f"before {cutoff:%Y-%m-%d} UTC; days removed: {span}. Backfills of those days can "
          "no longer replay them.", file=sys.stderr)
    return result
