"""Request and response Structs of party access requests and correction requests (the API boundary)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from msgspec import Meta, Struct

from gongshi.parties.view import PartyDecisionView

Scope = Literal["decision", "records"]


class AccessRequestIn(Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    document_number: Annotated[str, Meta(min_length=1, max_length=200)]
    name: Annotated[str, Meta(min_length=1, max_length=200)]
    id_number: Annotated[str, Meta(min_length=4, max_length=64)]
    contact: Annotated[str, Meta(min_length=3, max_length=200)]
    scope: Scope = "decision"


class AccessReceived(Struct, frozen=True, kw_only=True):
    """The answer to every access request, matching or not."""

    tracking_no: str
    status: str
    received_on: date
    due_on: date
    status_url: str
    message: str


class AccessStatus(Struct, frozen=True, kw_only=True):
    tracking_no: str
    type: str
    scope: str
    status: str
    status_label: str
    received_on: date
    due_on: date
    extended: bool
    answer: str | None
    access_expires_at: datetime | None


class AccessRequestOut(Struct, frozen=True, kw_only=True):
    """A request as staff see it."""

    id: int
    tracking_no: str
    scope: str
    state: str
    document_number: str
    requester_name: str
    id_hint: str
    contact: str
    matched: bool
    decision_id: int | None
    agency_id: int | None
    received_on: date
    due_on: date
    due_provisional: bool
    extended: bool
    extension_reason: str | None
    checked_by: str | None
    checked_at: datetime | None
    decided_by: str | None
    decided_at: datetime | None
    refusal_reason: str | None
    access_expires_at: datetime | None
    views: int
    # Only in the answer to the head's approval: the code to hand to the party.
    access_code: str | None = None


class NoteBody(Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    note: Annotated[str, Meta(max_length=5000)] = ""


class ReasonBody(Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    reason: Annotated[str, Meta(min_length=4, max_length=5000)]


class GrantedView(Struct, frozen=True, kw_only=True):
    tracking_no: str
    scope: str
    access_expires_at: datetime
    decision: PartyDecisionView
    # The case's process records as released to the party (scope "records"), when the case is kept here.
    records: Any | None = None
    records_note: str | None = None


class CorrectionRequestIn(Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    # A public id, a pasted portal address (…/disclosures/<id>) or the decision's document number.
    disclosure_id: Annotated[str, Meta(min_length=1, max_length=500)]
    description: Annotated[str, Meta(min_length=4, max_length=5000)]
    contact: Annotated[str, Meta(max_length=200)] | None = None
    evidence: Annotated[str, Meta(max_length=20000)] = ""


class EvidenceFile(Struct, frozen=True, kw_only=True):
    filename: str
    media_type: str
    content: bytes


class CorrectionReceived(Struct, frozen=True, kw_only=True):
    tracking_no: str
    status: str
    status_url: str
    message: str


class CorrectionStatus(Struct, frozen=True, kw_only=True):
    tracking_no: str
    type: str
    disclosure_id: str
    status: str
    status_label: str
    received_on: date
    answer: str | None
    corrected_at: datetime | None


class EvidenceOut(Struct, frozen=True, kw_only=True):
    id: int
    filename: str
    media_type: str
    size: int
    sha256: str


class CorrectionRequestOut(Struct, frozen=True, kw_only=True):
    id: int
    tracking_no: str
    disclosure_id: str
    decision_id: int
    agency_id: int
    description: str
    evidence: str
    contact: str | None
    state: str
    received_on: date
    answer: str | None
    answered_by: str | None
    answered_at: datetime | None
    corrected_at: datetime | None
    files: list[EvidenceOut] = []
