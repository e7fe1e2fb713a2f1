"""feeds.toml text to validated FeedConfig records."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from transforms.profiles import profile_names
from transforms.records import FeedConfig
from transforms.urls import InvalidUrl, resolve_url

_NAME = re.compile(r"[a-z0-9-]+")
_KNOWN_KEYS = frozenset({"name", "url", "profile", "schedule", "enabled", "max_items"})


class FeedsConfigError(ValueError):
    """feeds.toml is unusable; the message names the entry and the fault."""


def _entry(index: int, raw: Any) -> FeedConfig:
    where = f"[[feed]] #{index}"
    if not isinstance(raw, dict):
        raise FeedsConfigError(f"{where}: expected a table, got {type(raw).__name__}")
    unknown = sorted(set(raw) - _KNOWN_KEYS)
    if unknown:
        raise FeedsConfigError(f"{where}: unknown key(s) {', '.join(unknown)} "
                               f"(allowed: {', '.join(sorted(_KNOWN_KEYS))})")
    for key in ("name", "url", "profile"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise FeedsConfigError(f"{where}: '{key}' is required and must be a non-empty string")
    name = raw["name"]
    where = f"feed '{name}'"
    if not _NAME.fullmatch(name):
        raise FeedsConfigError(f"{where}: name must match [a-z0-9-]+")
    try:
        url = resolve_url(raw["url"])
    except InvalidUrl as exc:
        raise FeedsConfigError(f"{where}: {exc}") from None
    if raw["profile"] not in profile_names():
        raise FeedsConfigError(f"{where}: unknown profile {raw['profile']!r} "
                               f"(known: {', '.join(profile_names())})")
    schedule = raw.get("schedule")
    if schedule is not None and (not isinstance(schedule, str) or len(schedule.split()) != 5):
        raise FeedsConfigError(f"{where}: schedule must be a 5-field cron string")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise FeedsConfigError(f"{where}: enabled must be true or false")
    max_items = raw.get("max_items", 200)
    if isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 1:
        raise FeedsConfigError(f"{where}: max_items must be a positive integer")
    return FeedConfig(name=name, url=url, profile=raw["profile"], schedule=schedule,
                      enabled=enabled, max_items=max_items)


def parse_feeds_config(text: str) -> tuple[FeedConfig, ...]:
    """Parse and validate feeds.toml. Raises FeedsConfigError on any fault."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FeedsConfigError(f"not valid TOML: {exc}") from None
    extra = sorted(set(doc) - {"feed"})
    if extra:
        raise FeedsConfigError(f"unknown top-level key(s) {', '.join(extra)}: only [[feed]] tables")
    entries = doc.get("feed", [])
    if not isinstance(entries, list) or not entries:
        raise FeedsConfigError("no [[feed]] entries")
    feeds = tuple(_entry(i, raw) for i, raw in enumerate(entries, start=1))
    names = [f.name for f in feeds]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise FeedsConfigError(f"duplicate feed name(s): {', '.join(dupes)}")
    return feeds
