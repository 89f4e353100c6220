"""The README's "Try the API" commands, run verbatim (bar the ports) against real servers.

The servers are `gongshi serve internal` and `gongshi serve portal` as subprocesses on free ports
over a fresh SQLite database; the commands run in bash from the repository root with curl, as a
newcomer would paste them.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 180


def readme_commands(section: str = "## Try the API") -> list[str]:
    """The shell commands of the first ```sh block after `section`, continuation lines joined."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text[text.index(section) :], re.S)
    assert block, f"no sh block under {section}"
    commands, current = [], ""
    for line in block.group(1).splitlines():
        current += line
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        if current.strip():
            commands.append(current.strip())
        current = ""
    return commands


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=2) as r:
            return bool(r.status == 200)
    except OSError:
        return False


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[dict[str, str], int, int]]:
    env = {
        **os.environ,
        "GONGSHI_DATA_DIR": str(tmp_path / "data"),
        "GONGSHI_DATABASE_URL": f"sqlite:///{tmp_path / 'gongshi.sqlite3'}",
        "GONGSHI_SECRET_KEY": "readme-secret-" + "x" * 32,
    }
    env.pop("GONGSHI_MEILI_URL", None)
    subprocess.run([sys.executable, "-m", "gongshi.cli", "db", "upgrade"], env=env, check=True, timeout=300)
    internal, portal = _free_port(), _free_port()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "gongshi.cli", "serve", which, "--port", str(port)],
            env=env,
            stdout=(tmp_path / f"{which}.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        for which, port in (("internal", internal), ("portal", portal))
    ]
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        for port in (internal, portal):
            while not _healthy(f"http://127.0.0.1:{port}"):
                assert time.monotonic() < deadline, f"server on {port} did not start"
                assert all(p.poll() is None for p in procs), "a server exited"
                time.sleep(0.3)
        yield env, internal, portal
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=20)


def test_readme_api_commands_succeed_as_written(
    servers: tuple[dict[str, str], int, int], tmp_path: Path
) -> None:
    env, internal, portal = servers
    assert shutil.which("curl"), "the README's commands need curl (apt-get install curl)"
    commands = readme_commands()
    assert any("-d @examples/decision.json" in c for c in commands)
    assert any("examples/batch.json" in c for c in commands) and any("attachments" in c for c in commands)
    for c in commands:  # every body the README posts is shipped
        for path in re.findall(r"@(examples/[\w.-]+)", c):
            assert (ROOT / path).is_file(), path
    script = ["set -euo pipefail"]
    for i, command in enumerate(commands):
        command = command.replace("localhost:8001", f"127.0.0.1:{internal}")
        command = command.replace("localhost:8000", f"127.0.0.1:{portal}")
        script += [f"echo '<<<{i}'", command, "echo", f"echo '>>>{i}'"]
    done = subprocess.run(
        ["bash", "-c", "\n".join(script)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    outputs = dict(re.findall(r"<<<(\d+)\n(.*?)>>>\1", done.stdout, re.S))
    for i, command in enumerate(commands):
        assert str(i) in outputs, (
            f"README command failed: {command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        )
    assert done.returncode == 0, done.stderr
    by_command = {commands[int(i)]: out for i, out in outputs.items()}
    posted = next(out for c, out in by_command.items() if "examples/decision.json" in c)
    assert '"state"' in posted and '"publish_by"' in posted
    batch = next(out for c, out in by_command.items() if "examples/batch.json" in c)
    assert '"stored":2' in batch.replace(" ", "") and '"errors":0' in batch.replace(" ", "")
    upload = next(out for c, out in by_command.items() if "/attachments" in c)
    assert '"sha256"' in upload
    stats = next(out for c, out in by_command.items() if "public/v1/stats" in c)
    assert '"timeliness"' in stats
    # Each server wrote one access-log line per request, without the token (gongshi/access_log.py).
    internal_log = _logged(tmp_path / "internal.log", r"internal POST /api/v1/decisions 20[01] \d+\.\dms")
    _logged(tmp_path / "internal.log", r"internal POST /api/v1/cases/\d+/entries/\d+/attachments 201 ")
    assert "Bearer" not in internal_log and "gs_" not in internal_log
    _logged(tmp_path / "portal.log", r"portal GET /api/public/v1/stats 200 ")


def _logged(log: Path, pattern: str) -> str:
    """The log's text once `pattern` is in it: the line is written after the response's last byte,
    so curl can be done before it reaches the file."""
    deadline = time.monotonic() + 10
    while not re.search(pattern, text := log.read_text(errors="replace")):
        assert time.monotonic() < deadline, f"{pattern!r} not in {log.name}: {text[-2000:]}"
        time.sleep(0.1)
    return text
