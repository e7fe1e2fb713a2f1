"""The Prefect API newswire reports to: the configured server, or a local one it starts.

Every flow run and every task run reports to a Prefect API, and task runs happen in Dask worker
processes, so they all need the same API address. Prefect's temporary server cannot give them
one: it belongs to the process that started it, and each worker process that finds no
PREFECT_API_URL starts a temporary server of its own (measured: a 4-task flow on Prefect's
process pool took 28 s, one extra server per worker). So, when no PREFECT_API_URL is
configured, newswire runs the documented `prefect server start` as its child, on a free
loopback port, with its database under `<data-dir>/prefect/`, and sets PREFECT_API_URL for
itself and every process it starts (the local Dask workers included).

The child is tied to newswire's life: the kernel stops it when newswire dies, even by SIGKILL
(PR_SET_PDEATHSIG), and it runs in its own process group, so a Ctrl-C reaches newswire, which
then stops it in order. One-off commands start it without the scheduler (nothing to schedule);
`newswire serve` starts it with the scheduler, which is what creates the scheduled runs.
"""

from __future__ import annotations

import atexit
import ctypes
import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import IO

import httpx

# Set, to its URL, in newswire's environment (inherited by its children) while the API in use
# is a server newswire started for itself.
LOCAL_SERVER_ENV = "NEWSWIRE_LOCAL_PREFECT_API"
_PR_SET_PDEATHSIG = 1


class PrefectServerError(RuntimeError):
    """The local Prefect server did not come up; the message says why and where its log is."""


def _die_with_parent() -> None:
    os.setpgid(0, 0)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _no_prefect_settings_files() -> bool:
    """True when no file can configure Prefect: its profiles, and the `.env`, `prefect.toml`
    and `pyproject.toml` [tool.prefect] it reads from the working directory."""
    home = Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml")
    if any(p.expanduser().exists() for p in (profiles, Path(".env"), Path("prefect.toml"))):
        return False
    try:
        pyproject = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return True
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return "prefect" not in pyproject.get("tool", {})


def configured_api_url() -> str | None:
    """The Prefect API the user configured (environment, profile or settings file), if any.

    Prefect is imported only when a file may configure it: importing it takes a second."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    if "prefect" not in sys.modules and _no_prefect_settings_files():
        return None
    from prefect.settings import get_current_settings

    return get_current_settings().api.url or None


def uses_shared_server() -> bool:
    """True when the Prefect API in use is a server others use too (configured by the user),
    False when it is one that newswire started for itself, or Prefect's temporary one."""
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    return bool(url) and url != os.environ.get(LOCAL_SERVER_ENV)


class LocalPrefectServer:
    """`prefect server start` as a child process, started in the background: it takes about
    five seconds to answer, which the caller spends on other start-up work."""

    def __init__(self, home: Path, *, scheduler: bool, ui: bool = False) -> None:
        self.home = home
        self.scheduler = scheduler
        self.ui = ui
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._starting: int | None = None  # the start lock's descriptor, while starting
        self._ready = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def log_path(self) -> Path:
        return self.home / "server.log"

    def start(self) -> LocalPrefectServer:
        """Start the server and point this process (and its future children) at it.
        Call from the main thread: PR_SET_PDEATHSIG fires when the starting thread ends.

        Servers of one home start one at a time (the lock is held until `wait()` sees this one
        answer): each migrates the database as it starts, and two first starts at the same
        moment would both migrate a new database, and one would fail."""
        self.home.mkdir(parents=True, exist_ok=True)
        self._starting = os.open(self.home / ".newswire-server-start.lock",
                                 os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self._starting, fcntl.LOCK_EX)
        self._log = self.log_path.open("ab")
        self._spawn()
        self._point_here()
        atexit.register(self.stop)
        return self

    def _point_here(self) -> None:
        os.environ["PREFECT_API_URL"] = os.environ[LOCAL_SERVER_ENV] = self.url

    def _spawn(self) -> None:
        self.port = _free_port()
        args = [sys.executable, "-m", "prefect", "server", "start",
                "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "WARNING",
                "--analytics-off", "--ui" if self.ui else "--no-ui",
                *(() if self.scheduler else ("--no-scheduler", "--no-late-runs"))]
        env = {k: v for k, v in os.environ.items()
               if k not in ("PREFECT_API_URL", LOCAL_SERVER_ENV)}
        env["PREFECT_HOME"] = str(self.home.resolve())
        self._process = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL,
                                         stdout=self._log, stderr=self._log,
                                         preexec_fn=_die_with_parent)

    def wait(self, timeout_s: float = 180.0) -> None:
        """Block until the API answers; PrefectServerError if it does not come up. The first
        start on a new data directory also creates Prefect's database (10-20 s)."""
        if self._ready:
            return
        assert self._process is not None, "start() first"
        try:
            self._wait_for_health(timeout_s)
        finally:
            self._release_start_lock()

    def _release_start_lock(self) -> None:
        if self._starting is not None:
            os.close(self._starting)  # closing the descriptor releases its lock
            self._starting = None

    def _wait_for_health(self, timeout_s: float) -> None:
        assert self._process is not None
        deadline = time.monotonic() + timeout_s
        with httpx.Client(trust_env=False) as client:
            while time.monotonic() < deadline:
                code = self._process.poll()
                if code is not None:
                    raise PrefectServerError(
                        f"`prefect server start` exited with code {code}; see {self.log_path}")
                try:
                    if client.get(f"{self.url}/health", timeout=2.0).status_code == 200:
                        self._ready = True
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
        raise PrefectServerError(f"the local Prefect server did not answer within "
                                 f"{timeout_s:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        self._release_start_lock()
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None


class ConfiguredServer:
    """A Prefect server the user runs: nothing to start or wait for."""

    def __init__(self, url: str) -> None:
        self.url = url

    def wait(self, timeout_s: float = 0.0) -> None:
        pass


def prefect_api(home: Path, *, scheduler: bool, ui: bool = False
                ) -> ConfiguredServer | LocalPrefectServer:
    """The Prefect API for this command: the configured server, else a local one, started now
    (`wait()` for it before the first flow). A local server stops when this process exits,
    after Prefect has sent its last logs and events (exit handlers run in reverse order of
    registration, and it registers before Prefect is imported)."""
    if url := configured_api_url():
        return ConfiguredServer(url)
    return LocalPrefectServer(home, scheduler=scheduler, ui=ui).start()
