"""The raw landing zone: every fetched body, kept as fetched, so any window can be replayed.

Files are named by the SHA-256 of their content, never by anything taken from the URL, and
are partitioned by the UTC day they were fetched, which is what backfill windows and pruning
select on: data/raw/<kind>/<YYYY-MM-DD>/<sha256>.gz. Writes are atomic (temp file, rename),
so a crash never leaves a partial file under a final name.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from transforms.records import FetchKind


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


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

    def read(self, kind: FetchKind, fetched_at: datetime, content_sha256: str) -> bytes:
        """The landed body; FileNotFoundError when it was pruned or never landed here,
        ValueError when the file no longer holds what was landed."""
        path = self.path_for(kind, fetched_at, content_sha256)
        content = gzip.decompress(path.read_bytes())
        if sha256_hex(content) != content_sha256:
            raise ValueError(f"landed file {path} does not match its content hash")
        return content
