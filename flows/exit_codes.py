"""The exit codes of every `newswire` command, defined once."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # everything succeeded
    FAILURE = 1  # anything else went wrong (the message says what)
    USAGE = 2  # bad usage or configuration: a clear message, nothing written
    PARTIAL = 3  # some feeds or pages failed and were recorded; everything else loaded
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT
