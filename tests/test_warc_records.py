"""transforms/warc.py: one archived record to the page it holds, or why it holds none; the
body's content coding undone under a cap, so that a compression bomb costs at most the cap."""

from __future__ import annotations

import gzip
import importlib.util
import io
import tracemalloc
import zlib
from datetime import UTC, datetime

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from transforms.warc import (
    ArchivedResponse,
    ArchiveRecord,
    HostFeeds,
    RecordError,
    decode_content,
    host_key,
    in_window,
    read_response,
)
from warehouse.archive_reader import read_archive

URL = "http://example.com/news/a.html"
HTML = b"<html><body><p>An archived page.</p></body></html>"
MB = 1024 * 1024


def _record(http: bytes, *, version: str = "WARC/1.0", kind: str = "response",
            uri: str = URL, date: str = "2024-03-01T12:00:00Z",
            content_type: str = "application/http; msgtype=response") -> ArchiveRecord:
    header = (f"{version}\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n"
              f"WARC-Date: {date}\r\n"
              "WARC-Record-ID: <urn:uuid:12345678-1234-1234-1234-123456789012>\r\n"
              f"Content-Type: {content_type}\r\nContent-Length: {len(http)}\r\n\r\n")
    return ArchiveRecord(0, "warc", header.encode(), http)


def _http(body: bytes, *headers: tuple[str, str], status: str = "200 OK",
          content_type: str = "text/html") -> bytes:
    lines = "".join(f"{k}: {v}\r\n" for k, v in (("Content-Type", content_type), *headers))
    return f"HTTP/1.1 {status}\r\n{lines}\r\n".encode() + body


def _page(record: ArchiveRecord, max_body_bytes: int = MB) -> ArchivedResponse:
    response = read_response(record, max_body_bytes)
    assert isinstance(response, ArchivedResponse), response
    return response


def test_a_warcio_response_record_is_read() -> None:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                            protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(URL, "response", payload=io.BytesIO(HTML),
                                                  http_headers=http))
    (record,) = read_archive(io.BytesIO(out.getvalue()))
    assert isinstance(record, ArchiveRecord)
    page = _page(record)
    assert (page.url, page.http_status, page.content_type, page.body) == (
        URL, 200, "text/html; charset=utf-8", HTML)
    assert page.captured_at.tzinfo is not None


def test_records_that_are_not_responses() -> None:
    for kind in ("request", "metadata", "warcinfo", "resource", "revisit"):
        assert read_response(_record(_http(HTML), kind=kind), MB) == "not_response", kind


def test_a_response_whose_payload_is_not_http() -> None:
    # not declared as HTTP (a resource-like response): passed over
    assert read_response(_record(HTML, content_type="text/html"), MB) == "not_http"
    # declared application/http, and not: a damaged record
    for payload in (b"garbage here!!!\r\n\r\nnot http", b"", HTML):
        with pytest.raises(RecordError, match="not one"):
            read_response(_record(payload), MB)


def test_a_response_that_is_not_html() -> None:
    assert read_response(_record(_http(b"\x89PNG", content_type="image/png")),
                         MB) == "not_html"
    no_type = b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabcd"
    assert read_response(_record(no_type), MB) == "not_html"
    xhtml = _http(HTML, content_type="application/xhtml+xml; charset=utf-8")
    assert _page(_record(xhtml)).body == HTML


@pytest.mark.parametrize("version", ["WARC/0.17", "WARC/2.0", "WARC/0.18"])
def test_other_warc_versions_are_refused_by_name(version: str) -> None:
    with pytest.raises(RecordError, match=version.replace(".", r"\.")):
        read_response(_record(_http(HTML), version=version), MB)


def test_warc_1_1_is_read() -> None:
    assert _page(_record(_http(HTML), version="WARC/1.1")).body == HTML


def test_a_gzip_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(b"\0" * (50 * MB), compresslevel=9)
    assert len(bomb) < MB
    record = _record(_http(bomb, ("Content-Encoding", "gzip")))
    tracemalloc.start()
    try:
        with pytest.raises(RecordError, match="bomb"):
            read_response(record, MB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * MB  # never the 50 MB it inflates to


def test_a_body_over_the_cap_before_decoding() -> None:
    with pytest.raises(RecordError, match="limit"):
        read_response(_record(_http(b"x" * 2000)), 1000)


def test_gzip_and_deflate_bodies_are_decoded() -> None:
    raw_deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    raw = raw_deflate.compress(HTML) + raw_deflate.flush()
    for coding, body in (("gzip", gzip.compress(HTML)), ("x-gzip", gzip.compress(HTML)),
                         ("deflate", zlib.compress(HTML)), ("deflate", raw),
                         ("identity", HTML), ("gzip, identity", gzip.compress(HTML))):
        assert _page(_record(_http(body, ("Content-Encoding", coding)))).body == HTML, coding
    assert decode_content(gzip.compress(zlib.compress(HTML)), "deflate, gzip", MB) == HTML


def test_bad_content_codings_are_record_errors() -> None:
    with pytest.raises(RecordError, match="does not decompress"):
        decode_content(b"not gzip at all", "gzip", MB)
    with pytest.raises(RecordError, match="not supported"):
        decode_content(HTML, "compress", MB)
    with pytest.raises(RecordError, match="bomb"):
        decode_content(zlib.compress(b"a" * (4 * MB)), "deflate", MB)


@pytest.mark.skipif(importlib.util.find_spec("brotli") is None,
                    reason="the brotli package is not installed (br bodies need it)")
def test_brotli_bodies_are_decoded_under_the_cap() -> None:
    import brotli

    assert _page(_record(_http(brotli.compress(HTML), ("Content-Encoding", "br")))).body == HTML
    bomb = brotli.compress(b"\0" * (50 * MB))
    with pytest.raises(RecordError, match="bomb"):
        read_response(_record(_http(bomb, ("Content-Encoding", "br"))), MB)


def test_chunked_transfer_coding_is_undone() -> None:
    chunked = b"4\r\n<htm\r\n3\r\nl>x\r\n0\r\n\r\n"
    page = _page(_record(_http(chunked, ("Transfer-Encoding", "chunked"))))
    assert page.body == b"<html>x"
    gz = gzip.compress(HTML)
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(gz[i:i + 10]), gz[i:i + 10])
                      for i in range(0, len(gz), 10)) + b"0\r\n\r\n"
    both = _http(chunks, ("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip"))
    assert _page(_record(both)).body == HTML


def test_target_uri_with_angle_brackets_and_the_capture_date() -> None:
    page = _page(_record(_http(HTML), uri=f"<{URL}>", date="2024-03-01T12:30:05+02:00"))
    assert page.url == URL
    assert page.captured_at == datetime(2024, 3, 1, 10, 30, 5, tzinfo=UTC)
    assert _page(_record(_http(HTML), date="2024-03-01T12:00:00")).captured_at.tzinfo == UTC


def test_records_without_a_usable_uri_or_date() -> None:
    with pytest.raises(RecordError, match="WARC-Target-URI"):
        read_response(_record(_http(HTML), uri="<>"), MB)
    with pytest.raises(RecordError, match="WARC-Date"):
        read_response(_record(_http(HTML), date="yesterday"), MB)


def test_http_status_is_kept() -> None:
    assert _page(_record(_http(HTML, status="404 Not Found"))).http_status == 404


def test_an_arc_record_is_read_as_a_response() -> None:
    record = ArchiveRecord(0, "arc", f"{URL} 127.0.0.1 20240301120000 text/html 99\n".encode(),
                           _http(HTML))
    page = _page(record)
    assert (page.url, page.captured_at, page.body) == (
        URL, datetime(2024, 3, 1, 12, tzinfo=UTC), HTML)
    dns = ArchiveRecord(0, "arc", b"dns:example.com 127.0.0.1 20240301120000 text/dns 20\n",
                        b"example.com. 1 IN A 1.2.3.4")
    assert read_response(dns, MB) == "not_response"
    with pytest.raises(RecordError, match="ARC"):
        read_response(ArchiveRecord(0, "arc", b"http://x/ 1.2.3.4 yesterday text/html 5\n",
                                    b"HTTP/"), MB)


def test_host_key() -> None:
    assert host_key("http://Example.COM:80/a") == "example.com"
    assert host_key("https://example.com:443/a") == "example.com"
    assert host_key("https://example.com:8443/a") == "example.com:8443"
    assert host_key("http://example.com:443/a") == "example.com:443"
    assert host_key("ftp://example.com/a") is None
    assert host_key("http://example.com:notaport/") is None
    assert host_key("dns:example.com") is None


def test_host_feeds() -> None:
    hosts = HostFeeds({"example.com": "world", "127.0.0.1:8080": "local"})
    assert hosts.feed_for("http://EXAMPLE.com/x") == "world"
    assert hosts.feed_for("https://example.com/y") == "world"
    assert hosts.feed_for("http://127.0.0.1:8080/z") == "local"
    assert hosts.feed_for("http://127.0.0.1/z") is None
    assert hosts.feed_for("http://elsewhere.example/") is None
    assert hosts.feed_for("mailto:a@example.com") is None


def test_in_window() -> None:
    start, end = datetime(2024, 3, 1, tzinfo=UTC), datetime(2024, 3, 2, tzinfo=UTC)
    assert in_window(None, None) and in_window(start, None)
    assert in_window(start, (start, end))
    assert not in_window(end, (start, end))
    assert not in_window(None, (start, end))
    assert in_window(datetime(2024, 3, 1, 23, 59, tzinfo=UTC), (start, end))
