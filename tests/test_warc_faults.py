"""Fault injection for `backfill --source warc`: the sample site's pages in web archives mixed
with every kind of broken record we know, plus archives at URLs (streamed, broken off and
resumed, missing), all in one run. Each broken record is logged with its archive and offset
and skipped; every good page loads; the run exits 3 (partial)."""

from __future__ import annotations

import gzip
import io
import random
import re
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from flows.cli import main
from tests.loopback import Loopback, Route, reply
from tests.sample_site import fetch, rows, served_sample_site

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]

ARTICLES = ("SELECT article_id, canonical_url, url, title, published_at, body, content_hash, "
            "authors, word_count FROM core.fact_article ORDER BY article_id")
TEN_GB = 10 * 1024 ** 3
GOOD_PAGES = 11
RESUMED = 3 * 1024 * 1024  # filler of the archive that breaks off (at 2/3) and is resumed


def _raw_record(block: bytes, uri: str, *, version: str = "WARC/1.0",
                length: int | None = None) -> bytes:
    """A WARC response record written by hand (warcio writes only sound ones)."""
    return (f"{version}\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n"
            "WARC-Date: 2024-03-01T12:00:00Z\r\n"
            "WARC-Record-ID: <urn:uuid:12345678-1234-1234-1234-123456789012>\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(block) if length is None else length}\r\n\r\n"
            ).encode() + block + b"\r\n\r\n"


class _Archive:
    """An archive being written: good pages through warcio, broken records spliced in by
    hand; remembers where each broken record starts and why it is broken."""

    def __init__(self, gzipped: bool) -> None:
        self.out = io.BytesIO()
        self.gzipped = gzipped
        self.writer = WARCWriter(self.out, gzip=gzipped)
        self.broken: list[tuple[int, str]] = []  # (offset, error fragment)
        self.records = 0
        self.kept = 0

    def page(self, url: str, fetched: tuple[int, list[tuple[str, str]], bytes]) -> None:
        status, headers, body = fetched
        http = StatusAndHeaders(f"{status} OK", headers, protocol="HTTP/1.1")
        self.writer.write_record(self.writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=http))
        self.records += 1
        self.kept += 1

    def bad(self, record: bytes, fragment: str, *, cut: int | None = None) -> None:
        """`record` (a gzip member of it in a gzipped archive, cut to `cut` bytes)."""
        self.broken.append((self.out.tell(), fragment))
        data = gzip.compress(record) if self.gzipped else record
        self.out.write(data[:cut])
        self.records += 1

    def info(self) -> None:
        self.writer.write_record(self.writer.create_warcinfo_record("test", {"software": "t"}))
        self.records += 1


def _build_archives(base: str, pages: dict[str, tuple]) -> dict[str, _Archive]:
    urls = list(pages)
    a = _Archive(gzipped=True)
    a.info()
    a.page(urls[0], pages[urls[0]])
    a.bad(_raw_record(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + b"<p>cut</p>" * 500,
                      f"{base}/truncated.html"), "gzip", cut=80)
    a.page(urls[1], pages[urls[1]])
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
    a.bad(_raw_record(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip"
                      b"\r\n\r\n" + bomb, f"{base}/bomb.html"), "decompression bomb")
    a.page(urls[2], pages[urls[2]])
    a.bad(_raw_record(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>old</p>",
                      f"{base}/old.html", version="WARC/0.17"), "'WARC/0.17' is not a WARC")
    a.page(urls[3], pages[urls[3]])

    b = _Archive(gzipped=False)
    b.page(urls[4], pages[urls[4]])
    liar = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>liar</p>"
    b.bad(_raw_record(liar, f"{base}/liar.html", length=len(liar) + 40), "does not end")
    b.page(urls[5], pages[urls[5]])
    b.bad(_raw_record(b"this is not an HTTP response at all\r\n\r\n", f"{base}/nothttp.html"),
          "not one")
    b.page(urls[6], pages[urls[6]])
    b.bad(_raw_record(b"HTTP/1.1 200 OK\r\n\r\n<p>huge</p>", f"{base}/huge.html",
                      length=TEN_GB), str(TEN_GB))
    b.page(urls[7], pages[urls[7]])

    streamed = _Archive(gzipped=True)
    streamed.page(urls[8], pages[urls[8]])
    resumed = _Archive(gzipped=True)
    resumed.page(urls[9], pages[urls[9]])
    # incompressible filler, so that the break comes after the stream has handed on bytes
    resumed.writer.write_record(resumed.writer.create_warc_record(
        f"{base}/filler.bin", "resource", payload=io.BytesIO(random.Random(0).randbytes(RESUMED)),
        warc_headers_dict={"Content-Type": "application/octet-stream"}))
    resumed.records += 1
    for url in urls[10:GOOD_PAGES]:
        resumed.page(url, pages[url])
    return {"a.warc.gz": a, "b.warc": b, "streamed.warc.gz": streamed,
            "resumed.warc.gz": resumed}


def _served(data: bytes, break_at: int | None = None) -> Route:
    """The archive with Range support; with `break_at`, the first answer breaks off there
    (promising the whole file, closing the connection after `break_at` bytes)."""
    calls = {"n": 0}

    def route(h: BaseHTTPRequestHandler) -> None:
        calls["n"] += 1
        wanted = re.fullmatch(r"bytes=(\d+)-", h.headers.get("Range") or "")
        if break_at is not None and calls["n"] == 1:
            h.send_response(200)
            h.send_header("Content-Length", str(len(data)))
            h.send_header("Connection", "close")
            h.end_headers()
            h.wfile.write(data[:break_at])
            h.close_connection = True
            return
        if wanted is None:
            return reply(200, data)(h)
        start = int(wanted[1])
        reply(206, data[start:],
              {"Content-Range": f"bytes {start}-{len(data) - 1}/{len(data)}"})(h)
    return route


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("warc-faults")
    with served_sample_site(root) as (server, feeds):
        live = root / "live.duckdb"
        assert main(["ingest", "--db", str(live), "--feeds", str(feeds),
                     "--data-dir", str(root / "data-live")]) == 0
        urls = [u for (u,) in rows(live, "SELECT url FROM core.fact_article ORDER BY url")]
        assert len(urls) >= GOOD_PAGES
        pages = {url: fetch(url) for url in urls[:GOOD_PAGES]}
        archives = _build_archives(server.base_url, pages)
    directory = root / "archives"
    directory.mkdir()
    for name in ("a.warc.gz", "b.warc"):
        (directory / name).write_bytes(archives[name].out.getvalue())
    resumed = archives["resumed.warc.gz"].out.getvalue()
    site = Loopback({"/streamed.warc.gz": _served(archives["streamed.warc.gz"].out.getvalue()),
                     "/resumed.warc.gz": _served(resumed, break_at=2 * len(resumed) // 3)})
    db = root / "warc.duckdb"
    with site.running():
        urls_of = {name: site.url(f"/{name}") for name in ("streamed.warc.gz",
                                                           "resumed.warc.gz", "gone.warc.gz")}
        code = main(["backfill", "--source", "warc", str(directory), *urls_of.values(),
                     "--db", str(db), "--feeds", str(feeds),
                     "--data-dir", str(root / "data-warc")])
    yield {"code": code, "db": db, "live": live, "good": list(pages), "archives": archives,
           "dir": directory, "urls": urls_of, "hits": site.hits, "seen": site.headers_seen}


def _archive_name(archive: str) -> str:
    return archive.rsplit("/", 1)[-1]


def test_run_is_partial(outcome: dict) -> None:
    assert outcome["code"] == 3


def test_every_good_page_loads_as_ingest_loads_it(outcome: dict) -> None:
    good = outcome["good"]
    expected = [r for r in rows(outcome["live"], ARTICLES) if r[2] in good]
    assert len(expected) == GOOD_PAGES
    assert rows(outcome["db"], ARTICLES) == expected


def test_each_broken_record_is_logged_at_its_offset(outcome: dict) -> None:
    found = rows(outcome["db"], "SELECT archive, archive_offset, error FROM raw.fetch_log "
                                 "WHERE kind = 'warc' AND records_read IS NULL")
    logged = {(_archive_name(a), offset): error for a, offset, error in found}
    expected = {(name, offset): fragment for name, archive in outcome["archives"].items()
                for offset, fragment in archive.broken}
    assert len(expected) == 6
    assert set(logged) == set(expected)
    assert len(found) == len(logged)  # each once
    for key, fragment in expected.items():
        assert logged[key] and fragment in logged[key], (key, logged[key])
    for archive, _, _ in found:
        assert Path(archive).parent == outcome["dir"]


def test_each_archive_has_a_summary_row(outcome: dict) -> None:
    found = rows(outcome["db"], "SELECT archive, records_read, records_kept, error "
                                 "FROM raw.fetch_log WHERE kind = 'warc' "
                                 "AND records_read IS NOT NULL")
    summaries = {_archive_name(a): (read, kept, error) for a, read, kept, error in found}
    assert len(found) == len(summaries) == 5
    for name, archive in outcome["archives"].items():
        assert summaries[name] == (archive.records, archive.kept, None), name
    read, kept, error = summaries["gone.warc.gz"]
    assert (read, kept) == (0, 0)
    assert error and "HTTP 404" in error
    assert [a for a, *_ in found if a.endswith("gone.warc.gz")] == [outcome["urls"][
        "gone.warc.gz"]]


def test_archives_at_urls_are_streamed_and_resumed(outcome: dict) -> None:
    hits, seen = outcome["hits"], outcome["seen"]
    assert hits["/streamed.warc.gz"] == 1
    assert "range" not in {k.lower() for k in seen["/streamed.warc.gz"]}
    # broken off two thirds in: resumed from where it stopped, not read again from the start
    assert hits["/resumed.warc.gz"] == 2
    resumed = outcome["archives"]["resumed.warc.gz"].out.getvalue()
    headers = {k.lower(): v for k, v in seen["/resumed.warc.gz"].items()}
    resumed_at = re.fullmatch(r"bytes=(\d+)-", headers.get("range", ""))
    assert resumed_at and 0 < int(resumed_at[1]) <= 2 * len(resumed) // 3, headers
    pages = rows(outcome["db"], "SELECT archive, count(*) FROM raw.fetch_log "
                                 "WHERE kind = 'page' AND error IS NULL GROUP BY archive")
    by_name = {_archive_name(a): n for a, n in pages}
    assert by_name == {name: archive.kept for name, archive in outcome["archives"].items()}


def _feeds_file(tmp_path: Path) -> Path:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('[[feed]]\nname = "world"\nurl = "http://example.com/rss.xml"\n'
                     'profile = "xinhua"\n', encoding="utf-8")
    return feeds


@pytest.mark.parametrize(("arguments", "message"), [
    (["--source", "warc", "{missing}"], "no such file or directory"),
    (["--source", "warc", "{empty}"], "no web archives"),
    (["--source", "raw"], "needs both --start and --end"),
    (["--source", "warc", "--start", "2024-03-01", "{archive}"], "both --start and --end"),
    (["--source", "raw", "--start", "2024-03-01", "--end", "2024-03-02", "{archive}"],
     "for --source warc"),
])
def test_usage_errors_stop_before_anything_runs(tmp_path: Path, arguments: list[str],
                                                message: str, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def starts(*_: object) -> None:
        raise AssertionError("the run started: the usage error was not caught before")

    monkeypatch.setattr("flows.cli.check_spacy_model", starts)
    (tmp_path / "empty").mkdir()
    archive = tmp_path / "a.warc"
    archive.write_bytes(b"")
    places = {"missing": str(tmp_path / "nowhere.warc.gz"), "empty": str(tmp_path / "empty"),
              "archive": str(archive)}
    db = tmp_path / "w.duckdb"
    code = main(["backfill", *(a.format(**places) for a in arguments), "--db", str(db),
                 "--feeds", str(_feeds_file(tmp_path)), "--data-dir", str(tmp_path / "data")])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not db.exists()
