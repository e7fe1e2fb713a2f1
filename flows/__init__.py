"""Orchestration: Prefect flows, the `newswire` CLI, settings and the one HTTP client."""

__version__ = "0.1.0"
