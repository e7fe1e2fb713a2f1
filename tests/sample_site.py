"""Helpers for tests that ingest the bundled sample site on loopback and capture its pages
again (as a crawler does, for web archives)."""

from __future__ import annotations

import shutil
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from flows.site_server import SiteServer, demo_site_dir


def sample_feeds_toml(base_url: str) -> str:
    """feeds.toml text for the sample site's two feeds, served at `base_url`."""
    return (f'[[feed]]\nname = "world"\nurl = "{base_url}/rss/worldrss.xml"\n'
            f'profile = "xinhua"\n\n[[feed]]\nname = "china"\n'
            f'url = "{base_url}/rss/chinarss.xml"\nprofile = "xinhua"\n')


@contextmanager
def served_sample_site(root: Path) -> Iterator[tuple[SiteServer, Path]]:
    """A copy of the sample site under `root`, served on loopback, and the feeds.toml of its
    two feeds (root/feeds.toml), for the duration of the block."""
    site_dir = root / "site"
    shutil.copytree(demo_site_dir(), site_dir)
    server = SiteServer(site_dir)
    with server.running():
        feeds = root / "feeds.toml"
        feeds.write_text(sample_feeds_toml(server.base_url), encoding="utf-8")
        yield server, feeds


def fetch(url: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """GET `url` (loopback): its status, headers and body, as a crawler records them."""
    with urllib.request.urlopen(url) as response:
        return response.status, list(response.headers.items()), response.read()


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    """The rows of a read-only query of the warehouse at `db`."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()
