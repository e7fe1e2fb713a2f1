"""Web archives (WARC or ARC, plain or gzipped per record) framed into records, so that a
damaged record costs that record, never the rest of the archive.

FastWARC parses each record (transforms/warc.py), but its iterator cannot carry on past
damage (measured: a truncated gzip member or a Content-Length that lies raises and ends the
iteration; a record cut off at the end comes out silently short) and cannot resume on a
stream. So this module only frames: it finds where each record starts and ends, checks that
it ends where its header says, never holds more than `max_record_bytes` of a record (a larger
one, or a compression bomb, is read past, inflating into nothing), and after damage finds the
next record start and carries on. Streams are read once, front to back: a URL is never
downloaded whole first.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from transforms.warc import ArchiveRecord

_GZIP_MAGIC = b"\x1f\x8b\x08"
_READ = 1 << 20
# compressed bytes handed to zlib at a time: at each member's end, zlib copies what follows
# into `unused_data` and the inflater keeps it, so a 1 MiB read cost two copies of up to
# 1 MiB per record (measured: framing a CC-NEWS-shaped archive of 5 KB records took twice
# as long as with 64 KiB)
_INFLATE_READ = 64 * 1024
_WARC_START = b"WARC/"
_ARC_START = b"filedesc://"


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    max_record_bytes: int = 64 * 1024 * 1024  # a record's content, once inflated
    max_header_bytes: int = 64 * 1024


@dataclass(frozen=True, slots=True)
class DamagedRecord:
    """A stretch of the archive that is not a readable record: skipped, and why."""

    offset: int
    reason: str


class _Damaged(Exception):
    def __init__(self, reason: str, offset: int | None = None, *,
                 gzip_broken: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.offset = offset  # where the damage is, in the archive, when known
        self.gzip_broken = gzip_broken  # the compressed stream itself: resync on a member


class _Inflater:
    """Gzip members, one after another, as one stream of bytes, remembering where in the
    archive each member starts. A member that does not inflate raises _Damaged; `resync`
    then starts again at the next gzip header after the damaged member's start."""

    # compressed bytes of the current member kept for a resync; a larger member is searched
    # from where reading stopped instead
    _KEEP = 32 * 1024 * 1024

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._pending = b""  # compressed bytes read from the stream, not yet inflated
        self._pending_at = 0  # archive offset of _pending[0]
        self._member = b""  # compressed bytes of the current member so far (up to _KEEP)
        self._member_at = 0
        self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._eof = False
        self.members: list[tuple[int, int]] = [(0, 0)]  # (inflated position, archive offset)
        self.inflated = 0

    def read(self, size: int) -> bytes:
        """Up to `size` inflated bytes (fewer at a member's end); b"" at the end."""
        while True:
            if not self._pending and not self._eof:
                self._pending = self._stream.read(_INFLATE_READ)
                self._eof = not self._pending
            if not self._pending:
                if self._member:  # the stream ended inside a member
                    raise _Damaged("gzip member cut off by the end of the archive",
                                   self._member_at, gzip_broken=True)
                return b""
            data = self._pending
            try:
                out = self._inflater.decompress(data, size)
            except zlib.error as exc:
                raise _Damaged(f"gzip data corrupt ({exc})", self._member_at,
                               gzip_broken=True) from exc
            used = len(data) - len(self._inflater.unconsumed_tail) - len(
                self._inflater.unused_data)
            if len(self._member) < self._KEEP:
                self._member += data[:used]
            self._pending = data[used:]
            self._pending_at += used
            self.inflated += len(out)
            if self._inflater.eof:  # after counting `out`: the next member starts past it
                self._next_member()
            if out:
                return out

    def _next_member(self) -> None:
        self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._member, self._member_at = b"", self._pending_at
        self._skip_padding()
        self.members.append((self.inflated, self._member_at))

    def _skip_padding(self) -> None:
        # some writers pad between members with zero bytes
        while True:
            if not self._pending and not self._eof:
                self._pending = self._stream.read(_INFLATE_READ)
                self._eof = not self._pending
            stripped = self._pending.lstrip(b"\0")
            self._pending_at += len(self._pending) - len(stripped)
            self._pending = stripped
            if self._pending or self._eof:
                self._member_at = self._pending_at
                return

    def resync(self) -> int | None:
        """Start again at the next gzip header after the current member's start; its archive
        offset, or None at the end of the archive."""
        # _member + _pending is the archive from the member's start on: search past its
        # first byte, so the damaged member itself is never found again
        search = (self._member + self._pending)[1:]
        base = self._member_at + 1
        if len(self._member) >= self._KEEP:  # too large to have kept: search what follows
            search, base = self._pending, self._pending_at
        while True:
            at = search.find(_GZIP_MAGIC)
            if at >= 0:
                self._pending, self._pending_at = search[at:], base + at
                self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                self._member, self._member_at = b"", self._pending_at
                self.members.append((self.inflated, self._member_at))
                return self._member_at
            if self._eof:
                self._pending, self._pending_at = b"", base + len(search)
                self._member = b""
                return None
            tail = search[-2:]  # a magic split over two reads
            base += len(search) - len(tail)
            chunk = self._stream.read(_READ)
            self._eof = not chunk
            search = tail + chunk

    def archive_offset(self, position: int) -> int:
        """The archive offset of the member holding inflated `position`."""
        offset = 0
        for start, member_at in reversed(self.members):
            if start <= position:
                offset = member_at
                break
        return offset


class _Bytes:
    """A forward-only byte source with a small look-ahead buffer, counting positions."""

    def __init__(self, read: Callable[[int], bytes]) -> None:
        self._read = read
        self._buffer = bytearray()
        self.position = 0  # of _buffer[0] in the source

    def fill(self, size: int) -> bool:
        """Buffer at least `size` bytes; False if the source ends before."""
        while len(self._buffer) < size:
            chunk = self._read(max(_READ, size - len(self._buffer)))
            if not chunk:
                return False
            self._buffer += chunk
        return True

    def slice(self, start: int, stop: int) -> bytes:
        return bytes(self._buffer[start:stop])

    def peek(self, size: int) -> bytes:
        self.fill(size)
        return bytes(self._buffer[:size])

    def take(self, size: int) -> bytes:
        self.fill(size)
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        self.position += len(out)
        return out

    def skip(self, size: int) -> int:
        """Read past `size` bytes holding at most one read's worth; the count skipped."""
        skipped = 0
        while skipped < size:
            if not self._buffer and not self.fill(1):
                break
            step = min(size - skipped, len(self._buffer))
            del self._buffer[:step]
            self.position += step
            skipped += step
        return skipped

    def find_line(self, limit: int) -> int:
        """Buffer up to the first `\\n` within `limit` bytes; the line's length with it, or -1."""
        while True:
            at = self._buffer.find(b"\n", 0, limit)
            if at >= 0:
                return at + 1
            if len(self._buffer) >= limit or not self.fill(len(self._buffer) + 1):
                return -1

    def find_block_end(self, limit: int) -> int:
        """The length of the header block up to and including its blank line, or -1."""
        searched = 0
        while True:
            at = self._buffer.find(b"\r\n\r\n", max(0, searched - 3), limit)
            if at >= 0:
                return at + 4
            searched = len(self._buffer)
            if searched >= limit or not self.fill(searched + 1):
                return -1

    def seek_signature(self, signature: Callable[[bytes], int]) -> bool:
        """Drop bytes up to the next record start that `signature` finds in the buffer (its
        index, or -1); False at the end of the source."""
        while True:
            at = signature(bytes(self._buffer))
            if at >= 0:
                del self._buffer[:at]
                self.position += at
                return True
            keep = min(len(self._buffer), 512)  # a start split over two reads
            drop = len(self._buffer) - keep
            del self._buffer[:drop]
            self.position += drop
            if not self.fill(len(self._buffer) + 1):
                self.position += len(self._buffer)
                self._buffer.clear()
                return False

    def at_end(self) -> bool:
        return not self.fill(1)

    def strip_separators(self) -> None:
        """Skip the blank lines (and gzip padding's inflated zeros) between records."""
        while self.fill(1):
            stripped = len(self._buffer) - len(self._buffer.lstrip(b"\r\n\0 \t"))
            if not stripped:
                return
            del self._buffer[:stripped]
            self.position += stripped

    def clear(self) -> None:
        self._buffer.clear()


def _next_warc_start(data: bytes) -> int:
    at = 0
    while (at := data.find(_WARC_START, at)) >= 0:
        if at == 0 or data[at - 1:at] == b"\n":
            return at
        at += 1
    return -1


def _next_arc_start(data: bytes) -> int:
    for match in re.finditer(rb"(?:^|\n)([a-z]+:\S* \S+ \d{14} )", data):
        return match.start(1)
    return -1


def read_archive(stream: BinaryIO, limits: ArchiveLimits = ArchiveLimits()
                 ) -> Iterator[ArchiveRecord | DamagedRecord]:
    """Every record of the archive in `stream` (read once, front to back), and every stretch
    that is not one, in order. Gzip is recognised by its magic number, ARC by its first
    record (filedesc://) or header line; a record's offset is that of its gzip member in a
    gzipped archive."""
    head = stream.read(2)
    inflater: _Inflater | None = None
    first = _prepend(head, stream)
    if head == _GZIP_MAGIC[:2]:
        inflater = _Inflater(first)
        source = _Bytes(inflater.read)
    else:
        source = _Bytes(first.read)
    try:
        # an ARC file starts with its filedesc:// record; read from a record's offset, an
        # ARC record starts with its header line instead of WARC/
        opening = source.peek(512)
        is_arc = opening.startswith(_ARC_START) or (
            not opening.startswith(_WARC_START) and _next_arc_start(opening) == 0)
    except _Damaged as exc:
        yield DamagedRecord(0, exc.reason)
        return
    framer = _Framer(source, inflater, limits, arc=is_arc)
    yield from framer.records()


class _Prepended:
    """`stream` with `head` (already read from it) put back in front."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        if self._head:
            head, self._head = self._head, b""
            if size < 0:
                return head + self._stream.read()
            return head + self._stream.read(max(0, size - len(head)))
        return self._stream.read(size)


def _prepend(head: bytes, stream: BinaryIO) -> BinaryIO:
    return _Prepended(head, stream)  # type: ignore[return-value]


class _Framer:
    def __init__(self, source: _Bytes, inflater: _Inflater | None, limits: ArchiveLimits,
                 *, arc: bool) -> None:
        self._source = source
        self._inflater = inflater
        self._limits = limits
        self._arc = arc
        self._signature = _next_arc_start if arc else _next_warc_start

    def _offset(self, position: int) -> int:
        return self._inflater.archive_offset(position) if self._inflater else position

    def records(self) -> Iterator[ArchiveRecord | DamagedRecord]:
        source = self._source
        while True:
            start = source.position
            try:
                source.strip_separators()
                start = source.position
                if source.at_end():
                    return
                record = self._frame_arc() if self._arc else self._frame_warc()
            except _Damaged as exc:
                offset = exc.offset if exc.offset is not None else self._offset(start)
                yield DamagedRecord(offset, exc.reason)
                if not self._resync(start, exc):
                    return
                continue
            if record is not None:
                yield record

    def _resync(self, start: int, damage: _Damaged) -> bool:
        """Carry on at the next record start after `start`; False at the end."""
        source = self._source
        if self._inflater is not None and damage.gzip_broken:
            source.clear()
            if self._inflater.resync() is None:
                return False
            source.position = self._inflater.inflated
            return True
        if source.position == start:
            source.skip(1)
        try:
            return source.seek_signature(self._signature)
        except _Damaged as exc:  # the gzip stream itself breaks while searching
            return self._resync(source.position, exc)

    def _frame_warc(self) -> ArchiveRecord | None:
        source, limits = self._source, self._limits
        offset = self._offset(source.position)
        if source.peek(len(_WARC_START)) != _WARC_START:
            raise _Damaged(f"no WARC record starts here (found {source.peek(16)!r})")
        header_length = source.find_block_end(limits.max_header_bytes)
        if header_length < 0:
            raise _Damaged("WARC header block without an end (over "
                           f"{limits.max_header_bytes} bytes, or cut off)")
        header = source.take(header_length)
        length = _content_length(header)
        return self._take_block(offset, "warc", header, length, b"\r\n\r\n")

    def _frame_arc(self) -> ArchiveRecord | None:
        source, limits = self._source, self._limits
        offset = self._offset(source.position)
        line_length = source.find_line(limits.max_header_bytes)
        if line_length < 0:
            raise _Damaged("ARC record header without an end")
        header = source.take(line_length)
        fields = header.split()
        if len(fields) < 5 or not fields[-1].isdigit():
            raise _Damaged(f"malformed ARC record header {header[:80]!r}")
        return self._take_block(offset, "arc", header, int(fields[-1]), b"\n")

    def _take_block(self, offset: int, fmt: str, header: bytes, length: int,
                    end: bytes) -> ArchiveRecord | None:
        """The record's content, once its end is where its header says. Nothing is taken
        from the source until then, so that after a lying length the search for the next
        record starts right after this header, and no record that follows is lost."""
        source = self._source
        if length > self._limits.max_record_bytes:
            raise _Damaged(f"record of {length} content bytes is over the "
                           f"{self._limits.max_record_bytes}-byte limit: skipped")
        # an ARC file's last record may end without its newline
        if not source.fill(length + len(end)) and not (fmt == "arc" and source.fill(length)):
            raise _Damaged(f"record cut off: the archive ends before its {length} "
                           "content bytes do")
        trailer = source.slice(length, length + len(end))
        if trailer and trailer != end:
            raise _Damaged(f"Content-Length {length} does not end the record "
                           f"(found {trailer[:8]!r} where {end!r} should follow)")
        block = source.take(length)
        source.take(len(end))
        if fmt == "arc" and header.startswith(_ARC_START):
            return None  # the ARC file's own description, not a capture
        return ArchiveRecord(offset, fmt, header, block)  # type: ignore[arg-type]


_CONTENT_LENGTH = re.compile(rb"(?im)^content-length[ \t]*:[ \t]*(\d{1,19})[ \t]*\r?$")


def _content_length(header: bytes) -> int:
    match = _CONTENT_LENGTH.search(header)
    if match is None:
        raise _Damaged("WARC header without a valid Content-Length")
    return int(match[1])
