"""OpenAPI documents that say what the apps really do: error shape, request bodies, status codes.

Litestar derives operations from handler signatures. Our handlers read JSON bodies by hand (msgspec,
for errors that name the field), so Litestar sees no body, and it documents its own error shape
(`{status_code, detail}`) where we answer `{"error": {"code", "message", "field"}}`. `ApiDocument`
completes Litestar's document from a table of the operations (their body types and the statuses
they answer) and serves the result at `<path>/openapi.json` and in the viewers.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from typing import Any

import msgspec
from litestar import Litestar, Request
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.routes import HTTPRoute

from gongshi.domain.ids import INT64_MAX, INT64_MIN
from gongshi.errors import NotFound
from gongshi.openapi_viewer import OfflineSwagger

METHODS = ("get", "head", "put", "post", "delete", "patch")
ERROR_REF = {"$ref": "#/components/schemas/Error"}


class ErrorDetail(msgspec.Struct, kw_only=True):
    """What went wrong; some errors add keys (e.g. `state`, `retry_after`)."""

    code: str
    message: str
    field: str | None


class Error(msgspec.Struct, kw_only=True):
    """The one error shape of the JSON APIs."""

    error: ErrorDetail


ERROR_DESCRIPTIONS = {
    400: "Invalid input; `error.field` names the offending field or parameter",
    401: "Missing, unknown or revoked bearer token",
    403: "The token's role or agency may not do this",
    404: "No such record, or not one the caller may see",
    405: "Method not allowed",
    409: "The record's state does not allow this action",
    410: "Withdrawn: the record was public and is not any more",
    413: "Request body too large",
    415: "Unsupported Content-Type; `error.message` names the expected type",
    416: "Range not satisfiable",
    422: "Well-formed, but a rule across fields refuses it; `error.field` names the field",
    429: "Too many requests; retry after `Retry-After` seconds",
    503: "Temporarily unavailable; retry later",
}


@dataclass(frozen=True)
class Op:
    """What one operation takes and answers, beyond what Litestar sees in its signature."""

    body: Any = None  # a type msgspec can describe (Struct, tagged union, list, …)
    media_type: str = "application/json"
    body_schema: dict[str, Any] | None = None  # a ready JSON Schema, instead of `body`
    body_required: bool | None = None  # default: when the body's schema has required properties
    errors: tuple[int, ...] = ()  # besides those every operation of the app answers
    success: Mapping[int, str] = field(default_factory=dict)  # more success statuses: description
    content: Mapping[str, dict[str, Any]] | None = None  # success media types, instead of Litestar's


@dataclass
class ApiDocument:
    """Litestar's document of an app, completed from `ops` and cached once built."""

    ops: Mapping[tuple[str, str], Op]
    common_errors: tuple[int, ...] = ()  # every operation
    param_errors: tuple[int, ...] = (400,)  # operations with query parameters or a body
    body_errors: tuple[int, ...] = (400, 413)  # operations with a body
    bearer: bool = False
    _built: dict[str, Any] | None = None

    def schema(self, app: Litestar) -> dict[str, Any]:
        if self._built is None:
            self._built = self.build(app)
        return self._built

    def build(self, app: Litestar) -> dict[str, Any]:
        doc = copy.deepcopy(app.openapi_schema.to_schema())
        json_bodies = self._check_bodies(app)
        bodies = self._body_schemas(doc)
        for path, method, op in _operations(doc):
            # A HEAD operation answers as its GET does, without the body.
            spec = self.ops.get((method.upper(), path)) or self.ops.get(("GET", path), Op())
            if method == "head":
                spec = replace(spec, body=None, body_schema=None)
            params = op.get("parameters", [])
            for p in params:
                _bound_integers(p.get("schema", {}))
            responses: dict[str, Any] = op.setdefault("responses", {})
            _http_dates(responses)
            # Litestar's own error shape, which we never answer.
            for litestar_error in [s for s in responses if s.startswith(("4", "5"))]:
                del responses[litestar_error]
            if spec.content is not None:
                ok = next((s for s in responses if s.startswith("2")), None)
                if ok is not None:
                    responses[ok]["content"] = dict(spec.content)
            for success, description in spec.success.items():
                responses.setdefault(str(success), {"description": description, **_content_of(responses)})
            errors = set(self.common_errors) | set(spec.errors)
            if any(p.get("in") == "path" for p in params):
                errors.add(404)
            if any(p.get("in") == "query" for p in params):
                errors.update(self.param_errors)
            if (method.upper(), path) in bodies:
                op["requestBody"] = bodies[(method.upper(), path)]
                errors.update(self.body_errors)
            if (method.upper(), path) in json_bodies:
                errors.add(415)  # gongshi.json_body: a JSON endpoint refuses any other declared type
            if any(p.get("in") == "path" and p.get("schema", {}).get("type") == "string" for p in params):
                errors.add(400)  # a text path parameter with a control character
            for status in sorted(errors):
                responses[str(status)] = _error_response(status)
        components = doc.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        (_,), error_defs = msgspec.json.schema_components([Error], ref_template="#/components/schemas/{name}")
        schemas.update(error_defs)
        if self.bearer:
            components["securitySchemes"] = {
                "bearer": {"type": "http", "scheme": "bearer", "description": "gongshi token create"}
            }
            doc["security"] = [{"bearer": []}]
        return doc

    def _body_schemas(self, doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
        """requestBody objects of the operations that take a body; their components join the doc's."""
        keyed = [(key, spec) for key, spec in self.ops.items() if spec.body is not None]
        roots, defs = msgspec.json.schema_components(
            [spec.body for _, spec in keyed], ref_template="#/components/schemas/{name}"
        )
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        renames = {name: f"{name}In" for name in defs if name in schemas and schemas[name] != defs[name]}
        for name, schema in defs.items():
            schemas[renames.get(name, name)] = _renamed(schema, renames)
        out: dict[tuple[str, str], dict[str, Any]] = {}
        for (key, spec), root in zip(keyed, roots, strict=True):
            out[key] = _request_body(spec, _renamed(root, renames))
        for key, spec in self.ops.items():
            if spec.body_schema is not None:
                out[key] = _request_body(spec, spec.body_schema)
        return out

    def _check_bodies(self, app: Litestar) -> set[tuple[str, str]]:
        """The operations that decode a JSON body by hand (`body: bytes`); each must be in the table.

        A `data` parameter Litestar documents itself (the table may still describe it better).
        """
        json_bodies: set[tuple[str, str]] = set()
        for route in app.routes:
            if not isinstance(route, HTTPRoute):
                continue
            for handler in route.route_handlers:
                if not handler.resolve_include_in_schema():
                    continue
                reads = "body" in handler.parsed_fn_signature.parameters
                for method in handler.http_methods:
                    spec = self.ops.get((method, route.path_format))
                    documented = spec is not None and (spec.body is not None or spec.body_schema is not None)
                    if reads and not documented:
                        raise ValueError(f"{method} {route.path_format} reads a body the OpenAPI table omits")
                    if reads:
                        json_bodies.add((method, route.path_format))
        return json_bodies


def _operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _bound_integers(schema: dict[str, Any]) -> None:
    """Integer parameters are 64-bit: the database cannot hold more (larger ones answer 404/400)."""
    for sub in schema.get("oneOf", schema.get("anyOf", [])):
        _bound_integers(sub)
    if schema.get("type") == "integer":
        schema.setdefault("maximum", INT64_MAX)
        schema.setdefault("minimum", INT64_MIN)


def _http_dates(responses: dict[str, Any]) -> None:
    """Litestar calls Last-Modified a date-time; it is an HTTP date (RFC 9110), not RFC 3339."""
    for response in responses.values():
        for name, header in response.get("headers", {}).items():
            if name.lower() == "last-modified":
                header.get("schema", {}).pop("format", None)


def _content_of(responses: dict[str, Any]) -> dict[str, Any]:
    ok = next((r for s, r in responses.items() if s.startswith("2") and "content" in r), None)
    return {"content": ok["content"]} if ok else {}


def _error_response(status: int) -> dict[str, Any]:
    description = ERROR_DESCRIPTIONS.get(status) or HTTPStatus(status).phrase
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": ERROR_REF}},
    }
    if status == 429:
        response["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds"}}
    return response


def _request_body(spec: Op, schema: dict[str, Any]) -> dict[str, Any]:
    required = spec.body_required if spec.body_required is not None else bool(schema.get("required", True))
    return {"required": required, "content": {spec.media_type: {"schema": schema}}}


def _renamed(schema: Any, renames: Mapping[str, str]) -> Any:
    if not renames:
        return schema
    if isinstance(schema, dict):
        out = {k: _renamed(v, renames) for k, v in schema.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.rsplit("/", 1)[-1] in renames:
            out["$ref"] = "#/components/schemas/" + renames[ref.rsplit("/", 1)[-1]]
        return out
    if isinstance(schema, list):
        return [_renamed(v, renames) for v in schema]
    return schema


class _Truthful:
    """A render plugin that renders the completed document instead of Litestar's."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        document: ApiDocument | None = request.app.state.get("api_document")
        schema = document.schema(request.app) if document else openapi_schema
        return super().render(request, schema)  # type: ignore[misc, no-any-return]


class TruthfulJson(_Truthful, JsonRenderPlugin):
    pass


def render_plugins() -> list[Any]:
    """The offline Swagger UI at the docs root and /swagger, and the completed openapi.json."""
    return [OfflineSwagger(), TruthfulJson()]


def schema_of(app: Litestar) -> dict[str, Any]:
    """The completed document of an app built with an `api_document` in its state."""
    document: ApiDocument | None = app.state.get("api_document")
    return document.schema(app) if document else app.openapi_schema.to_schema()


def out_of_range_path_ids(request: Request[Any, Any, Any]) -> None:
    """A before-request hook: an integer path parameter beyond 64 bits names no record (404)."""
    for value in request.path_params.values():
        if isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
            raise NotFound("记录不存在")
