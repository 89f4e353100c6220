"""Decision documents in the console: upload, the extracted fields to confirm, submit (issue 15)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.credit.rows import source_id_for
from gongshi.domain.intake import IntakeError, decode_intake
from gongshi.domain.labels import PENALTY_CATEGORY
from gongshi.errors import GongshiError
from gongshi.internal_api.api.documents import Form, _extract
from gongshi.internal_api.api.imports import Multipart
from gongshi.internal_api.console.render import field_hint, render_page
from gongshi.publication.intake import submit


def _page(request: Request[Any, Any, Any], **context: Any) -> Template:
    blank: dict[str, Any] = {"categories": PENALTY_CATEGORY, "error": None, "intake": None, "warnings": []}
    return render_page("document_form.html", request, **{**blank, **context})


@get("/console/documents", sync_to_thread=False, include_in_schema=False)
def document_upload_form(request: Request[Any, Any, Any], principal: NamedDependency[Principal]) -> Template:
    return _page(request)


@post("/console/documents", sync_to_thread=True, include_in_schema=False)
def document_extract_page(
    request: Request[Any, Any, Any],
    data: Multipart,
    principal: NamedDependency[Principal],
    wf: NamedDependency[Workflow],
) -> Template:
    try:
        result = _extract(wf, principal, data)
    except GongshiError as exc:
        return _page(request, error=exc.message)
    return _page(request, intake=result.intake, warnings=result.warnings)


def intake_from_form(form: dict[str, Any]) -> dict[str, Any]:
    """The confirm form's fields → an intake object (SPEC §2.1); empty inputs are left out."""

    def v(name: str) -> str | None:
        value = form.get(name)
        text = value.strip() if isinstance(value, str) else ""
        return text or None

    categories = form.get("categories") or []
    if isinstance(categories, str):
        categories = [categories]
    party = {
        "kind": v("party_kind") or "legal_person",
        "name": v("party_name") or "",
        "id_type": v("party_id_type") if v("party_id_number") else None,
        "id_number": v("party_id_number"),
        "address": v("party_address"),
        "legal_representative": v("legal_representative"),
    }
    number = v("document_number") or ""
    kind = v("kind") or "penalty"
    body: dict[str, Any] = {
        "source_id": v("source_id") or (source_id_for(number) if number else ""),
        "agency": {"code": v("agency_code") or "", "name": v("agency_name") or ""},
        "kind": kind,
        "document_number": number,
        "title": v("title") or "",
        "decided_on": v("decided_on"),
        "party": {k: val for k, val in party.items() if val is not None},
        "facts": v("facts") or "",
        "legal_basis": v("legal_basis") or "",
        "result": v("result") or "",
        "full_text": v("full_text"),
    }
    if kind == "penalty":
        body["penalty"] = {
            "categories": [c for c in categories if c in PENALTY_CATEGORY],
            "fine_yuan": v("fine_yuan"),
            "confiscated_yuan": v("confiscated_yuan"),
            "violation_type": v("violation_type"),
        }
    return body


@post("/console/documents/submit", sync_to_thread=True, include_in_schema=False)
def document_submit(
    request: Request[Any, Any, Any],
    data: Form,
    principal: NamedDependency[Principal],
    wf: NamedDependency[Workflow],
) -> Template | Redirect:
    """Submit the confirmed fields as an ordinary intake (redaction runs on it like on any other)."""
    body = intake_from_form(data)
    try:
        principal.require("decision.submit")
        intake = decode_intake(msgspec.json.encode(body))
        with wf.db.write() as session:
            result = submit(session, principal, intake, wf.calendar.get(), wf.clock())
            decision_id = result.decision.id
    except (GongshiError, IntakeError) as exc:
        message = exc.message + field_hint(exc.field)
        return _page(request, intake=body, warnings=[], error=f"未提交：{message}")
    request.session["flash"] = {"message": "已按普通决定提交，脱敏后进入审核队列", "kind": "ok"}
    return Redirect(f"/console/decisions/{decision_id}")


ROUTES = [document_upload_form, document_extract_page, document_submit]
