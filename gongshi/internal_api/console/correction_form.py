"""更正 as a form (issue 11): every field with a Chinese label, pre-filled from the current revision,
and the redaction of the new text shown before the correction is published. No JSON to edit."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.domain import text
from gongshi.domain.intake import Intake, IntakeError, decode_intake
from gongshi.errors import GongshiError, InvalidInput
from gongshi.internal_api.console.render import Form, field_hint, flash, render_page
from gongshi.internal_api.console.review import FIELD_LABELS, doubt_rows
from gongshi.publication import agency_terms, records, review
from gongshi.redaction import edits as ed
from gongshi.redaction import redact
from gongshi.redaction.entities import texts_of

# (form name, dotted intake path, label, multi-line)
FIELDS: tuple[tuple[str, str, str, bool], ...] = (
    ("document_number", "document_number", "文号", False),
    ("title", "title", "标题", False),
    ("decided_on", "decided_on", "决定日期", False),
    ("party_name", "party.name", "当事人名称", False),
    ("party_id_number", "party.id_number", "当事人证件号码", False),
    ("party_legal_representative", "party.legal_representative", "法定代表人（负责人）", False),
    ("party_address", "party.address", "当事人住所", False),
    ("facts", "facts", "违法事实", True),
    ("legal_basis", "legal_basis", "处罚依据", True),
    ("result", "result", "处罚结果", True),
    ("fine_yuan", "penalty.fine_yuan", "罚款金额（元）", False),
    ("full_text", "full_text", "决定书全文", True),
)


_REQUIRED = frozenset({"title", "document_number", "decided_on", "name", "facts", "result"})


def _get(data: dict[str, Any], path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def form_fields(intake: dict[str, Any]) -> list[dict[str, Any]]:
    """The form's fields, each with its current value (what the form is pre-filled with)."""
    out = []
    for name, path, label, multiline in FIELDS:
        value = _get(intake, path)
        if path.startswith("penalty.") and intake.get("penalty") is None:
            continue
        out.append(
            {
                "name": name,
                "label": label,
                "value": "" if value is None else str(value),
                "multiline": multiline,
            }
        )
    return out


def corrected(current: dict[str, Any], data: dict[str, str]) -> Intake:
    """The current intake with the form's values put in (an emptied optional field becomes absent)."""
    new = msgspec.json.decode(msgspec.json.encode(current))
    for name, path, _, _ in FIELDS:
        if name not in data:
            continue
        value: Any = data[name].replace("\r\n", "\n")
        *parents, leaf = path.split(".")
        target = new
        for part in parents:
            target = target.get(part)
            if not isinstance(target, dict):
                break
        else:
            if value == "" and leaf not in (
                "title",
                "document_number",
                "decided_on",
                "name",
                "facts",
                "result",
            ):
                value = None
            target[leaf] = value
    return decode_intake(msgspec.json.encode(new))


def _preview(d: Any, intake: Intake, policy: Any, terms: ed.AgencyTerms) -> dict[str, Any]:
    """The public version and the questions of the new text, as publishing the correction would make them."""
    result = redact(intake, policy)
    texts = texts_of(intake)
    edits = ed.rebase(ed.load(d.redaction_edits), texts)
    out = ed.replay(texts, result.redactions, result.doubts, edits, terms)
    public = msgspec.structs.replace(
        result.public,
        **{f: out.texts[f] for f in texts if f != "full_text" or result.public.full_text is not None},
    )
    intake_dict = msgspec.to_builtins(intake)
    return {
        "status": result.status,
        "reasons": [r.detail for r in result.reasons],
        "public": msgspec.to_builtins(public),
        "doubts": doubt_rows(intake_dict, msgspec.to_builtins(out.doubts)),
        "spans": len(out.spans),
    }


def _note(data: dict[str, str]) -> str:
    """The form's note (the audit event's reason): not a typed body, so checked here (issue 14 item 4)."""
    note = data.get("note", "").strip()
    found = text.FORBIDDEN.search(note)
    if found:
        raise InvalidInput(
            f"更正说明含有不允许的控制字符 U+{ord(found.group()):04X}", field="note", code="invalid_character"
        )
    return note or "更正"


def _failed(exc: GongshiError | IntakeError) -> str:
    return f"更正未完成：{exc.message}" + field_hint(exc.field)


@post("/console/decisions/{decision_id:int}/correction-preview", sync_to_thread=True, include_in_schema=False)
def correction_preview(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    decision_id: FromPath[int],
    data: Form,
    wf: NamedDependency[Workflow],
) -> Template | Redirect:
    principal.require("decision.review")
    try:
        with wf.db.read() as session:
            _note(data)
            d = records.load(session, principal, decision_id)
            intake = corrected(msgspec.json.decode(d.intake), data)
            terms = agency_terms.accepted(session, d.agency_id)
            preview = _preview(d, intake, wf.policy(minor_override=d.minor_override), terms)
            title = d.title
    except (GongshiError, IntakeError) as exc:
        flash(request, _failed(exc), "error")
        return Redirect(f"/console/decisions/{decision_id}#correction")
    fields = [
        {**f, "value": data.get(f["name"], f["value"])} for f in form_fields(msgspec.to_builtins(intake))
    ]
    return render_page(
        "correction_preview.html",
        request,
        decision_id=decision_id,
        title=title,
        preview=preview,
        fields=fields,
        note=data.get("note", ""),
        field_labels=FIELD_LABELS,
    )


@post("/console/decisions/{decision_id:int}/correction-confirm", sync_to_thread=True, include_in_schema=False)
def correction_confirm(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    decision_id: FromPath[int],
    data: Form,
    wf: NamedDependency[Workflow],
) -> Redirect:
    try:
        with wf.db.write() as session:
            d = records.load(session, principal, decision_id)
            intake = corrected(msgspec.json.decode(d.intake), data)
            body = review.CorrectionBody(intake=intake, note=_note(data))
            review.correct(wf, session, principal, decision_id, body)
        flash(request, "已发布更正")
    except (GongshiError, IntakeError) as exc:
        flash(request, _failed(exc), "error")
    return Redirect(f"/console/decisions/{decision_id}")


ROUTES = [correction_preview, correction_confirm]
