"""Web-archive records (WARC, ARC) to the pages newswire processes: pure, bytes in.

warehouse/archive_reader.py frames an archive into records; this module reads one record:
its WARC headers and HTTP response with FastWARC, the body decoded here under a size cap,
and decides whether the page is one to load (an HTML response on a configured feed's host,
in the date window). An ARC record is read as the WARC response it would be.

FastWARC decodes a gzip or brotli Content-Encoding eagerly and whole (measured: a 2 MB gzip
bomb in a record took 5.2 s and 2 GB of memory before the first byte could be read), so it
only undoes the chunked transfer coding here; the content coding is undone by a streaming
decoder that stops at `max_body_bytes`, like the HTTP client's.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urlsplit

import brotli
from fastwarc.warc import WarcRecord, WarcRecordType

READ_VERSIONS = ("WARC/1.0", "WARC/1.1")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class RecordError(Exception):
    """A record that cannot be read: malformed headers or HTTP, a body over the cap."""


@dataclass(frozen=True, slots=True)
class ArchiveRecord:
    """One record as framed in its archive: `header` (the WARC header block, or an ARC
    record's header line) and `block` (its content), `fmt` saying which."""

    offset: int  # the record's first byte in the archive, or its gzip member's
    fmt: Literal["warc", "arc"]
    header: bytes
    block: bytes


@dataclass(frozen=True, slots=True)
class ArchivedResponse:
    """An HTTP response kept in an archive, its body decoded."""

    url: str
    captured_at: datetime  # WARC-Date (ARC: the archive date), UTC
    http_status: int
    content_type: str | None
    body: bytes


SkipReason = Literal["not_response", "not_http", "not_html", "other_host", "outside_window"]


@dataclass(frozen=True, slots=True)
class HostFeeds:
    """Which pages of an archive to keep: those on a configured feed's host (and that feed's
    profile reads them), or with `all_hosts` every HTML page (the generic profile)."""

    feeds_by_host: Mapping[str, str]  # host key (see host_key) -> feed name
    all_hosts: bool = False

    def feed_for(self, url: str) -> str | None:
        key = host_key(url)
        return self.feeds_by_host.get(key) if key else None


def host_key(url: str) -> str | None:
    """`host[:port]` lower-cased, with the scheme's default port left out, so that
    http://Example.com:80/a and http://example.com/b share a host; None if not http(s)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
        return None
    if port is None or port == _DEFAULT_PORTS[parts.scheme.lower()]:
        return parts.hostname.lower()
    return f"{parts.hostname.lower()}:{port}"


def warc_version(header: bytes) -> str:
    return header.split(b"\r\n", 1)[0].split(b"\n", 1)[0].strip().decode("ascii", "replace")


def read_response(record: ArchiveRecord, max_body_bytes: int) -> ArchivedResponse | SkipReason:
    """The HTTP response `record` holds, or why it holds none worth reading. Raises
    RecordError for a record that is damaged or over the size cap."""
    if record.fmt == "arc":
        return _read_arc(record, max_body_bytes)
    version = warc_version(record.header)
    if version not in READ_VERSIONS:
        raise RecordError(f"{version[:20]!r} is not a WARC version newswire reads "
                          f"({', '.join(READ_VERSIONS)} or ARC)")
    try:
        warc = WarcRecord.from_bytes(record.header + record.block + b"\r\n\r\n")
    except OSError as exc:
        raise RecordError(f"malformed WARC record: {exc}") from exc
    if warc.record_type != WarcRecordType.response:
        return "not_response"
    url = _target_uri(warc.headers.get("WARC-Target-URI"))
    if url is None:
        raise RecordError("response record without a WARC-Target-URI")
    captured_at = _warc_date(warc.headers.get("WARC-Date"))
    return _http_response(warc, url, captured_at, max_body_bytes)


def _http_response(warc: WarcRecord, url: str, captured_at: datetime,
                   max_body_bytes: int) -> ArchivedResponse | SkipReason:
    if not warc.is_http:
        return "not_http"
    try:
        warc.parse_http(auto_decode="transfer")
    except OSError as exc:
        raise RecordError(f"malformed HTTP response: {exc}") from exc
    headers = warc.http_headers
    if headers is None or not headers.status_code:
        # the record says application/http and holds something else: damaged, not passed over
        raise RecordError("payload declared as an HTTP response (application/http) is not "
                          "one")
    content_type = headers.get("Content-Type")
    if not _is_html(content_type):
        return "not_html"
    raw = warc.reader.read(max_body_bytes + 1)
    if len(raw) > max_body_bytes:
        raise RecordError(f"HTTP body over the {max_body_bytes}-byte limit")
    body = decode_content(raw, headers.get("Content-Encoding"), max_body_bytes)
    return ArchivedResponse(url, captured_at, int(headers.status_code), content_type, body)


def _is_html(content_type: str | None) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media in _HTML_TYPES


def _target_uri(value: str | None) -> str | None:
    # WARC/1.0 writers disagree on angle brackets around the URI (WARC/1.1 dropped them)
    uri = (value or "").strip().removeprefix("<").removesuffix(">").strip()
    return uri or None


def _warc_date(value: str | None) -> datetime:
    text = (value or "").strip()
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise RecordError(f"WARC-Date {text[:40]!r} is not an ISO 8601 date") from exc
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def decode_content(raw: bytes, encoding: str | None, max_bytes: int) -> bytes:
    """Undo the HTTP content coding(s) of `raw`, stopping past `max_bytes` of output
    (RecordError), so that a compression bomb costs at most that much."""
    body = raw
    codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
    for coding in reversed(codings):  # applied in order, so undone in reverse
        if coding in ("identity", ""):
            continue
        if coding in ("gzip", "x-gzip", "deflate"):
            body = _inflate(body, coding, max_bytes)
        elif coding == "br":
            body = _unbrotli(body, max_bytes)
        else:
            raise RecordError(f"content encoding {coding!r} is not supported")
    return body


def _inflate(data: bytes, coding: str, max_bytes: int) -> bytes:
    # deflate is zlib-wrapped by the standard and raw by many servers: auto-detect both
    wbits = 16 + zlib.MAX_WBITS if coding != "deflate" else (
        zlib.MAX_WBITS if data[:1] == b"\x78" else -zlib.MAX_WBITS)
    try:
        inflater = zlib.decompressobj(wbits)
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise RecordError(f"{coding} body does not decompress: {exc}") from exc
    if len(out) > max_bytes:
        raise RecordError(f"{coding} body inflates past the {max_bytes}-byte limit "
                          f"(from {len(data)} bytes: a decompression bomb?)")
    return out


def _unbrotli(data: bytes, max_bytes: int) -> bytes:
    decoder = brotli.Decompressor()
    out = bytearray()
    try:
        # brotli's Decompressor has no output cap: feed it slices, so a bomb is stopped
        # after at most one slice's expansion past the limit
        for start in range(0, len(data), 4096):
            out += decoder.process(data[start:start + 4096])
            if len(out) > max_bytes:
                raise RecordError(f"br body inflates past the {max_bytes}-byte limit "
                                  f"(from {len(data)} bytes: a decompression bomb?)")
    except brotli.error as exc:
        raise RecordError(f"br body does not decompress: {exc}") from exc
    return bytes(out)


_ARC_DATE = re.compile(rb"\d{14}")


def _read_arc(record: ArchiveRecord, max_body_bytes: int) -> ArchivedResponse | SkipReason:
    """An ARC record (header line `URL IP DATE TYPE [...] LENGTH`) read through FastWARC as
    the WARC response record it would be."""
    fields = record.header.split()
    if len(fields) < 5 or not _ARC_DATE.fullmatch(fields[2]):
        raise RecordError("malformed ARC record header")
    url = fields[0].decode("utf-8", "replace")
    if not url.lower().startswith(("http://", "https://")):
        return "not_response"
    try:
        captured_at = datetime.strptime(fields[2].decode(), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError as exc:  # fourteen digits, but no date (a month 13)
        raise RecordError(f"ARC record date {fields[2][:14]!r} is not a date") from exc
    header = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n"
              f"WARC-Date: {captured_at:%Y-%m-%dT%H:%M:%SZ}\r\n"
              f"Content-Type: application/http; msgtype=response\r\n"
              f"Content-Length: {len(record.block)}\r\n\r\n").encode()
    try:
        warc = WarcRecord.from_bytes(header + record.block + b"\r\n\r\n")
    except OSError as exc:
        raise RecordError(f"malformed ARC record: {exc}") from exc
    return _http_response(warc, url, captured_at, max_body_bytes)


def in_window(when: datetime | None, window: tuple[datetime, datetime] | None) -> bool:
    """Within [start, end); always, without a window."""
    if window is None:
        return True
    return when is not None and window[0] <= when < window[1]
