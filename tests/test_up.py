"""`gongshi up` (what `make run` runs): both servers and the worker start, answer, and stop cleanly.

A real `gongshi up` in its own session, on free ports with a temp SQLite database and data dir. The
worker is shown to run by doing its job: a decision posted to the internal API gets redacted.
Stopping it by SIGTERM, or by SIGINT to the whole group as Ctrl-C in a terminal does, must leave no
process of the group behind.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 180


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, token: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            return int(r.status), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError:
        return 0, b""


def _post_json(url: str, token: str, body: bytes) -> Any:
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as r:
        return json.loads(r.read())


def _group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes whose process group is `pgid` (Linux /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def _wait_until(check: Any, what: str, proc: subprocess.Popen[bytes], log: Path) -> Any:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        result = check()
        if result:
            return result
        assert proc.poll() is None, f"gongshi up exited with {proc.returncode}: {log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, (
            f"{what} not within {STARTUP_SECONDS} s: {log.read_text()[-3000:]}"
        )
        time.sleep(0.3)


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {
        **os.environ,
        "GONGSHI_DATA_DIR": str(tmp_path / "data"),
        "GONGSHI_DATABASE_URL": f"sqlite:///{tmp_path / 'gongshi.sqlite3'}",
        "GONGSHI_SECRET_KEY": "up-secret-" + "x" * 32,
        "GONGSHI_WORKER_INTERVAL": "0.2",
    }
    env.pop("GONGSHI_MEILI_URL", None)
    cli = [sys.executable, "-m", "gongshi.cli"]
    subprocess.run([*cli, "db", "upgrade"], env=env, check=True, timeout=300, capture_output=True)
    yield env


@pytest.mark.parametrize("stop", ["sigterm", "ctrl-c"])
def test_up_serves_both_apps_runs_the_worker_and_stops_cleanly(
    env: dict[str, str], tmp_path: Path, stop: str
) -> None:
    cli = [sys.executable, "-m", "gongshi.cli"]
    token = (
        subprocess.run(
            [*cli, "token", "create", "--role", "admin"],
            env=env,
            check=True,
            timeout=120,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    portal, internal = _free_port(), _free_port()
    log = tmp_path / "up.log"
    proc = subprocess.Popen(
        [*cli, "up", "--portal-port", str(portal), "--internal-port", str(internal)],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: what is left of it afterwards is an orphan
    )
    try:
        _wait_until(lambda: _get(f"http://127.0.0.1:{internal}/healthz")[0] == 200, "internal API", proc, log)
        _wait_until(lambda: _get(f"http://127.0.0.1:{portal}/healthz")[0] == 200, "portal", proc, log)
        status, page = _get(f"http://127.0.0.1:{portal}/")
        assert status == 200 and "公示" in page.decode()
        status, body = _get(f"http://127.0.0.1:{internal}/api/v1/deadlines", token)
        assert status == 200, body
        posted = _post_json(
            f"http://127.0.0.1:{internal}/api/v1/decisions",
            token,
            (ROOT / "examples/decision.json").read_bytes(),
        )
        assert posted["state"] == "received"

        def redacted() -> bool:
            status, body = _get(f"http://127.0.0.1:{internal}/api/v1/decisions/{posted['id']}", token)
            return status == 200 and json.loads(body)["state"] != "received"

        _wait_until(redacted, "the worker's redaction of a posted decision", proc, log)
        children = [pid for pid in _group_members(proc.pid) if pid != proc.pid]
        assert len(children) >= 3, children  # internal API, portal, worker
        if stop == "sigterm":
            proc.send_signal(signal.SIGTERM)
        else:
            os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=60) == 0, log.read_text()[-3000:]
        deadline = time.monotonic() + 10
        while _group_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _group_members(proc.pid) == [], "processes left behind by gongshi up"
        assert _get(f"http://127.0.0.1:{internal}/healthz")[0] == 0
        assert _get(f"http://127.0.0.1:{portal}/healthz")[0] == 0
    finally:
        if proc.poll() is None or _group_members(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
