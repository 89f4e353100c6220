"""Console pages for an agency's annual report: the figures form and publishing, over the API's services."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from gongshi.agencies import reports
from gongshi.agencies.schemas import FIGURE_GROUPS, ReportPut
from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.domain import text
from gongshi.errors import GongshiError
from gongshi.internal_api.console.agencies import error_text
from gongshi.internal_api.console.render import LABELS as CONSOLE_LABELS
from gongshi.internal_api.console.render import Form, flash, render_page


def _report_page(
    request: Request[Any, Any, Any], wf: Workflow, principal: Principal, code: str, year: int, **extra: Any
) -> Template | Redirect:
    with wf.db.read() as session:
        try:
            report = reports.read_report(wf, session, principal, code, year)
        except GongshiError as exc:
            flash(request, exc.message, "error")
            return Redirect(f"/console/agencies/{code}" if exc.field == "year" else "/console/agencies")
    figures = msgspec.to_builtins(report.figures)
    figures.update(extra.pop("entered", {}))
    return render_page(
        "agencies/report.html",
        request,
        report=report,
        figures=figures,
        groups=FIGURE_GROUPS,
        kind_labels=CONSOLE_LABELS,
        can_report=principal.can("report.edit"),
        can_publish=principal.can("report.publish") and year < wf.today().year,
        form_error=extra.get("form_error"),
    )


@get("/console/agencies/{code:str}/reports/{year:int}", sync_to_thread=True, include_in_schema=False)
def report_page(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    code: FromPath[str],
    year: FromPath[int],
    wf: NamedDependency[Workflow],
) -> Template | Redirect:
    return _report_page(request, wf, principal, code, year)


# A separate path from the GET: a sync GET and POST on one path got the GET wrapped twice
# (Litestar 2.x), so its coroutine was never awaited.
@post("/console/agencies/{code:str}/reports/{year:int}/figures", sync_to_thread=True, include_in_schema=False)
def save_report(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    code: FromPath[str],
    year: FromPath[int],
    data: Form,
    wf: NamedDependency[Workflow],
) -> Template | Redirect:
    entered = {k: data.get(k, "").strip() for _, items in FIGURE_GROUPS for k, _ in items}
    figures: dict[str, Any] = {k: v for k, v in entered.items() if v != ""}
    figures["other_notes"] = data.get("other_notes", "")
    try:
        body = text.convert({"figures": figures}, ReportPut, strict=False)
        with wf.db.write() as session:
            reports.save_figures(wf, session, principal, code, year, body)
        flash(request, f"{year} 年度年报数据已保存（草稿，公开前门户不显示）")
    except (GongshiError, msgspec.ValidationError) as exc:
        page = _report_page(request, wf, principal, code, year, entered=entered, form_error=error_text(exc))
        if isinstance(page, Template):
            page.status_code = 422
        return page
    return Redirect(f"/console/agencies/{code}/reports/{year}")


@post("/console/agencies/{code:str}/reports/{year:int}/publish", sync_to_thread=True, include_in_schema=False)
def publish_report(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    code: FromPath[str],
    year: FromPath[int],
    wf: NamedDependency[Workflow],
) -> Redirect:
    try:
        with wf.db.write() as session:
            out = reports.publish_report(wf, session, principal, code, year)
        flash(request, f"{year} 年度年报已公开（第 {out.revision} 版）")
    except GongshiError as exc:
        flash(request, "未能公开：" + error_text(exc), "error")
    return Redirect(f"/console/agencies/{code}/reports/{year}")


ROUTES = [report_page, save_report, publish_report]
