"""`backfill --source warc` end to end: web archives written with warcio (a second WARC
implementation) from the bundled sample site's pages load exactly the rows ingest loads over
HTTP; a rerun adds nothing; a raw backfill reads archived pages back from their archive."""

from __future__ import annotations

import gzip
import io
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from flows.cli import main
from tests.sample_site import fetch, rows, served_sample_site

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]

ARTICLES = ("SELECT article_id, canonical_url, url, title, published_at, body, content_hash, "
            "photo_credits, editor, dateline_place, language, authors, word_count "
            "FROM core.fact_article ORDER BY article_id")
ENTITIES = ("SELECT * FROM core.fact_entity_mention "
            "ORDER BY ALL")
QUOTES = "SELECT * FROM core.fact_quote ORDER BY ALL"


def _args(paths: dict, db: Path, *command: str) -> list[str]:
    return [*command, "--db", str(db), "--feeds", str(paths["feeds"]),
            "--data-dir", str(paths["root"] / f"data-{db.stem}")]


def _response(writer: WARCWriter, url: str, status: int, headers: list[tuple[str, str]],
              body: bytes) -> None:
    http = StatusAndHeaders(f"{status} OK", headers, protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                  http_headers=http))


def _write_archives(directory: Path, base: str, urls: list[str]) -> None:
    """Half the pages in a gzip-per-record WARC, half in a plain one, each among records
    that must be passed over: other hosts, requests, metadata, images, a 404."""
    directory.mkdir()
    for name, part, gzipped in (("a.warc.gz", urls[::2], True), ("b.warc", urls[1::2], False)):
        with open(directory / name, "wb") as out:
            writer = WARCWriter(out, gzip=gzipped)
            writer.write_record(writer.create_warcinfo_record(name, {"software": "test"}))
            for url in part:
                status, headers, body = fetch(url)
                _response(writer, "http://elsewhere.example/" + url.split("/", 3)[3],
                          200, [("Content-Type", "text/html")], body)
                writer.write_record(writer.create_warc_record(
                    url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
                    warc_headers_dict={"Content-Type": "application/http; msgtype=request"}))
                _response(writer, url, status, headers, body)
                writer.write_record(writer.create_warc_record(
                    url, "metadata", payload=io.BytesIO(b"fetchTimeMs: 12\r\n"),
                    warc_headers_dict={"Content-Type": "application/warc-fields"}))
            _response(writer, f"{base}/logo.png", 200, [("Content-Type", "image/png")],
                      b"\x89PNG\r\n")
            _response(writer, f"{base}/gone.html", 404, [("Content-Type", "text/html")],
                      b"<h1>gone</h1>")


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The sample site ingested over HTTP, and the same pages written into two archives."""
    root = tmp_path_factory.mktemp("warc")
    with served_sample_site(root) as (server, feeds):
        paths = {"root": root, "feeds": feeds, "live": root / "live.duckdb",
                 "archives": root / "archives", "base": server.base_url}
        assert main(_args(paths, paths["live"], "ingest")) == 0
        urls = [url for (url,) in rows(paths["live"],
                                        "SELECT url FROM core.fact_article ORDER BY url")]
        _write_archives(paths["archives"], server.base_url, urls)
    yield paths  # the site is down from here on: archives only


@pytest.fixture(scope="module")
def backfilled(archived: dict) -> dict:
    db = archived["root"] / "warc.duckdb"
    assert main(_args(archived, db, "backfill", "--source", "warc",
                      str(archived["archives"]))) == 0
    return {**archived, "warc": db}


def test_archives_load_exactly_what_ingest_loads(backfilled: dict) -> None:
    live, warc = backfilled["live"], backfilled["warc"]
    articles = rows(live, ARTICLES)
    assert len(articles) >= 10
    assert rows(warc, ARTICLES) == articles
    assert rows(warc, ENTITIES) == rows(live, ENTITIES)
    assert rows(warc, QUOTES) == rows(live, QUOTES)
    assert rows(live, "SELECT count(*) FROM core.fact_quote")[0][0] > 0


def test_each_archive_is_logged_with_its_counts_and_each_page_with_its_record(
        backfilled: dict) -> None:
    warc = backfilled["warc"]
    pages = len(rows(warc, "SELECT 1 FROM core.fact_article"))
    logged = rows(warc, "SELECT archive, records_read, records_kept, error FROM raw.fetch_log "
                         "WHERE kind = 'warc' ORDER BY archive")
    assert [Path(a).name for a, *_ in logged] == ["a.warc.gz", "b.warc"]
    # per page: other host, request, response, metadata; per archive: warcinfo, png, 404
    assert sum(read for _, read, _, _ in logged) == 4 * pages + 2 * 3
    assert sum(kept for _, _, kept, _ in logged) == pages
    assert all(error is None for *_, error in logged)
    sources = rows(warc, "SELECT archive, archive_offset FROM raw.fetch_log "
                          "WHERE kind = 'page' AND error IS NULL")
    assert len(sources) == pages
    for archive, offset in sources:
        head = Path(archive).read_bytes()[offset:offset + 3]
        assert head in (b"WAR", gzip.compress(b"")[:3])  # a record, or its gzip member


def test_a_rerun_adds_nothing(backfilled: dict) -> None:
    db = backfilled["warc"]
    tables = ("core.fact_article", "core.fact_entity_mention", "core.fact_quote",
              "core.fact_feed_item")
    before = {t: rows(db, f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    assert main(_args(backfilled, db, "backfill", "--source", "warc",
                      str(backfilled["archives"]))) == 0
    assert {t: rows(db, f"SELECT count(*) FROM {t}")[0][0] for t in tables} == before
    assert rows(db, "SELECT articles_new FROM core.etl_run ORDER BY started_at DESC "
                     "LIMIT 1") == [(0,)]


def test_a_raw_backfill_reads_archived_pages_back_from_their_archive(backfilled: dict,
                                                                      tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy2(backfilled["warc"], db)
    before = rows(db, ARTICLES)
    with duckdb.connect(str(db)) as con:
        for table in ("core.fact_feed_item", "core.fact_entity_mention", "core.fact_quote",
                      "core.fact_article"):
            con.execute(f"DELETE FROM {table}")
    days = rows(db, "SELECT min(fetched_at)::DATE, max(fetched_at)::DATE "
                     "FROM raw.fetch_log WHERE kind = 'page'")[0]
    assert main(_args(backfilled, db, "backfill", "--start", str(days[0]),
                      "--end", str(days[1]))) == 0
    assert rows(db, ARTICLES) == before


def test_models_build_over_archived_pages(backfilled: dict, tmp_path: Path) -> None:
    db = tmp_path / "models.duckdb"
    shutil.copy2(backfilled["warc"], db)
    assert main(_args(backfilled, db, "models")) == 0
    # an archive read whole is no failed request, though a local archive has no HTTP status
    read = rows(db, "SELECT count(*) FROM raw.fetch_log WHERE kind = 'warc'")[0][0]
    assert read >= 2
    assert rows(db, "SELECT count(*) FROM staging.stg_fetch_log WHERE kind = 'warc' "
                     "AND NOT failed") == [(read,)]


def test_a_window_keeps_pages_captured_or_dated_in_it(archived: dict, tmp_path: Path) -> None:
    """The archives were captured today: a window of an earlier day keeps only the pages
    dated that day by the page itself; a window of today keeps every page."""
    live = archived["live"]
    day = rows(live, "SELECT published_at::DATE FROM core.fact_article "
                      "GROUP BY ALL ORDER BY count(*) DESC, 1 LIMIT 1")[0][0]
    dated = rows(live, f"SELECT article_id FROM core.fact_article WHERE published_at >= "
                        f"'{day}'::TIMESTAMPTZ AND published_at < '{day}'::TIMESTAMPTZ "
                        f"+ INTERVAL 1 DAY ORDER BY 1")
    everything = rows(live, "SELECT article_id FROM core.fact_article ORDER BY 1")
    assert 0 < len(dated) < len(everything)
    db = tmp_path / "window.duckdb"
    assert main(_args(archived, db, "backfill", "--source", "warc", "--start", str(day),
                      "--end", str(day), str(archived["archives"]))) == 0
    assert rows(db, "SELECT article_id FROM core.fact_article ORDER BY 1") == dated
    captured = rows(db, "SELECT min(fetched_at)::DATE FROM raw.fetch_log "
                         "WHERE kind = 'page'")[0][0]
    if captured is not None:  # the pages kept: captured outside the window, dated in it
        assert captured != day
    today = tmp_path / "today.duckdb"
    capture_day = rows(live, "SELECT max(fetched_at)::DATE FROM raw.fetch_log")[0][0]
    assert main(_args(archived, today, "backfill", "--source", "warc", "--start",
                      str(capture_day), "--end", str(capture_day + timedelta(days=1)),
                      str(archived["archives"]))) == 0
    assert rows(today, "SELECT article_id FROM core.fact_article ORDER BY 1") == everything


def test_all_hosts_reads_every_html_page_with_the_generic_profile(archived: dict,
                                                                  tmp_path: Path) -> None:
    db = tmp_path / "all.duckdb"
    assert main(_args(archived, db, "backfill", "--source", "warc", "--all-hosts",
                      str(archived["archives"]))) == 0
    pages = len(rows(archived["live"], "SELECT 1 FROM core.fact_article"))
    hosts = dict(rows(db, "SELECT split_part(url, '/', 3) = 'elsewhere.example', count(*) "
                           "FROM core.fact_article GROUP BY ALL"))
    assert hosts == {False: pages, True: pages}
    # only pages on a feed's host belong to that feed
    assert rows(db, "SELECT count(DISTINCT article_id) FROM core.fact_feed_item") == [(pages,)]
    assert rows(db, "SELECT count(*) FROM raw.fetch_log WHERE kind = 'page' "
                     "AND feed_name IS NULL") == [(pages,)]


def test_feed_option_keeps_the_hosts_of_the_feeds_named(archived: dict, tmp_path: Path) -> None:
    db = tmp_path / "feed.duckdb"
    assert main(_args(archived, db, "backfill", "--source", "warc", "--feed", "china",
                      str(archived["archives"]))) == 0
    # both feeds share the site's host: the page of either is read with china's profile
    assert rows(db, "SELECT DISTINCT feed_name FROM core.fact_feed_item") == [("china",)]
