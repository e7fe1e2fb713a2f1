"""The deployments of prefect.yaml, as objects `newswire serve` can run in one process.

prefect.yaml stays the single source of truth: names, entrypoints, schedules, parameters and
concurrency are read from it. Feeds that set their own `schedule` in feeds.toml get an ingest
deployment of their own on that schedule; the others follow the `ingest` deployment's.
"""

from __future__ import annotations

import contextlib
import importlib
from pathlib import Path
from typing import Any

import yaml

from flows.settings import ConfigError
from transforms.records import FeedConfig

WRITER_LIMIT = "newswire-warehouse-writer"


def read_prefect_yaml(path: Path) -> list[dict[str, Any]]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path} not found: run `newswire serve` from the project directory "
                          "or pass --prefect-file") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from None
    deployments = (doc or {}).get("deployments")
    if not isinstance(deployments, list) or not deployments:
        raise ConfigError(f"{path} declares no deployments")
    return deployments


def _load_flow(entrypoint: str) -> Any:
    path, _, name = entrypoint.partition(":")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    return getattr(module, name)


def _variant_name(feed_names: list[str]) -> str:
    """'ingest-xinhua-world' for the feeds that share a schedule of their own."""
    shown = feed_names if len(feed_names) <= 3 else [feed_names[0],
                                                     f"and-{len(feed_names) - 1}-more"]
    return "ingest-" + "-".join(shown)


def _ingest_variants(parameters: dict[str, Any], schedules: list[Any],
                    feeds: tuple[FeedConfig, ...]) -> list[tuple[str, dict[str, Any], list[Any]]]:
    """(name, parameters, schedules) of the ingest deployments: the declared one for feeds
    without a schedule of their own, plus one per distinct feed schedule."""
    from prefect.schedules import Cron

    own = sorted({f.schedule for f in feeds if f.schedule})
    if not own:
        return [("ingest", parameters, schedules)]
    variants = []
    default_feeds = [f.name for f in feeds if not f.schedule]
    if default_feeds:
        variants.append(("ingest", {**parameters, "feeds": default_feeds}, schedules))
    for cron in own:
        names = [f.name for f in feeds if f.schedule == cron]
        variants.append((_variant_name(names), {**parameters, "feeds": names},
                         [Cron(cron, timezone="UTC")]))
    return variants


def build_deployments(spec: list[dict[str, Any]], feeds: tuple[FeedConfig, ...]) -> list[Any]:
    """RunnerDeployments for prefect.serve: one per prefect.yaml entry, and for `ingest` one
    more per distinct feed schedule."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig
    from prefect.schedules import Cron

    built = []
    for entry in spec:
        flow = _load_flow(entry["entrypoint"])
        limit = entry.get("concurrency_limit")
        concurrency = ConcurrencyLimitConfig(**limit) if limit else None
        schedules = [Cron(s["cron"], timezone=s.get("timezone", "UTC"))
                     for s in entry.get("schedules") or []]
        parameters = dict(entry.get("parameters") or {})
        variants = (_ingest_variants(parameters, schedules, feeds) if entry["name"] == "ingest"
                    else [(entry["name"], parameters, schedules)])
        built += [flow.to_deployment(name, schedules=scheds, parameters=params,
                                     description=entry.get("description"),
                                     concurrency_limit=concurrency)
                  for name, params, scheds in variants]
    return built


def ensure_writer_limit() -> None:
    """Create the global concurrency limit that serialises warehouse writers, if missing."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            client.read_global_concurrency_limit_by_name(WRITER_LIMIT)
        except ObjectNotFound:
            # Another process may create it between our read and our create.
            with contextlib.suppress(ObjectAlreadyExists):
                client.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(name=WRITER_LIMIT, limit=1))


def serve_deployments(deployments: list[Any]) -> None:
    """Run the deployments on their schedules in this process until interrupted."""
    import prefect

    prefect.serve(*deployments)
