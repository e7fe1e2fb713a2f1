"""The Prefect API newswire uses: the configured one, else `prefect server start` as its child."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

from flows.prefect_server import _no_prefect_settings_files, configured_api_url

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def bare_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    return tmp_path


def test_no_settings_files_means_no_need_to_import_prefect(bare_dir: Path) -> None:
    assert _no_prefect_settings_files()
    (bare_dir / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.ruff]\n')
    assert _no_prefect_settings_files()


@pytest.mark.parametrize("name, text", [
    ("pyproject.toml", '[tool.prefect.api]\nurl = "http://prefect.example/api"\n'),
    ("prefect.toml", '[api]\nurl = "http://prefect.example/api"\n'),
    (".env", "PREFECT_API_URL=http://prefect.example/api\n"),
    ("home/profiles.toml", 'active = "x"\n[profiles.x]\nPREFECT_API_URL = "http://p/api"\n'),
    ("pyproject.toml", "not = [valid toml"),
])
def test_any_file_that_may_configure_prefect_means_asking_prefect(
    bare_dir: Path, name: str, text: str
) -> None:
    path = bare_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    assert not _no_prefect_settings_files()


def test_a_configured_url_is_used_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://prefect.example:4200/api")
    assert configured_api_url() == "http://prefect.example:4200/api"


CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from flows.prefect_server import LocalPrefectServer
    server = LocalPrefectServer(Path(sys.argv[1]), scheduler=False).start()
    server.wait()
    print(server.pid, server.url, "prefect" in sys.modules, flush=True)
    time.sleep(600)
""")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_local_server_answers_and_dies_with_a_killed_newswire(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
               PYTHONPATH=str(ROOT))
    home = tmp_path / "prefect"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(home)], cwd=tmp_path, env=env,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        server_pid, url, prefect_imported = child.stdout.readline().split()
        assert prefect_imported == "False"  # starting it costs newswire no Prefect import
        assert httpx.get(f"{url}/health", timeout=5).status_code == 200
        assert (home / "prefect.db").exists()  # its database lives under the given home
        child.send_signal(signal.SIGKILL)
        child.wait()
        deadline = time.monotonic() + 20
        while _alive(int(server_pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(int(server_pid)), "the local Prefect server outlived a killed newswire"
    finally:
        if child.poll() is None:
            child.kill()
