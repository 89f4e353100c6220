"""`gongshi up`: the internal API, the portal (when installed) and the worker, as child processes."""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
import time

import click


def run_all(host: str = "127.0.0.1", *, portal_port: int = 8000, internal_port: int = 8001) -> int:
    """Start everything, wait for SIGINT/SIGTERM or a child's exit, then stop every child.

    Returns 0 after a requested stop, 1 when a child exited by itself (everything else is stopped).
    """
    exe = [sys.executable, "-m", "gongshi.cli"]
    commands = {
        "internal API": [*exe, "serve", "internal", "--host", host, "--port", str(internal_port)],
        "worker": [*exe, "worker"],
    }
    if importlib.util.find_spec("gongshi.portal.app") is not None:
        commands["portal"] = [*exe, "serve", "portal", "--host", host, "--port", str(portal_port)]
    stopping = False
    failed = False

    def _stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    # Before the first child starts: a signal from then on stops the children, never only this process.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    procs: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for name, cmd in commands.items():
            procs[name] = subprocess.Popen(cmd)
        _banner(host, portal_port if "portal" in procs else None, internal_port)
        while not stopping:
            for name, proc in procs.items():
                if proc.poll() is not None and not stopping:
                    # (After Ctrl-C the children get SIGINT too and may exit first: not a failure.)
                    click.echo(f"{name} exited with {proc.returncode}; stopping", err=True)
                    stopping = failed = True
            time.sleep(0.5)
    finally:
        _stop_all(procs)
    return 1 if failed else 0


def _banner(host: str, portal_port: int | None, internal_port: int) -> None:
    click.echo("")
    if portal_port is not None:
        click.echo(f"  portal (public):        http://{host}:{portal_port}/")
    click.echo(f"  staff console:          http://{host}:{internal_port}/console   (demo logins: see above)")
    click.echo(f"  internal API + docs:    http://{host}:{internal_port}/api/docs")
    click.echo("  Ctrl-C stops everything.\n")


def _stop_all(procs: dict[str, subprocess.Popen[bytes]], timeout: float = 10) -> None:
    """SIGTERM every child still running, then SIGKILL whoever has not exited within `timeout`."""
    for proc in procs.values():
        if proc.poll() is None:
            proc.terminate()
    deadline = time.monotonic() + timeout
    for proc in procs.values():
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
