"""Where web archives come from: local files, directories of them, or http(s) URLs (streamed
through the HTTP client), and reading one record back at its offset (a raw backfill replays
an archived page from there, since the landing zone does not keep a second copy)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from flows.http_client import ArchiveStream, HttpSettings
from flows.settings import ConfigError
from transforms.warc import ArchiveRecord
from warehouse.archive_reader import ArchiveLimits, ByteStream, DamagedRecord, read_archive

ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def expand_archives(sources: Sequence[str]) -> list[str]:
    """The archives named by `sources`, in order: a URL or a file as given, a directory as
    the archive files under it (by name, sorted); each once. ConfigError for a path that
    does not exist, or a directory without archives, before anything runs."""
    archives: list[str] = []
    for source in sources:
        if is_url(source):
            archives.append(source)
            continue
        path = Path(source)
        if path.is_dir():
            found = sorted(str(p) for p in path.rglob("*")
                           if p.is_file() and p.name.lower().endswith(ARCHIVE_SUFFIXES))
            if not found:
                raise ConfigError(f"no web archives ({', '.join(ARCHIVE_SUFFIXES)}) "
                                  f"under {source}")
            archives += found
        elif path.is_file():
            archives.append(str(path))
        else:
            raise ConfigError(f"web archive {source!r}: no such file or directory")
    if not archives:
        raise ConfigError("backfill --source warc needs at least one archive: a path, a "
                          "directory or an http(s) URL")
    return list(dict.fromkeys(archives))


@contextmanager
def open_archive(source: str, http: HttpSettings, offset: int = 0) -> Iterator[ByteStream]:
    """The archive's bytes from `offset` on, read front to back (a URL is streamed)."""
    if is_url(source):
        with ArchiveStream(source, http, offset=offset) as stream:
            yield stream
        return
    with open(source, "rb") as file:
        file.seek(offset)
        yield file


def read_record_at(source: str, offset: int, http: HttpSettings,
                   limits: ArchiveLimits | None = None) -> ArchiveRecord:
    """The record at `offset` of the archive (its gzip member's offset in a gzipped one).
    Raises OSError when it is not a readable record there."""
    with open_archive(source, http, offset) as stream:
        for record in read_archive(stream, limits):
            if isinstance(record, DamagedRecord):
                raise OSError(f"no readable record at offset {offset} of {source}: "
                              f"{record.reason}")
            return record
    raise OSError(f"no record at offset {offset} of {source}: the archive ends before")
