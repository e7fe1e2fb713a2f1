"""Helpers for tests that ingest the bundled sample site on loopback and capture its pages
again (as a crawler does, for web archives)."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import duckdb


def sample_feeds_toml(base_url: str) -> str:
    """feeds.toml text for the sample site's two feeds, served at `base_url`."""
    return (f'[[feed]]\nname = "world"\nurl = "{base_url}/rss/worldrss.xml"\n'
            f'profile = "xinhua"\n\n[[feed]]\nname = "china"\n'
            f'url = "{base_url}/rss/chinarss.xml"\nprofile = "xinhua"\n')


def fetch(url: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """GET `url` (loopback): its status, headers and body, as a crawler records them."""
    with urllib.request.urlopen(url) as response:
        return response.status, list(response.headers.items()), response.read()


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    """The rows of a read-only query of the warehouse at `db`."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()
