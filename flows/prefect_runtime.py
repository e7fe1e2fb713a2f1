"""Prefect's API for a one-off command: the configured server, or a temporary local one.

Without a configured PREFECT_API_URL, Prefect would start a temporary API server itself, but
only after importing its whole server package into this process (FastAPI routes, ORM models:
seconds of CPU that this process never uses), and as a child that outlives us if we are
killed. So newswire starts the same server (Prefect's app, in ephemeral mode: no UI, no
services) itself, at once, as a child the kernel terminates when we die (PR_SET_PDEATHSIG),
in its own process group (a Ctrl-C reaches newswire, which then shuts down in order), and
points Prefect at it as if it were configured.
"""

from __future__ import annotations

import atexit
import ctypes
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

# Set, to the URL, while the API in use is one that this process started.
LOCAL_API_ENV = "NEWSWIRE_LOCAL_PREFECT_API"
_PR_SET_PDEATHSIG = 1
_PORT_IN_USE = 3  # uvicorn's exit code when it cannot bind


def _die_with_parent() -> None:
    os.setpgid(0, 0)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _packages_dir() -> str:
    """Where Prefect is installed (found without importing it), for uvicorn's --app-dir."""
    spec = importlib.util.find_spec("prefect")
    assert spec is not None and spec.origin is not None, "prefect is not installed"
    return str(Path(spec.origin).parent.parent)


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


def uses_local_api() -> bool:
    """True when flows run against a temporary API that lives and dies with this process
    (a global concurrency slot held there by a killed run could never be freed)."""
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    return not url or url == os.environ.get(LOCAL_API_ENV)


class LocalApi:
    """A temporary Prefect API for this process, started in the background: it takes several
    seconds to come up, which the caller spends importing the rest."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._env: dict[str, str] = {}
        self._port = 0
        self._ready = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}/api"

    def start(self) -> LocalApi:
        """Start the server unless a Prefect API is configured. Call from the main thread:
        PR_SET_PDEATHSIG fires when the thread that started the child ends."""
        if ("prefect.context" not in sys.modules and not os.environ.get("PREFECT_API_URL")
                and _no_prefect_settings_files()):
            # Only the environment configures Prefect, and names no server: the temporary one
            # can start before Prefect is imported (importing it takes over a second).
            self._spawn(dict(os.environ))
        else:
            from prefect.settings import get_current_settings

            settings = get_current_settings()
            if settings.api.url:
                self._ready = True  # a configured server: nothing to start
                return self
            self._spawn({**os.environ, **settings.to_environment_variables(exclude_unset=True)})
        atexit.register(self.stop)
        return self

    def _spawn(self, env: dict[str, str]) -> None:
        self._env = env
        self._port = _free_port()
        server_env = {**env, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
                      "PREFECT__SERVER_FINAL": "1"}
        server_env.pop("PREFECT_API_URL", None)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", _packages_dir(),
             "--factory", "prefect.server.api.server:create_app",
             "--host", "127.0.0.1", "--port", str(self._port), "--log-level", "error",
             "--lifespan", "on"],
            env=server_env, preexec_fn=_die_with_parent)
        self._point_prefect_here()

    def _point_prefect_here(self) -> None:
        os.environ["PREFECT_API_URL"] = os.environ[LOCAL_API_ENV] = self.url
        if "prefect.context" in sys.modules:  # else Prefect reads the variable when imported
            from prefect.context import refresh_global_settings_context

            refresh_global_settings_context()

    def wait(self, timeout_s: float = 120.0) -> None:
        """Block until the API answers; RuntimeError if it does not come up."""
        if self._ready:
            return
        import httpx

        assert self._process is not None, "start() first"
        deadline = time.monotonic() + timeout_s
        with httpx.Client(trust_env=False) as client:
            while time.monotonic() < deadline:
                code = self._process.poll()
                if code == _PORT_IN_USE:  # another process took the port meanwhile
                    self._spawn(self._env)
                    continue
                if code is not None:
                    raise RuntimeError(f"Prefect's temporary API exited with code {code}")
                try:
                    if client.get(f"{self.url}/health", timeout=2.0).status_code == 200:
                        self._ready = True
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
        raise RuntimeError(f"Prefect's temporary API did not answer within {timeout_s:.0f} s")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_local_api() -> LocalApi:
    """Prefect's API for this command: the configured one, else a temporary one, started now
    and tied to this process's life."""
    return LocalApi().start()
