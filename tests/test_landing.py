from datetime import UTC, datetime
from pathlib import Path

from warehouse.landing import LandingZone, sha256_hex


def test_landing_is_content_addressed_atomic_and_idempotent(tmp_path: Path) -> None:
    zone = LandingZone(tmp_path / "raw")
    when = datetime(2025, 3, 4, 23, 59, tzinfo=UTC)
    digest = zone.land("page", when, b"<html>hello</html>")
    assert digest == sha256_hex(b"<html>hello</html>")
    path = zone.path_for("page", when, digest)
    assert path.parent.name == "2025-03-04" and path.name == f"{digest}.gz"
    assert zone.land("page", when, b"<html>hello</html>") == digest
    assert zone.read("page", when, digest) == b"<html>hello</html>"
    assert not list(path.parent.glob(".landing-*"))  # no temp files left behind


def test_prune_removes_old_days_and_crash_leftovers_only(tmp_path: Path) -> None:
    import os
    import time

    zone = LandingZone(tmp_path / "raw")
    old = datetime(2025, 1, 1, 12, tzinfo=UTC)
    new = datetime(2025, 4, 1, 12, tzinfo=UTC)
    zone.land("page", old, b"old page")
    zone.land("feed", old, b"old feed")
    kept = zone.land("page", new, b"new page")
    leftover = zone.path_for("page", new, "x").parent / ".landing-abc.tmp"
    leftover.write_bytes(b"half")
    os.utime(leftover, (time.time() - 7200, time.time() - 7200))
    result = zone.prune(datetime(2025, 3, 1, tzinfo=UTC))
    assert (result.files, result.days) == (3, ("2025-01-01",))
    assert not (tmp_path / "raw" / "page" / "2025-01-01").exists()
    assert zone.read("page", new, kept) == b"new page"
    assert not leftover.exists()
