"""benchmarks/warc_backfill.py's generated archive: its articles are on the configured feeds'
host and its other records are passed over, each for the reason the benchmark counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.corpus import feeds_toml, write_corpus
from benchmarks.warc_backfill import AGENCY, read_and_filter, write_warc
from flows.settings import load_feeds, resolve_settings


@pytest.mark.parametrize("gzipped", [True, False], ids=["gzip-per-record", "plain"])
def test_generated_archive_reads_back_as_counted(tmp_path: Path, gzipped: bool) -> None:
    feeds = write_corpus(tmp_path / "site", 5, feed_size=2)
    (tmp_path / "feeds.toml").write_text(feeds_toml(feeds, AGENCY), encoding="utf-8")
    contents = write_warc(tmp_path / ("a.warc.gz" if gzipped else "a.warc"),
                          tmp_path / "site", 7, gzipped=gzipped)
    # the others cycle through another host's page, a request, a non-HTML response;
    # the warcinfo record is not a response either
    assert contents.articles == 5
    assert dict(contents.skips) == {"other_host": 3, "not_response": 3, "not_html": 2}
    assert contents.records == 13
    assert (contents.path.read_bytes()[:2] == b"\x1f\x8b") is gzipped

    settings = resolve_settings(feeds=tmp_path / "feeds.toml", data_dir=tmp_path)
    configs = {f.name: f for f in load_feeds(settings)}
    assert len(configs) == 3  # several feeds on one host, as an agency's are
    tally = read_and_filter(contents.path, configs, settings.http.max_body_bytes)
    assert (tally.records, tally.kept, tally.unreadable) == (13, 5, 0)
    assert tally.skips == contents.skips
