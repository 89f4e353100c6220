"""e2e fixtures: the real servers (portal, internal API, worker) as subprocesses, and Debian's Chromium.

One server set per test session (per xdist worker), against a temporary SQLite database and data dir
loaded with the demo data. Other e2e test files (agencies, requests) use the same fixtures.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("GONGSHI_E2E_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DEMO_USER, DEMO_PASSWORD = "reviewer", "gongshi-demo"
STARTUP_SECONDS = 120


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


def _require_browser() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"{CHROMIUM} not found: run scripts/ensure-browser.sh (apt-get install chromium fonts-noto-cjk)"
    if os.environ.get("CI"):
        pytest.fail("CI must run the e2e tests: " + message, pytrace=False)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, timeout: float = 5) -> tuple[int, bytes]:
    url = urllib.parse.quote(url, safe="/?&=:%+#")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@dataclass
class Servers:
    root: Path
    env: dict[str, str]
    portal_url: str
    internal_url: str
    admin_token: str = ""
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def cli(self, *args: str, check: bool = True) -> str:
        """Run `gongshi …` against this server set's database; returns stdout."""
        done = subprocess.run(
            [sys.executable, "-m", "gongshi.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"gongshi {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start(self, name: str, *args: str) -> None:
        log = (self.root / f"{name}.log").open("wb")
        self.procs[name] = subprocess.Popen(
            [sys.executable, "-m", "gongshi.cli", *args], env=self.env, stdout=log, stderr=subprocess.STDOUT
        )

    def wait_healthy(self, url: str, name: str) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            proc = self.procs[name]
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}:\n{self.log(name)}")
            try:
                if _get(url + "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not become healthy in {STARTUP_SECONDS}s:\n{self.log(name)}")

    def log(self, name: str) -> str:
        path = self.root / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def api(self, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
        """Call the internal API with the demo admin token (or `token`)."""
        request = urllib.request.Request(
            urllib.parse.quote(self.internal_url + path, safe="/?&=:%+#"),
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={
                "Authorization": f"Bearer {token or self.admin_token}",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def portal_json(self, path: str) -> Any:
        status, raw = _get(self.portal_url + path)
        assert status == 200, (path, status, raw[:500])
        return json.loads(raw)

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 20, what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.25)
        raise AssertionError(f"timed out waiting for {what}")

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """Migrated database with demo data, a running worker, the portal and the internal API."""
    _require_browser()
    root = tmp_path_factory.mktemp("e2e")
    portal_port, internal_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "GONGSHI_DATA_DIR": str(root / "data"),
        "GONGSHI_DATABASE_URL": f"sqlite:///{root / 'gongshi.sqlite3'}",
        "GONGSHI_SECRET_KEY": "e2e-secret-" + "x" * 32,
        "GONGSHI_PORTAL_BASE_URL": f"http://127.0.0.1:{portal_port}",
        "GONGSHI_WORKER_INTERVAL": "0.3",
        # Browsers in one session share an address; keep the limits out of the way of the tests.
        "GONGSHI_PORTAL_SEARCH_RATE": "1000/1000",
        "GONGSHI_PORTAL_FORM_RATE": "1000/1000",
    }
    env.pop("GONGSHI_MEILI_URL", None)
    s = Servers(
        root=root,
        env=env,
        portal_url=f"http://127.0.0.1:{portal_port}",
        internal_url=f"http://127.0.0.1:{internal_port}",
    )
    s.cli("db", "upgrade")
    out = s.cli("demo", "load")
    s.admin_token = next(line.split(":", 1)[1].strip() for line in out.splitlines() if "API token" in line)
    try:
        s.start("worker", "worker")
        s.start("portal", "serve", "portal", "--port", str(portal_port))
        s.start("internal", "serve", "internal", "--port", str(internal_port))
        s.wait_healthy(s.portal_url, "portal")
        s.wait_healthy(s.internal_url, "internal")
        # The worker builds the search index from the database on its first pass.
        s.wait_until(
            lambda: (
                s.portal_json("/api/public/v1/disclosures?per_page=1")["source"] == "search"
                and s.portal_json("/api/public/v1/disclosures?q=公司&per_page=1")["total"] > 0
            ),
            timeout=STARTUP_SECONDS,
            what="the search index",
        )
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="session")
def portal_url(servers: Servers) -> str:
    return servers.portal_url


@pytest.fixture(scope="session")
def internal_url(servers: Servers) -> str:
    return servers.internal_url


@pytest.fixture(scope="session")
def browser(servers: Servers) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) and page, desktop-sized."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A phone-sized page (iPhone SE-like viewport, touch)."""
    context = browser.new_context(
        viewport={"width": 375, "height": 667},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def console_login(internal_url: str) -> Callable[[Any], None]:
    """Log a page in to the staff console as the demo reviewer."""

    def login(pg: Any) -> None:
        pg.goto(internal_url + "/console/login")
        pg.fill("input[name=username]", DEMO_USER)
        pg.fill("input[name=password]", DEMO_PASSWORD)
        pg.click("button[type=submit]")
        pg.wait_for_url(lambda url: "/login" not in url)

    return login


@pytest.fixture(scope="session")
def screenshot() -> Callable[[Any, str], Path]:
    """Save a full-page screenshot under e2e/artifacts/ (ignored by git) for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(pg: Any, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return save
