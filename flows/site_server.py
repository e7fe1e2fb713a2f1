"""A loopback HTTP server for a directory of feeds and pages: the demo's sample site.

`{{BASE}}` in .xml/.html/.htm files becomes the server's own base URL, so bundled feeds link
to the pages wherever the server listens. Answers conditional GETs (ETag, Last-Modified), so
reruns behave as against a real agency. `faults` maps a URL path to an HTTP status to answer
instead, for demonstrating and testing recorded failures.
"""

from __future__ import annotations

import email.utils
import hashlib
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

_TYPES = {".xml": "application/rss+xml; charset=utf-8", ".html": "text/html; charset=utf-8",
          ".htm": "text/html; charset=utf-8"}


def demo_site_dir() -> Path:
    """The sample site shipped with the package."""
    return Path(str(resources.files("flows").joinpath("demo_site")))


@dataclass
class SiteServer:
    root: Path
    host: str = "127.0.0.1"
    port: int = 0
    faults: Mapping[str, int] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass  # the ingest log is the record; stderr noise would hide progress

            def do_GET(self) -> None:
                path = unquote(urlsplit(self.path).path)
                server.requests.append(path)
                status = server.faults.get(path)
                if status:
                    return self._reply(status, b"<h1>fault</h1>", "text/html")
                file = server._resolve(path)
                if file is None:
                    return self._reply(404, b"<h1>404 Not Found</h1>", "text/html")
                body = file.read_bytes()
                if file.suffix in _TYPES:
                    body = body.replace(b"{{BASE}}", server.base_url.encode("ascii"))
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                modified = email.utils.formatdate(int(file.stat().st_mtime), usegmt=True)
                if self.headers.get("If-None-Match") == etag:
                    return self._reply(304, b"", None, etag, modified)
                ctype = _TYPES.get(file.suffix, "application/octet-stream")
                return self._reply(200, body, ctype, etag, modified)

            def _reply(self, status: int, body: bytes, ctype: str | None,
                       etag: str | None = None, modified: str | None = None) -> None:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                if etag:
                    self.send_header("ETag", etag)
                if modified:
                    self.send_header("Last-Modified", modified)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)

        return Handler

    def _resolve(self, path: str) -> Path | None:
        root = self.root.resolve()
        target = (root / path.lstrip("/")).resolve()
        if not target.is_relative_to(root) or target.name.startswith(("_", ".")):
            return None
        return target if target.is_file() else None

    @contextmanager
    def running(self) -> Iterator[SiteServer]:
        httpd = ThreadingHTTPServer((self.host, self.port), self._handler())
        httpd.daemon_threads = True
        self.port = httpd.server_address[1]
        thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                  daemon=True)
        thread.start()
        try:
            yield self
        finally:
            httpd.shutdown()
            httpd.server_close()
            thread.join(timeout=5)
