"""The internal API's OpenAPI table: each operation's body type and the statuses it answers.

Every operation needs a bearer token (401) and a role that may do it (403); an operation with a
path parameter answers 404, one with query parameters or a body 400, one with a body 413 too.
What an operation answers beyond that is listed here; `gongshi.openapi` checks that every handler
that reads a body has its type listed.
"""

from __future__ import annotations

import msgspec

from gongshi.agencies.schemas import AgencyPut, ChangeIn, OfficersPut, ReportPut
from gongshi.cases.entries import CaseIn, DecisionRef, Entry
from gongshi.cases.release import ReleaseIn
from gongshi.credit.export import MEDIA_TYPES
from gongshi.domain.intake import Intake
from gongshi.openapi import ApiDocument, Op
from gongshi.parties import rulings, schemas
from gongshi.publication import agency_terms, redaction_edits, review, second_review

D = "/api/v1/decisions/{decision_id}"
CASE = "/api/v1/cases/{case_id}"
ACCESS = "/api/v1/requests/access/{request_id}"
CORRECTION = "/api/v1/requests/corrections/{request_id}"
AGENCY = "/api/v1/agencies/{code}"
ATTACHMENTS = CASE + "/entries/{entry_id}/attachments"


class Batch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A batch as an object; a bare JSON array of intake objects is accepted too."""

    items: list[Intake]


class AttachmentForm(msgspec.Struct, kw_only=True):
    """The multipart form of an attachment upload."""

    file: bytes
    captured_at: str  # ISO 8601 with a time zone
    late_reason: str | None = None
    returned_at: str | None = None


class ImportForm(msgspec.Struct, kw_only=True):
    """The multipart form of a spreadsheet import or a decision document to read."""

    file: bytes  # .xlsx or .csv; a decision document: .docx or a text PDF
    agency: str | None = None  # default: the token's agency


# A state action answers 409 when the record is not in a state that allows it.
_ACTION = (409, 422)
_REPLACED = {200: "Already there: the same content was submitted before (idempotent)"}

OPS: dict[tuple[str, str], Op] = {
    ("POST", "/api/v1/decisions"): Op(body=Intake, errors=(409, 422), success=_REPLACED),
    ("POST", "/api/v1/decisions:batch"): Op(body=list[Intake] | Batch),
    ("POST", D + "/approve"): Op(body=review.ApproveBody, errors=_ACTION),
    ("POST", D + "/redactions"): Op(body=redaction_edits.EditBody, errors=_ACTION),
    ("POST", D + "/withhold"): Op(body=review.WithholdBody, errors=_ACTION),
    ("POST", D + "/send-back"): Op(body=review.SendBackBody, errors=_ACTION),
    ("POST", D + "/return-to-review"): Op(body=review.SendBackBody, errors=_ACTION),
    ("POST", D + "/release"): Op(body=review.ReleaseBody, errors=_ACTION),
    ("POST", D + "/withdraw"): Op(body=review.WithdrawBody, errors=_ACTION),
    ("POST", D + "/corrections"): Op(body=review.CorrectionBody, errors=_ACTION),
    ("POST", D + "/ruling"): Op(body=rulings.RulingBody, errors=_ACTION),
    ("POST", "/api/v1/cases"): Op(body=CaseIn, errors=(409, 422), success=_REPLACED),
    ("POST", AGENCY + "/terms"): Op(body=agency_terms.TermIn, errors=(422,)),
    ("POST", AGENCY + "/terms/{term_id}/decision"): Op(body=agency_terms.TermDecision, errors=(409,)),
    ("POST", AGENCY + "/terms/{term_id}/removal"): Op(body=agency_terms.TermRemoval, errors=(409,)),
    ("PUT", AGENCY + "/second-review"): Op(body=second_review.SecondReviewRule),
    ("POST", CASE + "/entries"): Op(body=Entry, errors=(409, 422), success=_REPLACED),
    ("POST", CASE + "/decisions"): Op(body=DecisionRef, errors=(409, 422)),
    ("POST", CASE + "/releases"): Op(body=ReleaseIn, errors=(409, 422)),
    ("POST", ATTACHMENTS): Op(
        body=AttachmentForm,
        media_type="multipart/form-data",
        errors=(409, 422),
        success={200: "Already attached: the same file was attached before"},
    ),
    ("GET", ATTACHMENTS + "/{ref}"): Op(
        errors=(416,),
        content={"*/*": {"schema": {"type": "string", "format": "binary"}}},
        success={206: "The requested byte range"},
    ),
    ("GET", CORRECTION + "/files/{file_id}"): Op(
        content={"*/*": {"schema": {"type": "string", "format": "binary"}}}
    ),
    ("POST", "/api/v1/imports"): Op(body=ImportForm, media_type="multipart/form-data", errors=(404,)),
    ("POST", "/api/v1/documents:extract"): Op(
        body=ImportForm, media_type="multipart/form-data", errors=(404, 422)
    ),
    ("GET", "/api/v1/exports/shuanggongshi"): Op(
        errors=(404,),
        content={media: {"schema": {"type": "string", "format": "binary"}} for media in MEDIA_TYPES.values()},
    ),
    ("PUT", AGENCY): Op(body=AgencyPut, errors=(409, 422)),
    ("PUT", AGENCY + "/officers"): Op(body=OfficersPut, errors=(409, 422)),
    ("POST", AGENCY + "/changes"): Op(body=ChangeIn, errors=(409, 422)),
    ("GET", AGENCY + "/reports/{year}"): Op(errors=(422,)),
    ("PUT", AGENCY + "/reports/{year}"): Op(body=ReportPut, errors=(409, 422)),
    ("POST", AGENCY + "/reports/{year}/publish"): Op(errors=(409, 422)),
    ("POST", ACCESS + "/check"): Op(body=schemas.NoteBody, errors=_ACTION),
    ("POST", ACCESS + "/extend"): Op(body=schemas.ReasonBody, errors=_ACTION),
    ("POST", ACCESS + "/refuse"): Op(body=schemas.ReasonBody, errors=_ACTION),
    ("POST", ACCESS + "/approve"): Op(body=schemas.NoteBody, errors=_ACTION),
    ("POST", CORRECTION + "/accept"): Op(body=schemas.NoteBody, errors=_ACTION),
    ("POST", CORRECTION + "/reject"): Op(body=schemas.ReasonBody, errors=_ACTION),
}


def api_document() -> ApiDocument:
    return ApiDocument(ops=OPS, common_errors=(401, 403), bearer=True)
