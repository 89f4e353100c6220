"""`gongshi up`: the internal API, the portal (when installed) and the worker, as child processes."""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
import time

import click


def run_all(host: str = "127.0.0.1") -> None:
    exe = [sys.executable, "-m", "gongshi.cli"]
    commands = {
        "internal API": [*exe, "serve", "internal", "--host", host, "--port", "8001"],
        "worker": [*exe, "worker"],
    }
    if importlib.util.find_spec("gongshi.portal.app") is not None:
        commands["portal"] = [*exe, "serve", "portal", "--host", host, "--port", "8000"]
    procs = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}
    click.echo("")
    if "portal" in procs:
        click.echo(f"  portal (public):        http://{host}:8000/")
    click.echo(f"  staff console:          http://{host}:8001/console   (demo logins: see above)")
    click.echo(f"  internal API + docs:    http://{host}:8001/api/docs")
    click.echo("  Ctrl-C stops everything.\n")
    stopping = False

    def _stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stopping:
            for name, proc in procs.items():
                if proc.poll() is not None:
                    click.echo(f"{name} exited with {proc.returncode}; stopping", err=True)
                    stopping = True
            time.sleep(0.5)
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
