"""X-Forwarded-For is believed only from GONGSHI_TRUSTED_PROXIES, in the real server (uvicorn)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from gongshi.cli import proxy_options
from gongshi.settings import load_settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(tmp_path: Path, database_url: str, trusted: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {
        **os.environ,
        "GONGSHI_DATA_DIR": str(tmp_path),
        "GONGSHI_DATABASE_URL": database_url,
        "GONGSHI_SECRET_KEY": "forwarded-test-" + "x" * 32,
        "GONGSHI_PORTAL_SEARCH_RATE": "0.001/2",
        "GONGSHI_TRUSTED_PROXIES": trusted,
    }
    env.pop("GONGSHI_MEILI_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongshi.cli", "serve", "portal", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("portal did not start")


def _statuses(url: str) -> list[int]:
    """Four searches, each claiming to come from a different client."""
    return [
        httpx.get(
            url + "/api/public/v1/disclosures", headers={"X-Forwarded-For": f"203.0.113.{i}"}, timeout=30
        ).status_code
        for i in range(4)
    ]


@pytest.mark.parametrize(("trusted", "limited"), [("", True), ("127.0.0.1/32,::1", False)])
def test_forwarded_for_only_from_trusted_proxies(
    tmp_path: Path, database_url: str, trusted: str, limited: bool
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the server's database does not matter here")
    proc, url = _serve(tmp_path, database_url, trusted)
    try:
        statuses = _statuses(url)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    # A burst of 2 per client: a direct client that invents addresses is still one client.
    assert statuses == ([200, 200, 429, 429] if limited else [200, 200, 200, 200])


def test_proxy_options(tmp_path: Path) -> None:
    env = {"GONGSHI_DATA_DIR": str(tmp_path)}
    assert proxy_options(load_settings(env)) == {"proxy_headers": False}
    behind = load_settings({**env, "GONGSHI_TRUSTED_PROXIES": " 10.0.0.0/8, 192.168.1.1 "})
    assert proxy_options(behind) == {
        "proxy_headers": True,
        "forwarded_allow_ips": ["10.0.0.0/8", "192.168.1.1"],
    }
    with pytest.raises(ValueError, match="GONGSHI_TRUSTED_PROXIES"):
        load_settings({**env, "GONGSHI_TRUSTED_PROXIES": "nginx"})
