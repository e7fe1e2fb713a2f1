"""Real PostgreSQL and S3 (moto) servers on 127.0.0.1 for the lake's tests.

Each server lives in a temporary directory and is stopped, and the directory removed, when its
block ends, also when a test fails. A missing program fails the test with the command that
installs it: CI must run these tests, not skip them.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

# PostgreSQL refuses to run as root; the cluster then belongs to this unprivileged user.
UNPRIVILEGED_USER = "nobody"
PG_SUPERUSER = "newswire"
INSTALL_POSTGRES = "apt-get install -y postgresql"
INSTALL_MOTO = "pip install 'moto[server]'"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres_bindir() -> Path:
    """The directory of initdb and pg_ctl: PATH first, then the newest Debian install."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    candidates = [Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")
                  if (Path(p) / "initdb").is_file() and (Path(p) / "pg_ctl").is_file()]
    candidates.sort(key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else -1)
    if not candidates:
        pytest.fail(f"PostgreSQL's initdb/pg_ctl not found (PATH, /usr/lib/postgresql/*/bin):"
                    f" {INSTALL_POSTGRES}")
    return candidates[-1]


@dataclass(frozen=True)
class Postgres:
    host: str
    port: int
    user: str
    dbname: str

    def dsn(self, dbname: str | None = None) -> str:
        """A libpq key=value connection string."""
        return (f"dbname={dbname or self.dbname} host={self.host} port={self.port}"
                f" user={self.user}")

    def fresh_database(self, name: str) -> str:
        """Create the (new, empty) database `name` and return its DSN."""
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as con:
            con.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.dsn(name)


def _as_unprivileged() -> dict[str, object]:
    """subprocess arguments that drop root to UNPRIVILEGED_USER (nothing when not root)."""
    if os.geteuid() != 0:
        return {}
    try:
        entry = pwd.getpwnam(UNPRIVILEGED_USER)
    except KeyError:
        pytest.fail(f"PostgreSQL refuses to run as root and there is no user"
                    f" {UNPRIVILEGED_USER!r} to run it as: useradd --system {UNPRIVILEGED_USER}")
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def _run(cmd: list[str], **kwargs: object) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kwargs)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n"
                           f"{done.stdout}\n{done.stderr}")


@contextlib.contextmanager
def postgres_server(dbname: str = "lake") -> Iterator[Postgres]:
    """A throwaway PostgreSQL cluster on a free 127.0.0.1 port with the database `dbname`;
    loopback connections are trusted."""
    bindir = postgres_bindir()
    drop = _as_unprivileged()
    root = Path(tempfile.mkdtemp(prefix="newswire-pg-"))
    data = root / "data"
    if drop:
        os.chown(root, int(drop["user"]), int(drop["group"]))  # type: ignore[call-overload]
    env = {**os.environ, "LC_ALL": "C", "TZ": "UTC"}
    started = False
    try:
        _run([str(bindir / "initdb"), "-D", str(data), "-U", PG_SUPERUSER, "--auth=trust",
              "--no-sync", "-E", "UTF8"], env=env, cwd=root, **drop)
        # Sockets only in our own directory and TCP only on loopback: nothing reachable
        # from elsewhere, nothing in /var/run/postgresql.
        for attempt in range(5):
            port = free_port()
            options = f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off"
            try:
                _run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"),
                      "-o", options, "-w", "-t", "60", "start"], env=env, cwd=root, **drop)
            except RuntimeError:
                if attempt == 4:  # each try takes a new port: another process may take ours
                    log = (root / "server.log").read_text(errors="replace")
                    raise RuntimeError(f"PostgreSQL did not start:\n{log}") from None
                continue
            started = True
            break
        server = Postgres("127.0.0.1", port, PG_SUPERUSER, dbname)
        server.fresh_database(dbname)
        yield server
    finally:
        if started:
            _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                 env=env, cwd=root, **drop)
        shutil.rmtree(root, ignore_errors=True)


@dataclass(frozen=True)
class S3:
    host: str
    port: int
    bucket: str
    key_id: str = "testing-key"
    secret: str = "testing-secret"
    region: str = "us-east-1"

    @property
    def endpoint(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def endpoint_url(self) -> str:
        return f"http://{self.endpoint}"

    def aws_env(self) -> dict[str, str]:
        """The standard AWS variables that point a client at this server."""
        return {"AWS_ACCESS_KEY_ID": self.key_id, "AWS_SECRET_ACCESS_KEY": self.secret,
                "AWS_REGION": self.region, "AWS_ENDPOINT_URL_S3": self.endpoint_url}


def moto_server_command() -> str:
    beside_python = Path(sys.executable).with_name("moto_server")
    if beside_python.is_file():
        return str(beside_python)
    found = shutil.which("moto_server")
    if found is None:
        pytest.fail(f"moto_server not found (beside {sys.executable} or on PATH):"
                    f" {INSTALL_MOTO}")
    return found


@contextlib.contextmanager
def s3_server(bucket: str = "newswire-lake") -> Iterator[S3]:
    """moto's S3 on a free 127.0.0.1 port with an empty `bucket`."""
    command = moto_server_command()
    root = Path(tempfile.mkdtemp(prefix="newswire-s3-"))
    port = free_port()
    with open(root / "moto.log", "wb") as log:
        proc = subprocess.Popen([command, "-H", "127.0.0.1", "-p", str(port)],
                                stdout=log, stderr=subprocess.STDOUT, cwd=root)
    try:
        server = S3("127.0.0.1", port, bucket)
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"moto_server exited ({proc.returncode}):\n"
                                   f"{(root / 'moto.log').read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(server.endpoint_url + "/", timeout=2):
                    break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not answer within 60 s") from None
                time.sleep(0.1)
        import boto3

        client = boto3.client("s3", endpoint_url=server.endpoint_url,
                              aws_access_key_id=server.key_id,
                              aws_secret_access_key=server.secret, region_name=server.region)
        client.create_bucket(Bucket=bucket)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def s3() -> Iterator[S3]:
    with s3_server() as server:
        yield server
