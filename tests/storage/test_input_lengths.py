"""Every VARCHAR(n) column fed from input has the same limit at input, so both databases agree.

SQLite ignores VARCHAR lengths and PostgreSQL enforces them: a value over the limit was stored on
one and a 500 on the other. Each length-limited column is either fed from an input field whose
type carries at most its length, checked in code (named here), or written only by gongshi itself.
A new column fails this test until it is classified.
"""

from __future__ import annotations

from typing import Any

import pytest
from msgspec import inspect
from sqlalchemy import String

import gongshi.storage.auth_models
import gongshi.storage.case_models
import gongshi.storage.credit_models
import gongshi.storage.portal_models
import gongshi.storage.request_models  # noqa: F401 (registers the tables)
from gongshi.agencies.schemas import AgencyPut, BasisIn, OfficerIn
from gongshi.agencies.validation import check_certificate
from gongshi.auth import credentials
from gongshi.cases import upload
from gongshi.cases.entries import CaseIn, DecisionRef, Source
from gongshi.domain import workdays
from gongshi.domain.intake import AgencyRef, Intake
from gongshi.parties.schemas import AccessRequestIn, CorrectionRequestIn
from gongshi.publication.agency_terms import TermDecision, TermIn
from gongshi.storage.models import Base

# Columns fed from input → (input type, field) pairs whose max_length must be at most the column's.
FROM_INPUT: dict[str, list[tuple[Any, str]]] = {
    "agencies.code": [(AgencyRef, "code")],
    "agencies.name": [(AgencyRef, "name"), (AgencyPut, "name")],
    "agency_bases.title": [(BasisIn, "title")],
    "agency_bases.document_number": [(BasisIn, "document_number")],
    "agency_bases.url": [(BasisIn, "url")],
    "agency_officers.name": [(OfficerIn, "name")],
    "agency_officers.certificate_number": [(OfficerIn, "certificate_number")],
    "agency_officers.category": [(OfficerIn, "category")],
    "agency_officers.unit": [(OfficerIn, "unit")],
    "agency_terms.term": [(TermIn, "term")],
    "agency_terms.category": [(TermIn, "category")],
    "agency_terms.note": [(TermIn, "note"), (TermDecision, "note")],
    "cases.case_number": [(CaseIn, "case_number")],
    "case_entries.source_ref": [(Source, "source_ref")],
    "case_decisions.document_number": [(DecisionRef, "document_number")],
    "decisions.source_id": [(Intake, "source_id")],
    "decisions.document_number": [(Intake, "document_number")],
    "decisions.title": [(Intake, "title")],
    "disclosures.agency_code": [(AgencyRef, "code")],
    "disclosures.agency_name": [(AgencyRef, "name"), (AgencyPut, "name")],
    "disclosures.document_number": [(Intake, "document_number")],
    "disclosures.title": [(Intake, "title")],
    "access_requests.document_number": [(AccessRequestIn, "document_number")],
    "access_requests.requester_name": [(AccessRequestIn, "name")],
    "access_requests.contact": [(AccessRequestIn, "contact")],
    "correction_requests.contact": [(CorrectionRequestIn, "contact")],
    "notifications.recipient": [(AccessRequestIn, "contact"), (CorrectionRequestIn, "contact")],
}
# Columns fed from input and limited in code → the limit the code applies.
CHECKED_IN_CODE: dict[str, int] = {
    "correction_requests.disclosure_id": 32,  # the input is resolved to the disclosure's public id
    "agencies.region": 6,  # AgencyPut.region: pattern ^\d{6}$
    "case_attachments.filename": upload.MAX_FILENAME,
    "case_attachments.media_type": upload.MAX_MEDIA_TYPE,
    "correction_evidence.filename": 255,  # parties.corrections keeps the last 255 characters
    "correction_evidence.media_type": 100,  # an allow-list of short types
    "users.username": credentials.MAX_USERNAME,
    "users.display_name": credentials.MAX_DISPLAY_NAME,
    "api_tokens.name": credentials.MAX_TOKEN_NAME,
    "import_jobs.filename": 500,
    "login_failures.username": 100,  # auth.throttle keeps the first 100 / 64 characters
    "login_failures.address": 64,  # internal_api.imports keeps the first 500 characters
    "calendar_days.note": workdays.MAX_SCHEDULE_NOTE,
    "calendar_years.source": workdays.MAX_SCHEDULE_NOTE,
}
# Who did it: "user:<username>", "token:<id>", "party:<tracking no>", "worker", "redaction".
ACTORS = {
    "audit_events.actor",
    "decision_revisions.actor",
    "cases.created_by",
    "case_entries.recorded_by",
    "case_attachments.recorded_by",
    "case_decisions.linked_by",
    "agency_changes.reported_by",
    "agency_changes.resolved_by",
    "annual_reports.updated_by",
    "annual_reports.published_by",
    "access_requests.checked_by",
    "access_requests.decided_by",
    "correction_requests.answered_by",
    "credit_exports.actor",
    "import_jobs.actor",
    "agency_terms.proposed_by",
    "agency_terms.decided_by",
}
LONGEST_ACTOR = max(len("user:") + credentials.MAX_USERNAME, len("party:") + 40, len("token:") + 20)


def _columns() -> dict[str, int]:
    return {
        f"{t.name}.{c.name}": c.type.length
        for t in Base.metadata.sorted_tables
        for c in t.columns
        if isinstance(c.type, String) and c.type.length
    }


def _max_length(type_: Any, field: str) -> int | None:
    info = inspect.type_info(type_)
    assert isinstance(info, inspect.StructType)
    [f] = [f for f in info.fields if f.encode_name == field]
    members = f.type.types if isinstance(f.type, inspect.UnionType) else (f.type,)
    [text] = [m for m in members if isinstance(m, inspect.StrType)]
    return text.max_length


@pytest.mark.parametrize(("column", "sources"), sorted(FROM_INPUT.items()))
def test_input_limits_fit_their_columns(column: str, sources: list[tuple[Any, str]]) -> None:
    length = _columns()[column]
    for type_, field in sources:
        limit = _max_length(type_, field)
        assert limit is not None and limit <= length, (column, length, type_.__name__, field, limit)


@pytest.mark.parametrize(("column", "limit"), sorted(CHECKED_IN_CODE.items()))
def test_limits_checked_in_code_fit_their_columns(column: str, limit: int) -> None:
    assert limit <= _columns()[column], column


def test_every_actor_fits() -> None:
    for column in ACTORS:
        assert _columns()[column] >= LONGEST_ACTOR, column


def test_every_limited_column_is_classified() -> None:
    """Everything else is written by gongshi itself: states, kinds, hashes, ids, generated text."""
    internal = {
        c
        for c in _columns()
        if c.rsplit(".", 1)[1]
        in {
            "kind",
            "state",
            "status",
            "role",
            "stage",
            "type",
            "level",
            "subject",
            "scope",
            "channel",
            "topic",
            "key",
            "action",
            "subject_type",
            "before_state",
            "after_state",
            "source_type",
            "withheld_reason",
            "withdraw_reason",
            "withdrawal_reason",
            "redaction_version",
            "content_hash",
            "audit_head",
            "prev_hash",
            "hash",
            "sha256",
            "token_hash",
            "password_hash",
            "id_hash",
            "access_code_hash",
            "public_id",
            "superseded_by",
            "tracking_no",
            "id_hint",
            "region",
            "template",
            "format",
            "dedupe_key",
        }
    } | {"notifications.subject"}
    classified = set(FROM_INPUT) | set(CHECKED_IN_CODE) | ACTORS | internal
    assert set(_columns()) - classified == set()


def test_a_certificate_number_fits_after_normalising() -> None:
    """The officer form takes up to 40 characters; the accepted pattern is shorter still."""
    assert len(check_certificate("皖A" + "1" * 30, "c")) <= _columns()["agency_officers.certificate_number"]


def test_usernames_and_token_names_are_limited(wf: Any) -> None:
    from gongshi.errors import InvalidInput

    with wf.db.write() as session, pytest.raises(InvalidInput) as exc:
        credentials.create_user(
            session,
            username="u" * (credentials.MAX_USERNAME + 1),
            password="x" * 12,
            role="admin",
            agency=None,
        )
    assert exc.value.field == "username"
    with wf.db.write() as session, pytest.raises(InvalidInput) as exc:
        credentials.create_token(
            session, role="admin", agency=None, name="n" * (credentials.MAX_TOKEN_NAME + 1)
        )
    assert exc.value.field == "name"


def test_a_long_schedule_note_is_refused() -> None:
    with pytest.raises(workdays.ScheduleError):
        workdays.parse_schedule('{"year": 2031, "note": "%s"}' % ("注" * (workdays.MAX_SCHEDULE_NOTE + 1)))
