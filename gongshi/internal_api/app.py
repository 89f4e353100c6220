"""Builds the internal API + staff console application from explicit settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Litestar, Router, get
from litestar.datastructures import CacheControlHeader, State
from litestar.di import Provide
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.openapi import OpenAPIConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from gongshi.app_state import provide_workflow
from gongshi.auth.credentials import TokenLookup
from gongshi.cases.store import AttachmentStore, attachment_store
from gongshi.core.context import Workflow
from gongshi.http_headers import before_send_hook
from gongshi.internal_api.api import (
    agencies,
    agency_terms,
    cases,
    credit,
    documents,
    imports,
    requests,
    review_rule,
    security,
)
from gongshi.internal_api.api.deadlines import list_deadlines
from gongshi.internal_api.api.decisions import DecisionController, create_batch, record_ruling
from gongshi.internal_api.console import agencies as agencies_console
from gongshi.internal_api.console import agency_reports as agency_reports_console
from gongshi.internal_api.console import agency_terms as agency_terms_console
from gongshi.internal_api.console import auth, correction_form, guard, review_queue
from gongshi.internal_api.console import cases as cases_console
from gongshi.internal_api.console import credit as credit_console
from gongshi.internal_api.console import decisions as decisions_console
from gongshi.internal_api.console import documents as documents_console
from gongshi.internal_api.console import imports as imports_console
from gongshi.internal_api.console import requests as requests_console
from gongshi.internal_api.console import review_rule as review_rule_console
from gongshi.internal_api.deps import provide_attachments, provide_principal
from gongshi.internal_api.errors import HANDLERS
from gongshi.internal_api.openapi import api_document
from gongshi.json_body import check_parameters, check_request, hooks
from gongshi.openapi import out_of_range_path_ids, render_plugins
from gongshi.openapi_viewer import assets_router
from gongshi.settings import Settings

PACKAGE = Path(__file__).resolve().parent.parent

# Console pages use no inline script or style; nothing of ours may be framed. Litestar's /api/docs
# viewer would load scripts from a CDN; gongshi.openapi_viewer serves them from a package instead.
CONSOLE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Every answer holds someone's personal data or a session: not cached, not framed, not sniffed.
# A handler may set its own CSP (attachments' sandbox) or Cache-Control (static files).
security_headers = before_send_hook(
    forced=[
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"x-frame-options", b"DENY"),
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    ],
    defaults=[(b"content-security-policy", CONSOLE_CSP.encode()), (b"cache-control", b"no-store")],
)


@get("/healthz", sync_to_thread=False, include_in_schema=False)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


def create_app(
    settings: Settings, workflow: Workflow | None = None, *, attachments: AttachmentStore | None = None
) -> Litestar:
    """The internal application; `workflow` lets tests share one database with a worker.

    What the handlers share is built here once and injected: the workflow, and the attachment store
    (by default the local one under the data dir; `attachments` puts another in its place).
    """
    wf = workflow or Workflow.create(settings)
    session_config = _session_config(settings)
    state: dict[str, Any] = {
        "workflow": wf,
        "attachments": attachments or attachment_store(settings.data_dir),
        "settings": settings,
        "token_lookup": TokenLookup(wf.db.read_engine),
        "api_document": api_document(),
    }
    return Litestar(
        route_handlers=[
            DecisionController,
            create_batch,
            record_ruling,
            list_deadlines,
            healthz,
            *cases.ROUTES,
            *agencies.ROUTES,
            *agency_terms.ROUTES,
            *review_rule.ROUTES,
            *requests.ROUTES,
            *credit.ROUTES,
            *imports.ROUTES,
            *documents.ROUTES,
            *security.ROUTES,
            _console_router(),
            assets_router(),
            create_static_files_router(
                path="/static",
                directories=[PACKAGE / "static"],
                include_in_schema=False,
                cache_control=CacheControlHeader(max_age=300),
            ),
        ],
        dependencies={
            "wf": Provide(provide_workflow, sync_to_thread=False),
            "attachments": Provide(provide_attachments, sync_to_thread=False),
            "principal": Provide(provide_principal, sync_to_thread=False),
        },
        exception_handlers=HANDLERS,  # type: ignore[arg-type]
        middleware=[session_config.middleware],
        before_send=[security_headers],
        template_config=TemplateConfig(directory=PACKAGE / "templates", engine=JinjaTemplateEngine),
        openapi_config=OpenAPIConfig(
            title="gongshi internal API", version="1", path="/api/docs", render_plugins=render_plugins()
        ),
        before_request=hooks(out_of_range_path_ids, check_request),
        request_max_body_size=settings.max_body_bytes,
        state=State(state),
        on_shutdown=[wf.db.dispose],
    )


def _session_config(settings: Settings) -> CookieBackendConfig:
    secret = settings.secret_key.encode()
    return CookieBackendConfig(
        secret=_key32(secret, b"session"),
        key="gongshi_console",
        max_age=8 * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        # Only the console has sessions; API clients use bearer tokens.
        exclude=["/api/", "/healthz", "/static/"],
    )


def _console_router() -> Router:
    """Console pages take their principal from the session cookie, not a bearer token."""
    return Router(
        "/",
        route_handlers=[
            *auth.ROUTES,
            *decisions_console.ROUTES,
            *review_queue.ROUTES,
            *correction_form.ROUTES,
            *cases_console.ROUTES,
            *review_rule_console.ROUTES,
            *agencies_console.ROUTES,
            *agency_reports_console.ROUTES,
            *agency_terms_console.ROUTES,
            *requests_console.ROUTES,
            *credit_console.ROUTES,
            *imports_console.ROUTES,
            *documents_console.ROUTES,
        ],
        dependencies={"principal": Provide(auth.console_principal, sync_to_thread=True)},
        exception_handlers={auth.LoginRequired: auth.to_login},
        # Every console post: same origin, and the CSRF token of its own session.
        before_request=hooks(out_of_range_path_ids, check_parameters, guard.console_guard),
    )


def _key32(secret: bytes, purpose: bytes) -> bytes:
    """A 32-byte key derived for one purpose from the deployment secret."""
    import hashlib

    return hashlib.sha256(purpose + b":" + secret).digest()
