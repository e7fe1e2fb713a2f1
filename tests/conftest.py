"""Shared fixtures. Prefect's environment is set before anything imports prefect."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

_PREFECT_HOME = tempfile.mkdtemp(prefix="newswire-test-prefect-")
os.environ.update({
    "PREFECT_HOME": _PREFECT_HOME,
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
})
for key in ("NEWSWIRE_DB", "NEWSWIRE_FEEDS", "NEWSWIRE_DATA_DIR", "PREFECT_API_URL"):
    os.environ.pop(key, None)

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

# Property tests judge correctness, not speed: a loaded CI machine must not fail them on time.
settings.register_profile("newswire", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("newswire")


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect API for the whole session: starting one costs ~10 s."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture()
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    return tmp_path


# PostgreSQL and S3 (moto) servers for the lake's tests: started by the first test that asks.
from tests.services import postgres, s3  # noqa: E402, F401
