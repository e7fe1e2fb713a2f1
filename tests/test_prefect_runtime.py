"""The temporary Prefect API newswire starts for a one-off command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from flows.prefect_runtime import _no_prefect_settings_files

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def bare_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    return tmp_path


def test_no_settings_files_lets_the_api_start_before_prefect_is_imported(bare_dir: Path) -> None:
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


CHILD = textwrap.dedent("""
    import sys
    from flows.prefect_runtime import start_local_api, uses_local_api
    api = start_local_api()
    api.wait()
    import prefect.flows  # what a flow run needs, and no more
    print(api._process.pid, uses_local_api(), "prefect.server.api.server" in sys.modules,
          flush=True)
    import time
    time.sleep(600)
""")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_temporary_api_dies_with_a_killed_newswire(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               DO_NOT_TRACK="1", PYTHONPATH=str(ROOT))
    (tmp_path / "prefect").mkdir()
    child = subprocess.Popen([sys.executable, "-c", CHILD], cwd=tmp_path, env=env,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        server_pid, local, server_imported = child.stdout.readline().split()
        assert local == "True"  # known as the temporary API: no global concurrency slots
        assert server_imported == "False"  # Prefect's server package stays out of newswire
        assert _alive(int(server_pid))
        child.send_signal(signal.SIGKILL)
        child.wait()
        deadline = time.monotonic() + 15
        while _alive(int(server_pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(int(server_pid)), "the temporary API outlived a killed newswire"
    finally:
        if child.poll() is None:
            child.kill()
