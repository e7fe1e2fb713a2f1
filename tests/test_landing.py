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
