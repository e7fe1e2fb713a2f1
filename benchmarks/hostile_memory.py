"""Memory and time of an ingest against bodies that never end: an endless page and a 10 GB
gzip bomb, both streamed by a loopback server, next to one good page.

    python benchmarks/hostile_memory.py

Reports the ingest's exit code, wall time, peak RSS of its whole process tree (the Prefect
API included) and what raw.fetch_log recorded for each URL.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.throughput import _tree_rss_bytes  # noqa: E402
from flows.site_server import demo_site_dir  # noqa: E402
from tests.loopback import Loopback, endless, reply  # noqa: E402

BOMB_BYTES = 10 * 1024**3
CHUNK = b"\0" * (1024 * 1024)


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def gzip_bomb(h: BaseHTTPRequestHandler) -> None:
    """10 GB of zeros, gzip-compressed on the fly (about 10 MB on the wire)."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Encoding", "gzip")
    h.end_headers()
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    try:
        for _ in range(BOMB_BYTES // len(CHUNK)):
            h.wfile.write(packer.compress(CHUNK))
        h.wfile.write(packer.flush())
    except OSError:
        pass


def main() -> int:
    good = sorted(demo_site_dir().rglob("c.html"))[0]
    routes = {"/endless.html": endless, "/bomb.html": gzip_bomb,
              "/good.html": reply(200, good.read_bytes(), {"Content-Type": "text/html"})}
    site = Loopback(routes)
    work = Path(tempfile.mkdtemp(prefix="newswire-hostile-"))
    with site.running():
        links = [site.url(p) for p in ("/endless.html", "/bomb.html", "/good.html")]
        items = "".join(f"<item><title>{u}</title><link>{u}</link></item>" for u in links)
        routes["/feed.xml"] = reply(200, f'<rss version="2.0"><channel><title>h</title>{items}'
                                    "</channel></rss>".encode())
        (work / "feeds.toml").write_text(f'[[feed]]\nname = "hostile"\nurl = '
                                         f'"{site.url("/feed.xml")}"\nprofile = "xinhua"\n')
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "ingest", "--db", str(work / "w.duckdb"),
             "--feeds", str(work / "feeds.toml"), "--data-dir", str(work / "data")],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "NEWSWIRE_POLITENESS_DELAY": "0"})
        peak = own_peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak, own_peak
            while not done.is_set():
                peak = max(peak, _tree_rss_bytes(proc.pid))
                own_peak = max(own_peak, _rss_bytes(proc.pid))
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = proc.wait()
        done.set()
        sampler.join()
        elapsed = time.monotonic() - started
    with duckdb.connect(str(work / "w.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT url, http_status, error FROM raw.fetch_log "
                           "WHERE kind = 'page' ORDER BY url").fetchall()
        loaded = con.execute("SELECT count(*) FROM core.fact_article").fetchone()[0]
    print(f"exit {code}; {elapsed:.1f} s; peak RSS: newswire process {own_peak / 2**20:.0f} MB, "
          f"whole tree (with the local Prefect server and Dask workers) {peak / 2**20:.0f} MB; "
          f"articles loaded {loaded}")
    for url, status, error in rows:
        print(f"  {url.rsplit('/', 1)[-1]:<14} status {status}  {error or 'loaded'}")
    return 0 if own_peak < 500 * 2**20 and code == 3 and loaded == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
