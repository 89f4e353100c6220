"""The 双公示 export page of the console (issue 15)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import File, Template

from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.credit.export import ExportResult, check_options, run_export
from gongshi.credit.templates import TEMPLATES, TITLES
from gongshi.errors import GongshiError
from gongshi.internal_api.api.credit import _agency_code, _export_file, _since
from gongshi.internal_api.console.render import render_page


def _page(request: Request[Any, Any, Any], **context: Any) -> Template:
    return render_page(
        "credit_export.html", request, templates=[(t, TITLES[t]) for t in TEMPLATES], **context
    )


@get("/console/exports", sync_to_thread=True, include_in_schema=False)
def export_page(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    wf: NamedDependency[Workflow],
    agency: FromQuery[str | None] = None,
    template: FromQuery[str | None] = None,
    since: FromQuery[str | None] = None,
    check: FromQuery[str | None] = None,
) -> Template:
    """The export form; with check=1 the validation runs first and lists what would be rejected."""
    code = _agency_code(wf, principal, agency)
    result: ExportResult | None = None
    error = None
    if not principal.can("credit.export"):
        error = "只有机关负责人或管理员可以导出双公示数据"
    elif check and code:
        try:
            t, _ = check_options(template or None, "json")
            result = run_export(wf, principal, code, out=None, template=t, since=_since(since), dry_run=True)
        except GongshiError as exc:
            error = exc.message
    return _page(
        request,
        agency=code,
        template=template or "",
        since=since or "",
        result=result,
        error=error,
        can_export=principal.can("credit.export"),
    )


@get("/console/exports/shuanggongshi", sync_to_thread=True, include_in_schema=False)
def export_download(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    wf: NamedDependency[Workflow],
    agency: FromQuery[str | None] = None,
    since: FromQuery[str | None] = None,
    template: FromQuery[str | None] = None,
    format: FromQuery[str] = "xlsx",
) -> File | Template:
    code = _agency_code(wf, principal, agency)
    try:
        return _export_file(wf, principal, code, since, template, format)
    except GongshiError as exc:
        return _page(
            request,
            agency=code,
            template=template or "",
            since=since or "",
            result=None,
            error=exc.message,
            can_export=principal.can("credit.export"),
        )


ROUTES = [export_page, export_download]
