"""Access and correction requests as staff handle them: API and console pages (issue 5)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter, RawBody
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.internal_api.api.attachments import FILE_CSP
from gongshi.internal_api.api.decisions import decode_body
from gongshi.parties import access_staff, corrections, corrections_staff, notify, schemas
from gongshi.storage.models import Notification

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


class NotificationOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    channel: str
    recipient: str
    subject: str
    body: str
    created_at: Any
    sent_at: Any


class AccessController(Controller):
    path = "/api/v1/requests/access"
    tags = ("requests",)

    @get("/", sync_to_thread=True, summary="Open access requests (or those in `state`), by deadline")
    def list_requests(
        self,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
        state_filter: Annotated[str | None, QueryParameter(name="state")] = None,
    ) -> list[schemas.AccessRequestOut]:
        with wf.db.read() as session:
            return [access_staff.to_out(r) for r in access_staff.listing(session, principal, state_filter)]

    @get("/{request_id:int}", sync_to_thread=True)
    def read(
        self, request_id: FromPath[int], principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
    ) -> schemas.AccessRequestOut:
        principal.require("request.review")
        with wf.db.read() as session:
            return access_staff.to_out(access_staff.load(session, principal, request_id))

    @post(
        "/{request_id:int}/check", sync_to_thread=True, status_code=200, summary="Reviewer: identity checked"
    )
    def check(
        self,
        request_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.AccessRequestOut:
        with wf.db.write() as session:
            return access_staff.check(wf, session, principal, request_id, decode_body(body, schemas.NoteBody))

    @post(
        "/{request_id:int}/extend", sync_to_thread=True, status_code=200, summary="Extend by 20 working days"
    )
    def extend(
        self,
        request_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.AccessRequestOut:
        with wf.db.write() as session:
            return access_staff.extend(
                wf, session, principal, request_id, decode_body(body, schemas.ReasonBody)
            )

    @post("/{request_id:int}/refuse", sync_to_thread=True, status_code=200, summary="Refuse, with a reason")
    def refuse(
        self,
        request_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.AccessRequestOut:
        with wf.db.write() as session:
            return access_staff.refuse(
                wf, session, principal, request_id, decode_body(body, schemas.ReasonBody)
            )

    @post(
        "/{request_id:int}/approve",
        sync_to_thread=True,
        status_code=200,
        summary="Head: release to the party (记录办法 Art 20); the answer carries the access code once",
    )
    def approve(
        self,
        request_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.AccessRequestOut:
        with wf.db.write() as session:
            return access_staff.approve(
                wf, session, principal, request_id, decode_body(body, schemas.NoteBody)
            )


class CorrectionController(Controller):
    path = "/api/v1/requests/corrections"
    tags = ("requests",)

    @get("/", sync_to_thread=True, summary="Open correction requests (or those in `state`)")
    def list_requests(
        self,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
        state_filter: Annotated[str | None, QueryParameter(name="state")] = None,
    ) -> list[schemas.CorrectionRequestOut]:
        with wf.db.read() as session:
            return [
                corrections_staff.to_out(session, r)
                for r in corrections_staff.listing(session, principal, state_filter)
            ]

    @get("/{request_id:int}", sync_to_thread=True)
    def read(
        self, request_id: FromPath[int], principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
    ) -> schemas.CorrectionRequestOut:
        principal.require("request.review")
        with wf.db.read() as session:
            return corrections_staff.to_out(session, corrections_staff.load(session, principal, request_id))

    @post("/{request_id:int}/accept", sync_to_thread=True, status_code=200, summary="The disclosure is wrong")
    def accept(
        self,
        request_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.CorrectionRequestOut:
        with wf.db.write() as session:
            return corrections_staff.accept(
                wf, session, principal, request_id, decode_body(body, schemas.NoteBody)
            )

    @post(
        "/{request_id:int}/reject", sync_to_thread=True, status_code=200, summary="Not wrong, with a reason"
    )
    def reject(
        self,
        request_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.CorrectionRequestOut:
        with wf.db.write() as session:
            return corrections_staff.reject(
                wf, session, principal, request_id, decode_body(body, schemas.ReasonBody)
            )

    @get("/{request_id:int}/files/{file_id:int}", sync_to_thread=True, summary="An evidence file")
    def file(
        self,
        request_id: FromPath[int],
        file_id: FromPath[int],
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> Response[bytes]:
        with wf.db.read() as session:
            row = corrections_staff.evidence_file(session, principal, request_id, file_id)
            return _download(row)


def _download(row: Any) -> Response[bytes]:
    return Response(
        row.content,
        media_type=row.media_type,
        headers={
            "Content-Disposition": f"attachment; filename=evidence-{row.id}"
            f"{corrections.EVIDENCE_TYPES.get(row.media_type, '')}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": FILE_CSP,
            "Cache-Control": "no-store",
        },
    )


def _notifications(session: Session, principal: Principal, limit: int) -> list[Notification]:
    principal.require("notifications.read")
    query = select(Notification).order_by(Notification.id.desc()).limit(limit)
    if principal.agency_id is not None:
        query = query.where(Notification.agency_id == principal.agency_id)
    return list(session.scalars(query))


def _notification_out(n: Notification) -> NotificationOut:
    return NotificationOut(
        id=n.id,
        channel=n.channel,
        recipient=n.recipient,
        subject=n.subject,
        body=notify.staff_body(n),  # never a secret the message carries
        created_at=n.created_at,
        sent_at=n.sent_at,
    )


@get("/api/v1/notifications", sync_to_thread=True, tags=["requests"], summary="Latest notifications (outbox)")
def list_notifications(
    principal: NamedDependency[Principal],
    wf: NamedDependency[Workflow],
    limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
) -> list[NotificationOut]:
    with wf.db.read() as session:
        return [_notification_out(n) for n in _notifications(session, principal, limit)]


# ---------------------------------------------------------------------------------------------
# Console pages.


# Route handlers and controllers this module adds to the internal app: the API, and the console pages.
ROUTES: list[Any] = [AccessController, CorrectionController, list_notifications]
