"""WARC backfill: reading a web archive, and `newswire backfill --source warc` against the
NER bound, on this machine.

    python benchmarks/warc_backfill.py [--articles 10000] [--others 10000] [--plain] [--keep DIR]
                                       [--other-page-kb KB] [--read-only]

1. Generates N Xinhua-style articles (benchmarks/corpus.py) and writes them, with warcio,
   into one gzip-per-record WARC (the shape of Common Crawl's CC-NEWS files), among M records
   that must be passed over, in turn: HTML responses on other hosts, request records and
   non-HTML responses (images, JSON, stylesheets); a warcinfo record opens it. The articles'
   URLs are on the host of the feeds of the feeds.toml written beside it (never served: a
   warc backfill fetches nothing). With --plain, also an uncompressed copy. With
   --other-page-kb, the other hosts' pages are made that large (real news pages are larger
   than the generated articles), for the MB/s of reading.
2. Read + filter alone, in this process (no Prefect, no workers): the archive framed by
   warehouse.archive_reader, each record read by transforms.warc.read_response, the pages on
   a feed's host kept as the flow keeps them: records/s and MB/s of the file. --read-only
   stops here.
3. The bare bound, as benchmarks/throughput.py measures it: nlp.pipe with the model's `ner`
   pipe alone over the articles' clean bodies, on all cores.
4. End to end: `newswire backfill --source warc FILE` as a user runs it (the local Dask
   cluster, NEWSWIRE_WORKERS unset), timed whole and from its first progress line, with the
   peak RSS of its process tree; what raw.fetch_log recorded for the archive.
5. An immediate rerun, which adds nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import feeds_toml, write_corpus  # noqa: E402
from benchmarks.throughput import (  # noqa: E402
    _describe,
    _ratios,
    bare_bound,
    create_prefect_database,
    run_cli,
)
from flows.settings import load_feeds, prefect_environment, resolve_settings  # noqa: E402
from flows.warc_backfill import feeds_by_host  # noqa: E402
from transforms.records import FeedConfig  # noqa: E402
from transforms.urls import article_id_for, canonicalize_url  # noqa: E402
from transforms.warc import HostFeeds, RecordError, read_response  # noqa: E402
from warehouse.archive_reader import DamagedRecord, read_archive  # noqa: E402

# a reserved name (RFC 2606): nothing here can reach a real site, and nothing tries
AGENCY = "http://english.news.example"
CAPTURED_FROM = datetime(2025, 6, 1, tzinfo=UTC)
WORK_START = ("archived pages: ",)  # the warc backfill's first progress line
NOT_HTML = (("image/jpeg", 24_000), ("application/json", 2_500), ("text/css", 6_000))


@dataclass(slots=True)
class WarcContents:
    """What a generated archive holds, by what the backfill must do with each record."""

    path: Path
    articles: int = 0
    skips: Counter[str] = field(default_factory=Counter)  # by transforms.warc's reason

    @property
    def records(self) -> int:
        return self.articles + sum(self.skips.values())


def _response(writer: WARCWriter, url: str, when: datetime, content_type: str,
              body: bytes) -> None:
    http = StatusAndHeaders("200 OK", [("Content-Type", content_type),
                                       ("Content-Length", str(len(body)))],
                            protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), http_headers=http,
        warc_headers_dict={"WARC-Date": f"{when:%Y-%m-%dT%H:%M:%SZ}"}))


def _other(writer: WARCWriter, n: int, when: datetime, pages: list[bytes],
           rng: random.Random, contents: WarcContents, page_bytes: int) -> None:
    """The n-th record to pass over: another site's page (an article page, or the pages
    that follow it joined and cut at `page_bytes` if that is larger), a request, or not HTML."""
    kind = n % 3
    if kind == 0:
        body = pages[n % len(pages)]
        if page_bytes > len(body):
            joined = b"".join(pages[(n + k) % len(pages)]
                              for k in range(page_bytes // len(body) + 2))
            body = joined[:page_bytes]
        _response(writer, f"https://site{n % 97}.example/news/{n}.html", when,
                  "text/html; charset=utf-8", body)
        contents.skips["other_host"] += 1
    elif kind == 1:
        path = f"/news/{n}.html"
        writer.write_record(writer.create_warc_record(
            f"https://site{n % 97}.example{path}", "request",
            payload=io.BytesIO(f"GET {path} HTTP/1.1\r\nHost: site{n % 97}.example\r\n"
                               "User-Agent: benchmark\r\n\r\n".encode()),
            warc_headers_dict={"WARC-Date": f"{when:%Y-%m-%dT%H:%M:%SZ}",
                               "Content-Type": "application/http; msgtype=request"}))
        contents.skips["not_response"] += 1
    else:
        content_type, size = NOT_HTML[(n // 3) % len(NOT_HTML)]
        suffix = content_type.rsplit("/", 1)[1]
        _response(writer, f"{AGENCY}/static/{n}.{suffix}", when, content_type,
                  rng.randbytes(size))
        contents.skips["not_html"] += 1


def write_warc(out: Path, site: Path, others: int, *, gzipped: bool = True,
               other_page_bytes: int = 0, seed: int = 7) -> WarcContents:
    """Every article page under `site` (benchmarks/corpus.py's layout) as a response on the
    agency's host, with `others` records to pass over spread evenly between them."""
    page_paths = sorted(site.rglob("c.html"))
    pages = [p.read_bytes() for p in page_paths]
    if not pages:
        raise ValueError(f"no article pages (c.html) under {site}")
    rng = random.Random(seed)
    contents = WarcContents(out)
    with out.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(
            out.name, {"software": "newswire benchmarks/warc_backfill.py"}))
        contents.skips["not_response"] += 1
        written = 0
        for i, (path, body) in enumerate(zip(page_paths, pages, strict=True)):
            when = CAPTURED_FROM + timedelta(seconds=30 * i)
            _response(writer, f"{AGENCY}/{path.relative_to(site).as_posix()}", when,
                      "text/html; charset=utf-8", body)
            contents.articles += 1
            # the others this slot gets: an even share, so they are spread over the file
            for n in range(written, (i + 1) * others // len(pages)):
                _other(writer, n, when, pages, rng, contents, other_page_bytes)
            written = (i + 1) * others // len(pages)
    return contents


@dataclass(slots=True)
class ReadTally:
    records: int = 0
    kept: int = 0
    unreadable: int = 0
    skips: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


def read_and_filter(path: Path, configs: dict[str, FeedConfig],
                    max_body_bytes: int) -> ReadTally:
    """Frame `path`, read every record and keep the pages on a feed's host, as the warc
    backfill does before handing pages to its workers (its selection, minus the set of
    article ids already taken)."""
    hosts = HostFeeds(feeds_by_host(configs))
    tally = ReadTally()
    started = time.perf_counter()
    with path.open("rb") as stream:
        for record in read_archive(stream):
            tally.records += 1
            if isinstance(record, DamagedRecord):
                tally.unreadable += 1
                continue
            try:
                response = read_response(record, max_body_bytes)
            except RecordError:
                tally.unreadable += 1
                continue
            if isinstance(response, str):
                tally.skips[response] += 1
            elif hosts.feed_for(response.url) is None:
                tally.skips["other_host"] += 1
            elif not 200 <= response.http_status < 300:
                tally.skips["not_2xx"] += 1
            else:
                article_id_for(canonicalize_url(response.url))
                hashlib.sha256(response.body).hexdigest()
                tally.kept += 1
    tally.seconds = time.perf_counter() - started
    return tally


def _check(name: str, tally: ReadTally, contents: WarcContents) -> bool:
    size = contents.path.stat().st_size
    print(f"read + filter, {name} ({size / 1e6:.1f} MB): {tally.records} records in "
          f"{tally.seconds:.2f} s = {tally.records / tally.seconds:,.0f} records/s, "
          f"{size / 1e6 / tally.seconds:.1f} MB/s; kept {tally.kept}, passed over "
          f"{dict(tally.skips)}, unreadable {tally.unreadable}")
    expected = (contents.records, contents.articles, contents.skips, 0)
    if (tally.records, tally.kept, tally.skips, tally.unreadable) != expected:
        print(f"  MISMATCH: the archive holds {contents.records} records, "
              f"{contents.articles} articles, {dict(contents.skips)} to pass over")
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--others", type=int, default=10000,
                        help="records to pass over (other hosts, requests, not HTML)")
    parser.add_argument("--plain", action="store_true",
                        help="also read an uncompressed copy of the archive (read + filter)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="work in DIR and keep it (corpus, archives, warehouse)")
    parser.add_argument("--other-page-kb", type=int, default=0, metavar="KB",
                        help="make the other hosts' pages this large (default: as generated)")
    parser.add_argument("--read-only", action="store_true",
                        help="measure reading and selecting only (no backfill, no bound)")
    opts = parser.parse_args()
    if opts.articles < 1 or opts.others < 0:
        parser.error("--articles must be at least 1 and --others at least 0")
    cores = os.cpu_count() or 1
    if opts.keep:
        opts.keep.mkdir(parents=True, exist_ok=True)
        work = opts.keep
    else:
        work = Path(tempfile.mkdtemp(prefix="newswire-warc-bench-"))
    try:
        return _run(opts, work, cores)
    finally:
        if not opts.keep:
            shutil.rmtree(work, ignore_errors=True)


def _run(opts: argparse.Namespace, work: Path, cores: int) -> int:
    started = time.monotonic()
    feeds = write_corpus(work / "site", opts.articles)
    (work / "feeds.toml").write_text(feeds_toml(feeds, AGENCY), encoding="utf-8")
    archive = write_warc(work / "archive.warc.gz", work / "site", opts.others,
                         other_page_bytes=opts.other_page_kb * 1024)
    print(f"generated in {time.monotonic() - started:.1f} s: {archive.records} records "
          f"({archive.articles} articles on {AGENCY}, passed over {dict(archive.skips)}), "
          f"{archive.path.stat().st_size / 1e6:.1f} MB gzip-per-record")
    settings = resolve_settings(db=work / "warc.duckdb", feeds=work / "feeds.toml",
                                data_dir=work / "data")
    configs = {f.name: f for f in load_feeds(settings)}
    ok = _check("gzip per record", read_and_filter(archive.path, configs,
                                                   settings.http.max_body_bytes), archive)
    if opts.plain:
        plain = write_warc(work / "archive.warc", work / "site", opts.others, gzipped=False,
                           other_page_bytes=opts.other_page_kb * 1024)
        ok &= _check("plain", read_and_filter(plain.path, configs,
                                              settings.http.max_body_bytes), plain)
    if not ok or opts.read_only:
        return 0 if ok else 1

    prefect_home = work / "prefect"
    prefect_home.mkdir(exist_ok=True)
    env = {**prefect_environment(settings), **os.environ, "PREFECT_HOME": str(prefect_home)}
    print(f"Prefect database created once, before timing (a deployment's first run does "
          f"this): {create_prefect_database(env):.1f} s")
    model = os.environ.get("NEWSWIRE_SPACY_MODEL") or None
    bound_s, words, docs = bare_bound(work / "site", model, cores)
    print(f"bare bound: nlp.pipe on {cores} processes: {bound_s:.1f} s "
          f"({words / bound_s:,.0f} words/s, {docs} articles of {words / docs:.0f} words)")
    args = ["backfill", "--source", "warc", str(archive.path), "--db", str(settings.warehouse.path),
            "--feeds", str(settings.feeds_path), "--data-dir", str(settings.data_dir)]
    first = run_cli(args, env, WORK_START)
    print(_describe("backfill --source warc", first))
    print(f"pages/s (after start-up) {archive.articles / float(first['work_s']):.1f}; "
          + _ratios(first, bound_s))
    with duckdb.connect(str(settings.warehouse.path), read_only=True) as con:
        logged = con.execute("SELECT records_read, records_kept, error FROM raw.fetch_log "
                             "WHERE kind = 'warc'").fetchall()
        articles = con.execute("SELECT count(*) FROM core.fact_article").fetchone()
    print(f"raw.fetch_log 'warc' rows (records_read, records_kept, error): {logged}; "
          f"core.fact_article: {articles[0] if articles else 0} rows")
    rerun = run_cli(args, env, WORK_START)
    print(_describe("rerun", rerun))
    with duckdb.connect(str(settings.warehouse.path), read_only=True) as con:
        new = con.execute("SELECT articles_new FROM core.etl_run "
                          "ORDER BY started_at DESC LIMIT 1").fetchone()
    print(f"rerun: {float(rerun['total_s']):.1f} s, {float(rerun['work_s']):.1f} s after "
          f"start-up, articles new {new[0] if new else None}")
    return 0 if first["exit"] == 0 and rerun["exit"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
