"""The open-data page: the portal's OpenAPI operations rendered server-side (no CDN, no script)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from gongshi.openapi import schema_of

_METHODS = ("get", "post", "put", "delete")


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Every documented operation with its parameters, in the schema's order."""
    out = []
    for path, item in schema.get("paths", {}).items():
        for method in _METHODS:
            op = item.get(method)
            if not op:
                continue
            params = [
                {
                    "name": p.get("name", ""),
                    "where": {"query": "查询参数", "path": "路径参数"}.get(p.get("in", ""), p.get("in", "")),
                    "required": bool(p.get("required")),
                    "description": p.get("description", ""),
                }
                for p in op.get("parameters", [])
                if p.get("in") in ("query", "path")
            ]
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "tags": op.get("tags", []),
                    "params": params,
                    "body": "requestBody" in op,
                }
            )
    return out


@get("/api", sync_to_thread=False, include_in_schema=False)
def api_page(request: Request[Any, Any, Any]) -> Template:
    schema = schema_of(request.app)
    return Template(
        "portal/api.html",
        context={"ops": operations(schema), "spec_url": "/api/docs/openapi.json"},
        headers={"Cache-Control": "public, max-age=300"},
    )


ROUTES = [api_page]
