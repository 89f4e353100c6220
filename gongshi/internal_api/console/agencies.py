"""Console pages for the agency directory, over the API's services (annual reports: agency_reports)."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy import func, select

from gongshi.agencies import directory, editing
from gongshi.agencies.schemas import (
    LEVEL_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    SUBJECT_LABELS,
    AgencyPut,
    ChangeIn,
    OfficersPut,
    Profile,
)
from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.domain import text
from gongshi.errors import GongshiError
from gongshi.internal_api.console.render import Form, field_hint, flash, render_page
from gongshi.storage.models import Agency
from gongshi.storage.portal_models import AgencyChange, AgencyOfficer, AnnualReport

OFFICER_FIELDS = (
    "name",
    "certificate_number",
    "category",
    "unit",
    "role",
    "valid_from",
    "valid_until",
    "status",
)
BASIS_FIELDS = ("title", "level", "document_number", "effective_on", "url")
BLANK_ROWS = 3
LABELS = {
    "level": LEVEL_LABELS,
    "role": ROLE_LABELS,
    "status": STATUS_LABELS,
    "subject": SUBJECT_LABELS,
}


def error_text(exc: Exception) -> str:
    if isinstance(exc, GongshiError):
        return exc.message + field_hint(exc.field)
    return f"输入有误：{exc}"


def _rows(data: dict[str, str], prefix: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
    """Form rows named `{prefix}{i}_{field}`; empty rows and rows marked for deletion are dropped."""
    count = int(data.get(f"{prefix}rows", "0") or 0) if data.get(f"{prefix}rows", "").isdigit() else 0
    rows: list[dict[str, str]] = []
    for i in range(min(count, 5000)):
        row = {f: data.get(f"{prefix}{i}_{f}", "").strip() for f in fields}
        if data.get(f"{prefix}{i}_delete") == "on":
            continue
        if any(v for k, v in row.items() if k not in ("role", "status", "level")):
            rows.append(row)
    return rows


def _resolves(data: dict[str, str]) -> list[int]:
    return [
        int(k.removeprefix("resolve-")) for k, v in data.items() if k.startswith("resolve-") and v == "on"
    ]


def _optional(value: str) -> str | None:
    return value or None


def _profile_from_form(data: dict[str, str]) -> dict[str, Any]:
    profile: dict[str, Any] = {
        k: data.get(f"p_{k}", "").strip() for k in Profile.__struct_fields__ if k != "matters"
    }
    profile["matters"] = [m.strip() for m in data.get("p_matters", "").splitlines() if m.strip()]
    return profile


def _context(
    wf: Workflow, session: Any, principal: Principal, agency: Agency, **overrides: Any
) -> dict[str, Any]:
    today = wf.today()
    out = directory.agency_out(session, agency)
    officers = directory.officers_view(session, agency, today).officers
    officer_rows = [
        {f: (v.isoformat() if isinstance(v := getattr(o, f), date) else v) for f in OFFICER_FIELDS}
        | {"expired": o.certificate_expired}
        for o in officers
    ]
    basis_rows = [
        {f: (v.isoformat() if isinstance(v := getattr(b, f), date) else (v or "")) for f in BASIS_FIELDS}
        for b in out.bases
    ]
    profile = msgspec.to_builtins(out.profile)
    years = list(
        session.execute(
            select(AnnualReport.year, AnnualReport.state)
            .where(AnnualReport.agency_id == agency.id)
            .order_by(AnnualReport.year.desc())
        ).all()
    )
    context = {
        "agency": out,
        "profile": profile,
        "officer_rows": officer_rows,
        "basis_rows": basis_rows,
        "blank_rows": BLANK_ROWS,
        "report_years": years,
        "last_year": today.year - 1,
        "today": today,
        "alabels": LABELS,
        "can_edit": principal.can("agency.edit"),
        "can_report": principal.can("report.edit"),
        "form_error": None,
        "error_form": None,
    }
    context.update(overrides)
    return context


@get("/console/agencies", sync_to_thread=True, include_in_schema=False)
def agency_list(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
) -> Template | Redirect:
    today = wf.today()
    query = select(Agency).order_by(Agency.region, Agency.code)
    if principal.agency_id is not None:
        query = query.where(Agency.id == principal.agency_id)
    with wf.db.read() as session:
        agencies = list(session.scalars(query))
        ids = [a.id for a in agencies]
        officers = dict(
            session.execute(
                select(AgencyOfficer.agency_id, func.count())
                .where(AgencyOfficer.agency_id.in_(ids))
                .group_by(AgencyOfficer.agency_id)
            ).all()
        )
        expired = dict(
            session.execute(
                select(AgencyOfficer.agency_id, func.count())
                .where(
                    AgencyOfficer.agency_id.in_(ids),
                    AgencyOfficer.status == "active",
                    AgencyOfficer.valid_until < today,
                )
                .group_by(AgencyOfficer.agency_id)
            ).all()
        )
        open_changes = dict(
            session.execute(
                select(AgencyChange.agency_id, func.count())
                .where(AgencyChange.agency_id.in_(ids), AgencyChange.resolved_at.is_(None))
                .group_by(AgencyChange.agency_id)
            ).all()
        )
        reported = set(
            session.scalars(
                select(AnnualReport.agency_id).where(
                    AnnualReport.year == today.year - 1, AnnualReport.state == "published"
                )
            )
        )
    rows = [
        {
            "code": a.code,
            "name": a.name,
            "region": a.region,
            "has_profile": bool(a.profile),
            "officers": officers.get(a.id, 0),
            "expired": expired.get(a.id, 0),
            "open_changes": open_changes.get(a.id, 0),
            "reported": a.id in reported,
        }
        for a in agencies
    ]
    return render_page("agencies/list.html", request, rows=rows, last_year=today.year - 1)


@get("/console/agencies/{code:str}", sync_to_thread=True, include_in_schema=False)
def agency_page(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    code: FromPath[str],
    wf: NamedDependency[Workflow],
) -> Template | Redirect:
    with wf.db.read() as session:
        try:
            agency = directory.find_agency(session, principal, code)
        except GongshiError as exc:
            flash(request, exc.message, "error")
            return Redirect("/console/agencies")
        context = _context(wf, session, principal, agency)
    return render_page("agencies/agency.html", request, **context)


def _rerender(
    request: Request[Any, Any, Any],
    wf: Workflow,
    principal: Principal,
    code: str,
    form: str,
    exc: Exception,
    **rows: Any,
) -> Template | Redirect:
    """The page again with the staff member's input kept and the error next to the form."""
    with wf.db.read() as session:
        try:
            agency = directory.find_agency(session, principal, code)
        except GongshiError as not_found:
            flash(request, not_found.message, "error")
            return Redirect("/console/agencies")
        context = _context(
            wf, session, principal, agency, form_error=error_text(exc), error_form=form, **rows
        )
    page = render_page("agencies/agency.html", request, **context)
    page.status_code = 422
    return page


def _save_agency(wf: Workflow, principal: Principal, code: str, body: dict[str, Any]) -> bool:
    put = text.convert(body, AgencyPut, strict=False)
    with wf.db.write() as session:
        return editing.save_agency(wf, session, principal, code, put).changed


def _current_bases(
    wf: Workflow, principal: Principal, code: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    with wf.db.read() as session:
        out = directory.agency_out(session, directory.find_agency(session, principal, code))
    return msgspec.to_builtins(out.profile), msgspec.to_builtins(out.bases)


def _done(request: Request[Any, Any, Any], changed: bool, what: str) -> None:
    flash(request, f"{what}已保存并在门户公开" if changed else f"{what}没有变化，未记录变更")


@post("/console/agencies/{code:str}/profile", sync_to_thread=True, include_in_schema=False)
def save_profile(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    code: FromPath[str],
    data: Form,
    wf: NamedDependency[Workflow],
) -> Template | Redirect:
    profile = _profile_from_form(data)
    try:
        _, bases = _current_bases(wf, principal, code)
        body = {
            "profile": profile,
            "bases": bases,
            "changed_on": _optional(data.get("changed_on", "")),
            "note": data.get("note", ""),
            "resolves": _resolves(data),
        }
        _done(request, _save_agency(wf, principal, code, body), "机关信息")
    except (GongshiError, msgspec.ValidationError) as exc:
        shown = profile | {"matters": profile["matters"]}
        return _rerender(request, wf, principal, code, "profile", exc, profile=shown)
    return Redirect(f"/console/agencies/{code}")


@post("/console/agencies/{code:str}/bases", sync_to_thread=True, include_in_schema=False)
def save_bases(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    code: FromPath[str],
    data: Form,
    wf: NamedDependency[Workflow],
) -> Template | Redirect:
    rows = _rows(data, "b", BASIS_FIELDS)
    try:
        profile, _ = _current_bases(wf, principal, code)
        bases = [{k: v for k, v in r.items() if v != "" or k in ("title", "level")} for r in rows]
        body = {
            "profile": profile,
            "bases": bases,
            "changed_on": _optional(data.get("changed_on", "")),
            "note": data.get("note", ""),
            "resolves": _resolves(data),
        }
        _done(request, _save_agency(wf, principal, code, body), "执法依据")
    except (GongshiError, msgspec.ValidationError) as exc:
        return _rerender(request, wf, principal, code, "bases", exc, basis_rows=rows)
    return Redirect(f"/console/agencies/{code}")


@post("/console/agencies/{code:str}/officers", sync_to_thread=True, include_in_schema=False)
def save_officers(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    code: FromPath[str],
    data: Form,
    wf: NamedDependency[Workflow],
) -> Template | Redirect:
    rows = _rows(data, "o", OFFICER_FIELDS)
    try:
        officers = [{k: v for k, v in r.items() if v != ""} for r in rows]
        body = text.convert(
            {
                "officers": officers,
                "changed_on": _optional(data.get("changed_on", "")),
                "note": data.get("note", ""),
                "resolves": _resolves(data),
            },
            OfficersPut,
            strict=False,
        )
        with wf.db.write() as session:
            changed = editing.save_officers(wf, session, principal, code, body).changed
        _done(request, changed, "执法人员名单")
    except (GongshiError, msgspec.ValidationError) as exc:
        return _rerender(request, wf, principal, code, "officers", exc, officer_rows=rows)
    return Redirect(f"/console/agencies/{code}")


@post("/console/agencies/{code:str}/changes", sync_to_thread=True, include_in_schema=False)
def announce_change(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    code: FromPath[str],
    data: Form,
    wf: NamedDependency[Workflow],
) -> Template | Redirect:
    try:
        body = text.convert(
            {k: data.get(k, "") for k in ("subject", "description", "changed_on")}, ChangeIn, strict=False
        )
        with wf.db.write() as session:
            change = editing.announce_change(wf, session, principal, code, body)
        flash(request, f"已登记变更，应于 {change.due_on.isoformat()} 前在门户更新")
    except (GongshiError, msgspec.ValidationError) as exc:
        return _rerender(request, wf, principal, code, "changes", exc)
    return Redirect(f"/console/agencies/{code}")


ROUTES = [
    agency_list,
    agency_page,
    save_profile,
    save_bases,
    save_officers,
    announce_change,
]
