"""/api/docs renders its operations with no network beyond localhost (the viewer comes from a package)."""

from __future__ import annotations

import urllib.parse
from typing import Any

import pytest

from e2e.conftest import Servers

LOCAL = {"127.0.0.1", "localhost"}


@pytest.mark.parametrize(
    ("which", "operation"),
    [("portal", "/api/public/v1/disclosures"), ("internal", "/api/v1/decisions")],
)
def test_api_docs_render_offline(
    browser: Any, servers: Servers, screenshot: Any, which: str, operation: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    blocked: list[str] = []

    def only_localhost(route: Any) -> None:
        host = urllib.parse.urlsplit(route.request.url).hostname or ""
        if host in LOCAL:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_localhost)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    base = servers.portal_url if which == "portal" else servers.internal_url
    try:
        page.goto(base + "/api/docs")
        page.locator(".opblock").first.wait_for(timeout=90_000)  # 1.5 MB of script on a loaded machine
        assert page.locator(".opblock").count() > 5
        assert page.locator(f'.opblock-summary-path[data-path="{operation}"]').count() >= 1
        screenshot(page, f"api-docs-{which}")
        assert blocked == [], f"the docs page reached beyond localhost: {blocked}"
        assert problems == [], problems  # no CSP violation, no script error
    finally:
        context.close()
