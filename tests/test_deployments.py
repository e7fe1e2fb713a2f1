"""prefect.yaml: it deploys against a Prefect server, and `newswire serve` runs the same set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.deployments import build_deployments, read_prefect_yaml
from transforms.records import FeedConfig

ROOT = Path(__file__).resolve().parents[1]
PREFECT_YAML = ROOT / "prefect.yaml"


def _feed(name: str, schedule: str | None = None) -> FeedConfig:
    return FeedConfig(name=name, url=f"http://127.0.0.1:9/{name}.xml", profile="xinhua",
                      schedule=schedule)


def test_serve_builds_the_three_deployments_of_prefect_yaml() -> None:
    built = {d.name: d for d in build_deployments(read_prefect_yaml(PREFECT_YAML),
                                                  (_feed("a"), _feed("b")))}
    assert set(built) == {"ingest", "models", "backfill"}
    assert [s.schedule.cron for s in built["ingest"].schedules] == ["*/15 * * * *"]
    assert [s.schedule.cron for s in built["models"].schedules] == ["5 * * * *"]
    assert built["backfill"].schedules in (None, [])
    assert built["backfill"].parameters == {"source": "raw"}
    from prefect.utilities.callables import parameter_schema

    from flows.backfill import backfill
    assert set(parameter_schema(backfill).properties) >= {"start", "end", "source", "feeds"}
    for deployment in built.values():
        assert deployment.concurrency_limit == 1
        assert deployment.concurrency_options.collision_strategy == "CANCEL_NEW"


def test_feeds_with_their_own_schedule_get_their_own_ingest() -> None:
    built = {d.name: d for d in build_deployments(
        read_prefect_yaml(PREFECT_YAML), (_feed("a"), _feed("b", "0 * * * *")))}
    assert built["ingest"].parameters == {"feeds": ["a"]}
    hourly = built["ingest-b"]  # named after its feeds, not its cron expression
    assert hourly.parameters == {"feeds": ["b"]}
    assert [s.schedule.cron for s in hourly.schedules] == ["0 * * * *"]


@pytest.mark.e2e
@pytest.mark.usefixtures("prefect_harness")
def test_prefect_yaml_deploys_against_a_prefect_server(tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.settings import PREFECT_API_URL

    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name="newswire", type="process"),
                                overwrite=True)
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(),
           "NEWSWIRE_HOME": str(ROOT), "PREFECT_HOME": str(tmp_path)}
    deploy = subprocess.run(
        [sys.executable, "-m", "prefect", "--no-prompt", "deploy", "--all",
         "--prefect-file", str(PREFECT_YAML)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert deploy.returncode == 0, deploy.stdout[-3000:] + deploy.stderr[-3000:]

    with get_client(sync_client=True) as client:
        deployments = {d.name: d for d in client.read_deployments()}
    assert {"ingest", "models", "backfill"} <= set(deployments)
    crons = {name: [s.schedule.cron for s in deployments[name].schedules]
             for name in ("ingest", "models", "backfill")}
    assert crons == {"ingest": ["*/15 * * * *"], "models": ["5 * * * *"], "backfill": []}
    assert deployments["backfill"].parameters == {"source": "raw"}
    assert {"start", "end", "source", "feeds"} <= set(
        deployments["backfill"].parameter_openapi_schema["properties"])
    for name in ("ingest", "models", "backfill"):
        assert deployments[name].work_pool_name == "newswire"
        assert deployments[name].global_concurrency_limit.limit == 1
        assert deployments[name].concurrency_options.collision_strategy == "CANCEL_NEW"


def test_no_flows_module_shadows_the_standard_library() -> None:
    """Prefect puts flows/ itself on sys.path when it loads a deployment's entrypoint
    (flows/ingest.py:ingest), and worker processes inherit it: a flows/http.py made every
    `import http` there fail."""
    shadowing = sorted(path.stem for path in (ROOT / "flows").glob("*.py")
                       if path.stem in sys.stdlib_module_names)
    assert shadowing == []
