"""Prefect's temporary local API, started so that it cannot outlive us.

Without PREFECT_API_URL, Prefect starts a temporary API server as a child process and stops it
at exit. A process that is killed (SIGKILL, OOM killer) never reaches exit, and the child
would live on holding memory and a port. Starting it here, from the main thread, with the
kernel told to terminate it when its parent dies (PR_SET_PDEATHSIG) closes that leak. Prefect
then reuses this instance for the whole run.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
from typing import Any

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # Its own process group: a Ctrl-C at the terminal reaches newswire, which then shuts
    # down in order, instead of killing the API under it mid-shutdown.
    os.setpgid(0, 0)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class _SubprocessDyingWithParent:
    """Stands in for the `subprocess` module inside Prefect's server module only."""

    def __getattr__(self, name: str) -> Any:
        return getattr(subprocess, name)

    @staticmethod
    def Popen(*args: Any, **kwargs: Any) -> subprocess.Popen[Any]:
        kwargs.setdefault("preexec_fn", _die_with_parent)
        return subprocess.Popen(*args, **kwargs)


def uses_local_api() -> bool:
    """True when no Prefect server is configured, so flows run against a temporary one."""
    from prefect.settings import get_current_settings

    return not get_current_settings().api.url


class LocalApi:
    """Prefect's temporary API, starting in the background while the caller imports the rest
    (the API takes about 10 s to come up, the pipeline's imports several seconds)."""

    def __init__(self) -> None:
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> LocalApi:
        if not sys.platform.startswith("linux") or not uses_local_api():
            self._ready.set()  # a configured server, or no PR_SET_PDEATHSIG: Prefect's own way
            return self
        from prefect.server.api import server

        server.subprocess = _SubprocessDyingWithParent()  # type: ignore[assignment]

        def run() -> None:
            try:
                server.SubprocessASGIServer().start()
            except BaseException as exc:
                self._error = exc
            finally:
                self._ready.set()
            # PR_SET_PDEATHSIG fires when the *thread* that started the child ends: this one
            # must live as long as the process does.
            threading.Event().wait()

        self._thread = threading.Thread(target=run, name="prefect-local-api", daemon=True)
        self._thread.start()
        return self

    def wait(self) -> None:
        """Block until the API answers; raise what starting it raised."""
        self._ready.wait()
        if self._error is not None:
            raise self._error


def start_local_api() -> LocalApi:
    """Start Prefect's temporary API in the background, tied to this process's life."""
    return LocalApi().start()
