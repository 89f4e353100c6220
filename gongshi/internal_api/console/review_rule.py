"""The console page of an agency's second-review rule (issue 11): everyone in the agency sees it,
a head or an admin changes it (the same service as PUT /api/v1/agencies/{code}/second-review)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from gongshi.agencies.directory import find_agency
from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.errors import GongshiError
from gongshi.internal_api.console.render import Form, flash, render_page
from gongshi.publication import second_review

SWITCHES = ("unmasks", "kept_doubts", "natural_person")


def _page(
    request: Request[Any, Any, Any], wf: Workflow, principal: Principal, code: str
) -> Template | Redirect:
    with wf.db.read() as session:
        try:
            agency = find_agency(session, principal, code)
        except GongshiError as exc:
            flash(request, exc.message, "error")
            return Redirect("/console/agencies")
        out = second_review.rule_out(agency)
        name = agency.name
    return render_page(
        "agencies/second_review.html",
        request,
        code=code,
        agency_name=name,
        out=out,
        rule=msgspec.to_builtins(out.rule),
        switches=SWITCHES,
        reason_labels=second_review.REASON_LABELS,
        can_edit=principal.can(second_review.RULE_PERMISSION),
    )


@get("/console/agencies/{code:str}/second-review", sync_to_thread=True, include_in_schema=False)
def rule_page(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    code: FromPath[str],
    wf: NamedDependency[Workflow],
) -> Template | Redirect:
    return _page(request, wf, principal, code)


@post("/console/agencies/{code:str}/second-review", sync_to_thread=True, include_in_schema=False)
def save_rule(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    code: FromPath[str],
    data: Form,
    wf: NamedDependency[Workflow],
) -> Redirect:
    raw = data.get("sample_percent", "0").strip() or "0"
    try:
        if not raw.isdigit():
            raise msgspec.ValidationError("抽查比例须为 0 至 100 的整数")
        rule = msgspec.convert(
            {**{k: data.get(k) == "on" for k in SWITCHES}, "sample_percent": int(raw)},
            second_review.SecondReviewRule,
        )
        with wf.db.write() as session:
            agency = find_agency(session, principal, code)
            second_review.set_rule(session, principal, agency, rule, wf.clock())
        flash(request, "复核规则已保存")
    except GongshiError as exc:
        flash(request, f"未保存：{exc.message}", "error")
    except msgspec.ValidationError as exc:
        message = "抽查比例须为 0 至 100 的整数" if "sample_percent" in str(exc) else str(exc)
        flash(request, f"未保存：{message}", "error")
    return Redirect(f"/console/agencies/{code}/second-review")


ROUTES = [rule_page, save_rule]
