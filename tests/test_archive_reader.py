"""warehouse/archive_reader.py: archives written with warcio (a second WARC implementation),
then damaged byte by byte; each damage costs the records it touches and no other."""

from __future__ import annotations

import gzip
import io
import re
import tracemalloc
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from flows.archives import read_record_at
from flows.http_client import HttpSettings
from transforms.warc import ArchiveRecord
from warehouse.archive_reader import ArchiveLimits, DamagedRecord, read_archive

URLS = [f"http://example.com/news/{i}.html" for i in range(4)]
_URI = re.compile(rb"WARC-Target-URI: <?([^>\r\n]+)")


def _archive(gzipped: bool, urls: list[str] = URLS,
             extra_headers: dict[int, dict[str, str]] | None = None) -> tuple[bytes, list[int]]:
    """A WARC of one HTML response per URL; its bytes and each record's offset."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    offsets = []
    for i, url in enumerate(urls):
        offsets.append(out.tell())
        body = f"<html><body><p>Page {i}</p>{'text ' * 40}</body></html>".encode()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=http,
            warc_headers_dict=(extra_headers or {}).get(i)))
    return out.getvalue(), offsets


def _read(data: bytes, limits: ArchiveLimits | None = None) -> list[tuple]:
    """("ok", offset, url) per record, ("damaged", offset, reason) per damaged stretch."""
    out: list[tuple] = []
    for item in read_archive(io.BytesIO(data), limits or ArchiveLimits()):
        if isinstance(item, DamagedRecord):
            out.append(("damaged", item.offset, item.reason))
        else:
            match = _URI.search(item.header)
            out.append(("ok", item.offset,
                        match[1].decode("utf-8", "replace") if match else item.header[:40]))
    return out


def _ok(offsets: list[int], indexes: list[int]) -> list[tuple]:
    return [("ok", offsets[i], URLS[i]) for i in indexes]


def _shape(result: list[tuple]) -> list[tuple]:
    """The result with each damage reason left out (checked separately)."""
    return [(kind, offset, detail if kind == "ok" else "") for kind, offset, detail in result]


def _replace_in_member(data: bytes, offsets: list[int], index: int, old: bytes,
                       new: bytes) -> tuple[bytes, list[int]]:
    """Record `index` of a gzipped archive re-compressed with `old` replaced by `new`."""
    bounds = [*offsets, len(data)]
    member = gzip.decompress(data[bounds[index]:bounds[index + 1]])
    assert old in member
    changed = gzip.compress(member.replace(old, new, 1))
    shift = len(changed) - (bounds[index + 1] - bounds[index])
    new_offsets = [o if i <= index else o + shift for i, o in enumerate(offsets)]
    return data[:bounds[index]] + changed + data[bounds[index + 1]:], new_offsets


def _splice(data: bytes, start: int, old: bytes, new: bytes) -> bytes:
    """`data` with the first `old` at or after `start` replaced by `new`."""
    at = data.index(old, start)
    return data[:at] + new + data[at + len(old):]


def _content_length(data: bytes, start: int) -> bytes:
    match = re.compile(rb"Content-Length: (\d+)\r\n").search(data, start)
    assert match
    return match[0]


def test_intact_archives_give_every_record_at_its_offset() -> None:
    for gzipped in (True, False):
        data, offsets = _archive(gzipped)
        assert _read(data) == _ok(offsets, [0, 1, 2, 3])
        for offset in offsets:  # a record starts there: its gzip member, or its WARC/ line
            head = gzip.decompress(data[offset:])[:5] if gzipped else data[offset:offset + 5]
            assert head == b"WARC/"


def test_gzip_member_truncated_in_the_middle_costs_that_record() -> None:
    data, offsets = _archive(True)
    damaged = data[:offsets[1] + 60] + data[offsets[2]:]
    shift = offsets[2] - (offsets[1] + 60)
    result = _read(damaged)
    assert _shape(result) == [*_ok(offsets, [0]), ("damaged", offsets[1], ""),
                              ("ok", offsets[2] - shift, URLS[2]),
                              ("ok", offsets[3] - shift, URLS[3])]
    assert "gzip" in result[1][2]


def test_gzip_member_cut_at_the_end() -> None:
    data, offsets = _archive(True)
    result = _read(data[:offsets[3] + 100])
    assert _shape(result) == [*_ok(offsets, [0, 1, 2]), ("damaged", offsets[3], "")]
    assert "cut off" in result[-1][2]


def test_plain_record_cut_at_the_end() -> None:
    data, offsets = _archive(False)
    result = _read(data[:offsets[3] + 300])
    assert _shape(result) == [*_ok(offsets, [0, 1, 2]), ("damaged", offsets[3], "")]
    assert "cut off" in result[-1][2]


def test_content_length_larger_than_the_record() -> None:
    data, offsets = _archive(False)
    line = _content_length(data, offsets[1])
    length = int(line.split()[1])
    lying = _splice(data, offsets[1], line, f"Content-Length: {length + 90}\r\n".encode())
    shift = len(lying) - len(data)
    result = _read(lying)
    assert _shape(result) == [*_ok(offsets, [0]), ("damaged", offsets[1], ""),
                              ("ok", offsets[2] + shift, URLS[2]),
                              ("ok", offsets[3] + shift, URLS[3])]
    assert "does not end the record" in result[1][2]


def test_content_length_smaller_than_the_record() -> None:
    for gzipped in (False, True):
        data, offsets = _archive(gzipped)
        start = offsets[1] if not gzipped else 0
        line = _content_length(data if not gzipped else gzip.decompress(
            data[offsets[1]:offsets[2]]), start)
        length = int(line.split()[1])
        new = f"Content-Length: {length - 40}\r\n".encode()
        if gzipped:
            lying, offsets = _replace_in_member(data, offsets, 1, line, new)
        else:
            lying = _splice(data, offsets[1], line, new)
            offsets = [o if i < 2 else o + len(new) - len(line) for i, o in enumerate(offsets)]
        result = _read(lying)
        assert _shape(result) == [*_ok(offsets, [0]), ("damaged", offsets[1], ""),
                                  *_ok(offsets, [2, 3])], gzipped
        assert "does not end the record" in result[1][2]


def test_a_record_declaring_10_gb_is_skipped_without_holding_it() -> None:
    ten_gb = b"Content-Length: 10737418240\r\n"
    for gzipped in (False, True):
        data, offsets = _archive(gzipped)
        if gzipped:
            member = gzip.decompress(data[offsets[1]:offsets[2]])
            huge, offsets = _replace_in_member(data, offsets, 1,
                                               _content_length(member, 0), ten_gb)
        else:
            line = _content_length(data, offsets[1])
            huge = _splice(data, offsets[1], line, ten_gb)
            offsets = [o if i < 2 else o + len(ten_gb) - len(line)
                       for i, o in enumerate(offsets)]
        tracemalloc.start()
        try:
            result = _read(huge)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert _shape(result) == [*_ok(offsets, [0]), ("damaged", offsets[1], ""),
                                  *_ok(offsets, [2, 3])], gzipped
        assert "10737418240" in result[1][2] and "limit" in result[1][2]
        assert peak < 16 * 1024 * 1024


def test_a_record_over_the_limit_is_read_past() -> None:
    data, offsets = _archive(False)
    sizes = [int(_content_length(data, o).split()[1]) for o in offsets]
    limits = ArchiveLimits(max_record_bytes=sizes[2] - 1)
    result = _read(data, limits)
    kept = [i for i in range(4) if sizes[i] <= limits.max_record_bytes]
    assert [r for r in result if r[0] == "ok"] == _ok(offsets, kept)
    assert [r[1] for r in result if r[0] == "damaged"] == [
        offsets[i] for i in range(4) if i not in kept]


def test_garbage_between_gzip_members() -> None:
    data, offsets = _archive(True)
    # with and without what looks like a gzip header: each is one damaged stretch
    for garbage in (b"\x1f\x8b\x08\x00garbage, not deflate", b"plain garbage, no magic"):
        damaged = data[:offsets[1]] + garbage + data[offsets[1]:]
        moved = [o if i == 0 else o + len(garbage) for i, o in enumerate(offsets)]
        result = _read(damaged)
        assert _shape(result) == [*_ok(moved, [0]), ("damaged", offsets[1], ""),
                                  *_ok(moved, [1, 2, 3])], garbage
        assert "gzip" in result[1][2]


def test_garbage_between_plain_records() -> None:
    data, offsets = _archive(False)
    garbage = b"this is not a record\r\n" * 5
    damaged = data[:offsets[2]] + garbage + data[offsets[2]:]
    moved = [o if i < 2 else o + len(garbage) for i, o in enumerate(offsets)]
    result = _read(damaged)
    assert _shape(result) == [*_ok(moved, [0, 1]), ("damaged", offsets[2], ""),
                              *_ok(moved, [2, 3])]


def test_a_file_that_is_no_archive() -> None:
    for data in (b"<html>not a warc</html>\n" * 50, gzip.compress(b"just some text\n" * 50),
                 b"\x1f\x8b\x08\x00 not gzip at all"):
        result = _read(data)
        assert [r[:2] for r in result] == [("damaged", 0)], result
    assert _read(b"") == []


def test_a_header_block_over_the_limit() -> None:
    for gzipped in (False, True):
        data, offsets = _archive(gzipped, extra_headers={1: {"X-Padding": "p" * 5000}})
        result = _read(data, ArchiveLimits(max_header_bytes=4096))
        assert _shape(result) == [*_ok(offsets, [0]), ("damaged", offsets[1], ""),
                                  *_ok(offsets, [2, 3])], gzipped
        assert "header block" in result[1][2]


# ARC v1, written by hand: the file's own filedesc:// record, then one record per capture.
def _arc_record(header: str, content: bytes) -> bytes:
    return f"{header} {len(content)}\n".encode() + content + b"\n"


def _arc(gzipped: bool) -> tuple[bytes, list[int]]:
    desc = b"1 0 newswire-test\nURL IP-address Archive-date Content-type Archive-length\n"
    records = [_arc_record("filedesc://test.arc 0.0.0.0 20240101000000 text/plain", desc)]
    for i, url in enumerate(URLS[:3]):
        body = f"<html><body><p>ARC page {i}</p></body></html>".encode()
        http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                + str(len(body)).encode() + b"\r\n\r\n" + body)
        records.append(_arc_record(f"{url} 127.0.0.1 2024010203040{i} text/html", http))
    parts = [gzip.compress(r) for r in records] if gzipped else records
    offsets, at = [], 0
    for part in parts:
        offsets.append(at)
        at += len(part)
    return b"".join(parts), offsets[1:]


def test_arc_files_give_their_captures(tmp_path: Path) -> None:
    for gzipped in (False, True):
        data, offsets = _arc(gzipped)
        records = list(read_archive(io.BytesIO(data)))
        assert all(isinstance(r, ArchiveRecord) and r.fmt == "arc" for r in records)
        assert [(r.offset, r.header.split()[0].decode()) for r in records] == list(  # type: ignore[union-attr]
            zip(offsets, URLS[:3], strict=True))
        assert all(r.block.startswith(b"HTTP/1.1 200") for r in records)  # type: ignore[union-attr]
        path = tmp_path / ("t.arc.gz" if gzipped else "t.arc")
        path.write_bytes(data)
        again = read_record_at(str(path), offsets[1], HttpSettings())
        assert (again.header, again.block) == (records[1].header, records[1].block)  # type: ignore[union-attr]


def test_damaged_arc_record_is_skipped() -> None:
    data, offsets = _arc(False)
    # the second capture's length lies: its record is skipped, the third still comes out
    cut = data.index(b" ", data.index(b"text/html", offsets[1])) + 1
    lying = data[:cut] + b"9" + data[cut:]
    result = _read(lying)
    assert [r[0] for r in result] == ["ok", "damaged", "ok"]
    assert result[1][1] == offsets[1]


def test_a_warc_record_is_read_back_at_its_offset(tmp_path: Path) -> None:
    for gzipped in (False, True):
        data, offsets = _archive(gzipped)
        path = tmp_path / ("a.warc.gz" if gzipped else "a.warc")
        path.write_bytes(data)
        record = read_record_at(str(path), offsets[2], HttpSettings())
        assert (record.offset, _URI.search(record.header)[1]) == (  # type: ignore[index]
            0, URLS[2].encode())  # offsets count from where reading started


# Random damage: never an exception, never a hang, and every record that ends before the
# damage still comes out, at its offset.
_PLAIN, _PLAIN_AT = _archive(False)
_GZIP, _GZIP_AT = _archive(True)


def _intact_before(data: bytes, offsets: list[int], damage_at: int) -> list[tuple]:
    ends = [*offsets[1:], len(data)]
    return [("ok", offsets[i], URLS[i]) for i in range(len(offsets)) if ends[i] <= damage_at]


@settings(max_examples=150, deadline=2000)
@given(gzipped=st.booleans(), cut=st.floats(0, 1))
def test_random_truncation_never_raises(gzipped: bool, cut: float) -> None:
    data, offsets = (_GZIP, _GZIP_AT) if gzipped else (_PLAIN, _PLAIN_AT)
    at = int(len(data) * cut)
    result = _read(data[:at])
    assert [r for r in result if r[0] == "ok"][:len(_intact_before(data, offsets, at))] == (
        _intact_before(data, offsets, at))


@settings(max_examples=200, deadline=2000)
@given(gzipped=st.booleans(), flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 7)),
                                             min_size=1, max_size=4))
def test_random_bit_flips_never_raise(gzipped: bool, flips: list[tuple[float, int]]) -> None:
    data, offsets = (_GZIP, _GZIP_AT) if gzipped else (_PLAIN, _PLAIN_AT)
    damaged = bytearray(data)
    positions = []
    for where, bit in flips:
        at = min(int(len(data) * where), len(data) - 1)
        damaged[at] ^= 1 << bit
        positions.append(at)
    result = _read(bytes(damaged))
    intact = _intact_before(data, offsets, min(positions))
    assert result[:len(intact)] == intact


def test_damage_right_after_a_short_first_record_costs_only_the_damaged_one() -> None:
    # a warcinfo record inflates to fewer bytes than the format sniffing looks at: the
    # damaged member after it must not take the whole archive down with it
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    writer.write_record(writer.create_warcinfo_record("a.warc.gz", {"software": "test"}))
    info = out.getvalue()
    data, offsets = _archive(True)
    damaged = info + data[:60] + data[offsets[1]:]
    moved = [len(info) + o - (offsets[1] - 60) for o in offsets]
    result = _read(damaged)
    assert result[0][:2] == ("ok", 0)
    assert _shape(result[1:]) == [("damaged", len(info), ""), *_ok(moved, [1, 2, 3])]
    # and a damaged first member costs only that one too
    assert _shape(_read(data[:60] + data[offsets[1]:])) == [
        ("damaged", 0, ""), *_ok([o - (offsets[1] - 60) for o in offsets], [1, 2, 3])]
