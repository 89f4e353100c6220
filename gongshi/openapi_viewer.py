"""/api/docs for both apps without a CDN: Swagger UI from the `swagger-ui-bundle-v2` package.

Litestar's default viewer loads its scripts from a CDN, so the page is blank without internet (and
under our CSP). This plugin serves the same viewer from files installed with the package, started
by a small script of ours rather than an inline one, so `script-src 'self'` holds.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from litestar import Request
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.router import Router
from litestar.static_files import create_static_files_router
from swagger_ui_bundle import swagger_ui_path

ASSETS = "/static/apidocs"
_OURS = Path(__file__).resolve().parent / "static" / "apidocs"


class OfflineSwagger(OpenAPIRenderPlugin):
    """Swagger UI at /api/docs (and /api/docs/swagger), its assets under /static/apidocs."""

    def __init__(self) -> None:
        super().__init__(path=["/", "/swagger"])

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        title = escape(openapi_schema["info"]["title"])
        return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · 接口文档</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
<script src="{ASSETS}/swagger-ui-bundle.js" defer></script>
<script src="{ASSETS}/init.js" defer></script>
</head>
<body>
<main id="swagger-ui" data-spec-url="/api/docs/openapi.json"><noscript>接口文档需要 JavaScript；
机器可读的接口说明见 <a href="/api/docs/openapi.json">/api/docs/openapi.json</a>。</noscript></main>
</body>
</html>
""".encode()

    def receive_router(self, router: Router) -> None:
        """No OAuth2 redirect page: neither app uses OAuth2."""


def assets_router() -> Any:
    """The viewer's files: the package's Swagger UI build, and our start-up script."""
    return create_static_files_router(
        path=ASSETS,
        directories=[_OURS, Path(swagger_ui_path)],
        include_in_schema=False,
        cache_control=None,
        name="apidocs-assets",
    )
