"""The raw landing zone: every fetched body, kept as fetched, so any window can be replayed.

Files are named by the SHA-256 of their content, never by anything taken from the URL, and
are partitioned by the UTC day they were fetched, which is what backfill windows and pruning
select on: data/raw/<kind>/<YYYY-MM-DD>/<sha256>.gz. Writes are atomic (temp file, rename),
so a crash never leaves a partial file under a final name.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import re
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from transforms.records import FetchKind


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True, slots=True)
class PruneResult:
    files: int
    bytes: int
    days: tuple[str, ...]  # the day partitions removed, e.g. ('2024-01-01', ...)


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_STALE_TEMP_S = 3600  # a temp file this old was left by a crash, never by a running write


@dataclass(frozen=True, slots=True)
class LandingZone:
    root: Path

    def path_for(self, kind: FetchKind, fetched_at: datetime, content_sha256: str) -> Path:
        day = fetched_at.astimezone(UTC).strftime("%Y-%m-%d")
        return self.root / kind / day / f"{content_sha256}.gz"

    def land(self, kind: FetchKind, fetched_at: datetime, content: bytes) -> str:
        """Store `content` (idempotently) and return its SHA-256."""
        digest = sha256_hex(content)
        target = self.path_for(kind, fetched_at, digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".landing-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as tmp:
                # Level 1: raw HTML compresses ~5x even so, at a fraction of level 9's cost.
                tmp.write(gzip.compress(content, compresslevel=1, mtime=0))
                tmp.flush()
                os.fsync(tmp.fileno())
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return digest

    def prune(self, cutoff: datetime) -> PruneResult:
        """Remove every day partition before `cutoff`'s UTC day, and temp files left by
        crashes. Never touches the warehouse."""
        first_kept = cutoff.astimezone(UTC).strftime("%Y-%m-%d")
        files = size = 0
        days: set[str] = set()
        if not self.root.is_dir():
            return PruneResult(0, 0, ())
        for kind_dir in (p for p in self.root.iterdir() if p.is_dir()):
            for day_dir in (p for p in kind_dir.iterdir() if p.is_dir()):
                old = bool(_DAY.fullmatch(day_dir.name)) and day_dir.name < first_kept
                for path in day_dir.iterdir():
                    stale = (path.name.startswith(".landing-")
                             and time.time() - path.stat().st_mtime > _STALE_TEMP_S)
                    if path.is_file() and (old or stale):
                        size += path.stat().st_size
                        path.unlink()
                        files += 1
                if old:
                    days.add(day_dir.name)
                    with contextlib.suppress(OSError):  # not empty: something new landed
                        day_dir.rmdir()
        return PruneResult(files, size, tuple(sorted(days)))

    def read(self, kind: FetchKind, fetched_at: datetime, content_sha256: str) -> bytes:
        """The landed body; FileNotFoundError when it was pruned or never landed here,
        ValueError when the file no longer holds what was landed."""
        path = self.path_for(kind, fetched_at, content_sha256)
        content = gzip.decompress(path.read_bytes())
        if sha256_hex(content) != content_sha256:
            raise ValueError(f"landed file {path} does not match its content hash")
        return content
