"""/api/v1/decisions: intake, the record, reviewer actions and the audit trail."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, TypeVar

import msgspec
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter, RawBody
from sqlalchemy import select

from gongshi.auth.principal import Principal
from gongshi.core import audit
from gongshi.core.context import Workflow
from gongshi.domain import text
from gongshi.domain.ids import INT64_MAX
from gongshi.domain.intake import IntakeError, decode_intake, field_from_validation
from gongshi.domain.workdays import Deadline
from gongshi.errors import InvalidInput, TooLarge, Unprocessable
from gongshi.internal_api.api import schemas
from gongshi.parties import rulings
from gongshi.publication import records, redaction_edits, review, second_review, states
from gongshi.publication.intake import submit, submit_batch
from gongshi.storage.models import Agency, Decision

T = TypeVar("T")
MAX_BATCH = 1000


def decode_body(raw: bytes, type_: type[T]) -> T:
    """Decode a JSON body into `type_`; a 400 that names the field otherwise."""
    try:
        return text.decode(raw, type_)
    except text.ForbiddenCharacter as exc:
        raise InvalidInput(str(exc), field=exc.field, code="invalid_character") from exc
    except text.DateOutOfRange as exc:
        raise Unprocessable(str(exc), field=exc.field) from exc
    except msgspec.ValidationError as exc:
        raise InvalidInput(str(exc), field=field_from_validation(str(exc))) from exc
    except (msgspec.DecodeError, RecursionError) as exc:  # RecursionError: nested too deep
        raise InvalidInput(f"请求体不是有效的 JSON：{exc}", code="invalid_json") from exc


def _submitted(s: Any) -> schemas.Submitted:
    d = s.decision
    return schemas.Submitted(
        id=d.id,
        source_id=d.source_id,
        state=d.state,
        publish_by=d.publish_by,
        publish_by_provisional=d.publish_by_provisional,
        created=s.created,
        replaced=s.replaced,
        url=f"/api/v1/decisions/{d.id}",
    )


class _Batch(msgspec.Struct, forbid_unknown_fields=True):
    items: list[msgspec.Raw]


def _batch_items(raw: bytes) -> list[msgspec.Raw]:
    """A batch is a JSON array of intake objects, or {"items": [...]}."""
    stripped = raw.lstrip()
    try:
        if stripped.startswith(b"["):
            return msgspec.json.decode(raw, type=list[msgspec.Raw])
        return msgspec.json.decode(raw, type=_Batch).items
    except msgspec.ValidationError as exc:
        raise InvalidInput(str(exc), field=field_from_validation(str(exc)) or "items") from exc
    except (msgspec.DecodeError, RecursionError) as exc:  # RecursionError: nested too deep
        raise InvalidInput(f"请求体不是有效的 JSON：{exc}", code="invalid_json") from exc


def decision_response(wf: Workflow, session: Any, d: Decision) -> schemas.DecisionOut:
    agency = session.get(Agency, d.agency_id)
    events = list(audit.events_for(session, "decision", d.id))
    due_at = Deadline(on=d.publish_by, provisional=d.publish_by_provisional).due_at
    second = second_review.status(session, d, agency)
    return schemas.decision_out(d, agency, events, wf.settings.portal_base_url, due_at, second)


class DecisionController(Controller):
    path = "/api/v1/decisions"
    tags = ["decisions"]  # noqa: RUF012 (Litestar declares it as an instance attribute)

    @post("/", sync_to_thread=True, status_code=201, summary="Submit one decision (SPEC §2.1)")
    def create(
        self, body: RawBody, principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
    ) -> Response[schemas.Submitted]:
        principal.require("decision.submit")
        intake = decode_intake(body)
        with wf.db.write() as session:
            result = submit(session, principal, intake, wf.calendar.get(), wf.clock())
            out = _submitted(result)
        return Response(out, status_code=201 if result.created else 200)

    @get("/", sync_to_thread=True, summary="List decisions")
    def list_decisions(
        self,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
        state_filter: Annotated[str | None, QueryParameter(name="state")] = None,
        agency: FromQuery[str | None] = None,
        due_before: FromQuery[date | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
        after_id: Annotated[int | None, QueryParameter(ge=0, le=INT64_MAX)] = None,
    ) -> dict[str, Any]:
        principal.require("decision.read")
        if state_filter is not None and state_filter not in states.LABELS:
            raise InvalidInput(f"未知状态 {state_filter}，可选：{', '.join(states.LABELS)}", field="state")
        query = (
            select(Decision, Agency.code).join(Agency, Agency.id == Decision.agency_id).order_by(Decision.id)
        )
        if principal.agency_id is not None:
            query = query.where(Decision.agency_id == principal.agency_id)
        if state_filter:
            query = query.where(Decision.state == state_filter)
        if agency:
            query = query.where(Agency.code == agency)
        if due_before:
            query = query.where(Decision.publish_by < due_before)
        if after_id is not None:
            query = query.where(Decision.id > after_id)
        with wf.db.read() as session:
            rows = session.execute(query.limit(limit + 1)).all()
            waiting = second_review.pending(session, [d for d, _ in rows[:limit]])
        items = [schemas.summary(d, code, waiting.get(d.id)) for d, code in rows[:limit]]
        return {
            "items": msgspec.to_builtins(items),
            "next_after_id": items[-1].id if len(rows) > limit and items else None,
        }

    @get("/{decision_id:int}", sync_to_thread=True, summary="The record with deadlines, redactions and audit")
    def read(
        self, decision_id: FromPath[int], principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
    ) -> schemas.DecisionOut:
        principal.require("decision.read")
        with wf.db.read() as session:
            return decision_response(wf, session, records.load(session, principal, decision_id))

    @get("/{decision_id:int}/audit", sync_to_thread=True, summary="Audit trail with chain check")
    def audit_trail(
        self, decision_id: FromPath[int], principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
    ) -> schemas.AuditOut:
        principal.require("decision.read")
        with wf.db.read() as session:
            d = records.load(session, principal, decision_id)
            events = audit.events_for(session, "decision", d.id)
            check = audit.verify(events, d)
            return schemas.AuditOut(
                decision_id=d.id,
                intact=check.intact,
                first_bad_seq=check.first_bad_seq,
                events=[schemas.audit_out(e) for e in events],
            )

    def _act(
        self, wf: Workflow, principal: Principal, decision_id: int, action: Any, body: Any
    ) -> schemas.DecisionOut:
        with wf.db.write() as session:
            d = action(wf, session, principal, decision_id, body)
            session.flush()
            return decision_response(wf, session, d)

    @post("/{decision_id:int}/approve", sync_to_thread=True, status_code=200)
    def approve(
        self,
        decision_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.DecisionOut:
        return self._act(wf, principal, decision_id, review.approve, decode_body(body, review.ApproveBody))

    @post(
        "/{decision_id:int}/redactions",
        sync_to_thread=True,
        status_code=200,
        summary="Reviewer edit of the redaction: mask, unmask, recategorise, link, resolve_doubt, undo",
    )
    def edit_redaction(
        self,
        decision_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.DecisionOut:
        return self._act(
            wf, principal, decision_id, redaction_edits.edit, decode_body(body, redaction_edits.EditBody)
        )

    @post(
        "/{decision_id:int}/return-to-review",
        sync_to_thread=True,
        status_code=200,
        summary="From second review back to review, to change the redaction (with a reason)",
    )
    def return_to_review(
        self,
        decision_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.DecisionOut:
        return self._act(
            wf, principal, decision_id, review.return_to_review, decode_body(body, review.SendBackBody)
        )

    @post("/{decision_id:int}/withhold", sync_to_thread=True, status_code=200)
    def withhold(
        self,
        decision_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.DecisionOut:
        return self._act(wf, principal, decision_id, review.withhold, decode_body(body, review.WithholdBody))

    @post("/{decision_id:int}/send-back", sync_to_thread=True, status_code=200)
    def send_back(
        self,
        decision_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.DecisionOut:
        return self._act(wf, principal, decision_id, review.send_back, decode_body(body, review.SendBackBody))

    @post("/{decision_id:int}/release", sync_to_thread=True, status_code=200)
    def release(
        self,
        decision_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.DecisionOut:
        return self._act(
            wf, principal, decision_id, review.release_withheld, decode_body(body, review.ReleaseBody)
        )

    @post("/{decision_id:int}/withdraw", sync_to_thread=True, status_code=200)
    def withdraw(
        self,
        decision_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.DecisionOut:
        return self._act(wf, principal, decision_id, review.withdraw, decode_body(body, review.WithdrawBody))

    @post("/{decision_id:int}/corrections", sync_to_thread=True, status_code=201)
    def correct(
        self,
        decision_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.DecisionOut:
        return self._act(wf, principal, decision_id, review.correct, decode_body(body, review.CorrectionBody))


@post(
    "/api/v1/decisions:batch",
    sync_to_thread=True,
    status_code=200,
    tags=["decisions"],
    summary="Submit up to 1,000 decisions",
)
def create_batch(
    body: RawBody, principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
) -> dict[str, Any]:
    principal.require("decision.submit")
    raws = _batch_items(body)
    if len(raws) > MAX_BATCH:
        raise TooLarge(f"一批最多 {MAX_BATCH} 条，本批 {len(raws)} 条", field="items", code="batch_too_large")
    parsed: list[Any] = []
    for raw in raws:
        try:
            parsed.append(decode_intake(raw))
        except IntakeError as exc:
            parsed.append(exc)
    with wf.db.write() as session:
        results = submit_batch(session, principal, parsed, wf.calendar.get(), wf.clock())
        items: list[dict[str, Any]] = []
        for r in results:
            if r.submitted is not None:
                items.append({"index": r.index, **msgspec.to_builtins(_submitted(r.submitted))})
            else:
                err = r.error
                assert err is not None
                items.append(
                    {
                        "index": r.index,
                        "error": {"code": err.code, "message": err.message, "field": err.field},
                    }
                )
    stored = sum(1 for r in results if r.submitted is not None)
    return {"received": len(raws), "stored": stored, "errors": len(raws) - stored, "items": items}


@post(
    "/api/v1/decisions/{decision_id:int}/ruling",
    sync_to_thread=True,
    status_code=200,
    tags=["decisions"],
    summary="Record that a revoking ruling arrived: the withdrawal deadline starts (Art 12)",
)
def record_ruling(
    decision_id: FromPath[int],
    body: RawBody,
    principal: NamedDependency[Principal],
    wf: NamedDependency[Workflow],
) -> rulings.RulingOut:
    with wf.db.write() as session:
        return rulings.register_ruling(
            wf, session, principal, decision_id, decode_body(body, rulings.RulingBody)
        )
