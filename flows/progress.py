"""Progress for long runs: a live bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO


class Progress(Protocol):
    """Stages of a run: `total` is 0 when not known beforehand."""

    def stage(self, name: str, total: int) -> None: ...
    def advance(self, done: int = 1) -> None: ...
    def note(self, message: str) -> None: ...
    def close(self) -> None: ...


class LineProgress:
    """For logs and pipes: one line per stage, and a line at most every few seconds within it."""

    def __init__(self, stream: TextIO = sys.stderr, every_s: float = 5.0) -> None:
        self._stream = stream
        self._every_s = every_s
        self._name = ""
        self._total = 0
        self._done = 0
        self._last = 0.0

    def _line(self, text: str) -> None:
        stamp = time.strftime("%H:%M:%S")
        print(f"{stamp} newswire: {text}", file=self._stream, flush=True)

    def stage(self, name: str, total: int) -> None:
        self._name, self._total, self._done = name, total, 0
        self._last = time.monotonic()
        self._line(f"{name}: 0/{total}" if total > 0 else f"{name}: started")

    def advance(self, done: int = 1) -> None:
        self._done += done
        now = time.monotonic()
        finished = 0 < self._total <= self._done
        if finished or now - self._last >= self._every_s:
            self._last = now
            of_total = f"/{self._total}" if self._total > 0 else ""
            self._line(f"{self._name}: {self._done}{of_total}")

    def note(self, message: str) -> None:
        self._line(message)

    def close(self) -> None:
        pass


class BarProgress:
    """For a terminal: a rich progress bar per stage."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        self._console = Console(file=stream)
        self._bar = RichProgress(TextColumn("{task.description:<22}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=self._console, transient=False)
        self._bar.start()
        self._task: int | None = None

    def stage(self, name: str, total: int) -> None:
        # a total of 0: not known beforehand (an archive streamed); rich shows a pulse
        self._task = self._bar.add_task(name, total=total if total > 0 else None)

    def advance(self, done: int = 1) -> None:
        if self._task is not None:
            self._bar.advance(self._task, done)

    def note(self, message: str) -> None:
        self._console.print(message)

    def close(self) -> None:
        self._bar.stop()


def progress_for(stream: TextIO = sys.stderr) -> Progress:
    return BarProgress(stream) if stream.isatty() else LineProgress(stream)


_current: Progress | None = None


def use_progress(progress: Progress | None) -> None:
    """Make `progress` the one flows report to (flow parameters must stay serialisable)."""
    global _current
    _current = progress


def current_progress() -> Progress:
    global _current
    if _current is None:
        _current = LineProgress()
    return _current
