"""Builds the public portal application from explicit settings."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from litestar import Litestar, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from gongshi.app_state import provide_workflow
from gongshi.core.context import Workflow
from gongshi.json_body import check_request, hooks
from gongshi.openapi import out_of_range_path_ids, render_plugins
from gongshi.openapi_viewer import assets_router
from gongshi.portal import agencies, apidocs, disclosures, feeds, party_requests, prefs, ratelimit
from gongshi.portal.context import Portal, provide_portal
from gongshi.portal.openapi import api_document
from gongshi.portal.reader import SearchReader
from gongshi.portal.web import HANDLERS, security_headers
from gongshi.settings import Settings

PACKAGE = Path(__file__).resolve().parent.parent


@get("/healthz", sync_to_thread=False, include_in_schema=False)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@get("/favicon.ico", sync_to_thread=False, include_in_schema=False)
def favicon() -> Redirect:
    # Browsers and crawlers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    return Redirect("/static/favicon.svg", status_code=301)


def _warm_up_later(portal: Portal) -> Callable[[], None]:
    def start() -> None:
        threading.Thread(target=portal.warm_up, name="gongshi-search-warm-up", daemon=True).start()

    return start


def _routes() -> list[Any]:
    return [
        healthz,
        favicon,
        *prefs.ROUTES,
        *disclosures.ROUTES,
        *feeds.ROUTES,
        *apidocs.ROUTES,
        *agencies.ROUTES,
        *party_requests.ROUTES,
        assets_router(),
        create_static_files_router(
            path="/static", directories=[PACKAGE / "static"], include_in_schema=False, cache_control=None
        ),
    ]


def create_app(
    settings: Settings,
    workflow: Workflow | None = None,
    *,
    rate_limits: Mapping[str, ratelimit.Limit] | None = None,
    search_reader: SearchReader | None = None,
    warm_up: bool | None = None,
) -> Litestar:
    """The public portal; `workflow` lets tests share one database, `rate_limits` overrides the defaults.

    `warm_up` (default: when the app builds its own workflow, as the CLI does) opens the search index
    in the background at start-up.
    """
    wf = workflow or Workflow.create(settings)
    limits = (
        rate_limits
        if rate_limits is not None
        else ratelimit.configured_limits(settings.portal_search_rate, settings.portal_form_rate)
    )
    state: dict[str, Any] = {
        "workflow": wf,
        "settings": settings,
        "rate_limits": ratelimit.buckets(limits),
        "portal": Portal.create(settings, wf, search_reader),
        "api_document": api_document(),
    }
    return Litestar(
        route_handlers=_routes(),
        dependencies={
            "wf": Provide(provide_workflow, sync_to_thread=False),
            "portal": Provide(provide_portal, sync_to_thread=False),
        },
        exception_handlers=HANDLERS,
        before_send=[security_headers],
        template_config=TemplateConfig(
            directory=PACKAGE / "templates",
            engine=JinjaTemplateEngine,
            engine_callback=lambda engine: engine.engine.globals.update(site=settings.site),
        ),
        openapi_config=OpenAPIConfig(
            title="gongshi 公示门户开放接口", version="1", path="/api/docs", render_plugins=render_plugins()
        ),
        before_request=hooks(out_of_range_path_ids, check_request),
        request_max_body_size=1024 * 1024,
        state=State(state),
        on_startup=[_warm_up_later(state["portal"])]
        if (workflow is None if warm_up is None else warm_up)
        else [],
        on_shutdown=[state["portal"].reader.close, wf.db.dispose],
    )
