"""/api/v1/cases: full-process case records (SPEC §4) — open, append, attach, verify, release.

There is no update or delete endpoint, on purpose: a correction is a new entry (`corrects`,
`reason`), and records are kept for their retention period (记录办法 Art 19).
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter, RawBody
from sqlalchemy.exc import IntegrityError

from gongshi.auth.principal import Principal
from gongshi.cases import chain, records, release, report, views
from gongshi.cases.entries import CaseIn, DecisionRef, Entry, decode_case, decode_entry
from gongshi.cases.store import AttachmentStore
from gongshi.core.context import Workflow
from gongshi.domain.ids import INT64_MAX
from gongshi.domain.intake import Kind
from gongshi.errors import InvalidInput
from gongshi.internal_api.api import attachments as cases_files
from gongshi.internal_api.api.decisions import decode_body

(_CASE_SCHEMA, _ENTRY_SCHEMA), _DEFS = msgspec.json.schema_components(
    [CaseIn, Entry], ref_template="#/$defs/{name}"
)
ENTRY_SCHEMA: dict[str, Any] = {"case": _CASE_SCHEMA, "entry": _ENTRY_SCHEMA, "$defs": _DEFS}


class CaseController(Controller):
    path = "/api/v1/cases"
    tags = ("cases",)

    @post(
        "/", sync_to_thread=True, status_code=201, summary="Open a case (idempotent on agency + case_number)"
    )
    def create(
        self, body: RawBody, principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
    ) -> Response[views.CaseOut]:
        principal.require("case.write")
        case_in = decode_case(body)
        try:
            return self._open(wf, principal, case_in)
        except IntegrityError:
            # Another request opened the same case number first; now it is simply there.
            return self._open(wf, principal, case_in)

    def _open(self, wf: Workflow, principal: Principal, case_in: CaseIn) -> Response[views.CaseOut]:
        with wf.db.write() as session:
            opened = records.open_case(session, principal, case_in, wf.clock())
            session.flush()
            out = views.case_out(session, opened.case, wf.today())
        return Response(out, status_code=201 if opened.created else 200)

    @get("/", sync_to_thread=True, summary="List cases with their compliance flags")
    def list_cases(
        self,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
        agency: FromQuery[str | None] = None,
        kind: FromQuery[Kind | None] = None,
        flagged: FromQuery[bool] = False,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
        after_id: Annotated[int | None, QueryParameter(ge=0, le=INT64_MAX)] = None,
    ) -> dict[str, Any]:
        principal.require("case.read")
        with wf.db.read() as session:
            rows = report.case_rows(
                session,
                principal,
                wf.today(),
                agency_code=agency,
                kind=kind,
                limit=limit + 1,
                after_id=after_id,
            )
        more = len(rows) > limit
        rows = rows[:limit]
        items = [r for r in rows if not flagged or not r.compliance.ok]
        return {
            "items": msgspec.to_builtins(items),
            "next_after_id": rows[-1].id if more and rows else None,
        }

    @get("/schema", sync_to_thread=False, summary="JSON Schema of the case and entry bodies")
    def schema(self, principal: NamedDependency[Principal]) -> dict[str, Any]:
        principal.require("case.read")
        # Bodies are decoded by msgspec for field-precise errors, so OpenAPI cannot see their types.
        return ENTRY_SCHEMA

    @get("/compliance", sync_to_thread=True, summary="Compliance report of an agency's cases")
    def compliance_report(
        self,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
        agency: FromQuery[str | None] = None,
    ) -> report.AgencyReport:
        principal.require("case.read")
        with wf.db.read() as session:
            return report.agency_report(session, principal, wf.today(), agency_code=agency)

    @get(
        "/{case_id:int}", sync_to_thread=True, summary="The case: entries, attachments, decisions, compliance"
    )
    def read(
        self, case_id: FromPath[int], principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
    ) -> views.CaseOut:
        principal.require("case.read")
        with wf.db.read() as session:
            return views.case_out(session, records.load_case(session, principal, case_id), wf.today())

    @post("/{case_id:int}/entries", sync_to_thread=True, status_code=201, summary="Append an entry")
    def add_entry(
        self,
        case_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> Response[views.EntryOut]:
        principal.require("case.write")
        entry = decode_entry(body)
        with wf.db.write() as session:
            case = records.load_case(session, principal, case_id, for_update=True)
            appended = records.add_entry(session, principal, case, entry, wf.clock())
            out = views.entry_out(appended.entry, [], [])
        return Response(out, status_code=201 if appended.created else 200)

    @post("/{case_id:int}/decisions", sync_to_thread=True, status_code=201, summary="Link a decision")
    def link_decision(
        self,
        case_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> list[views.DecisionLinkOut]:
        principal.require("case.write")
        ref = decode_body(body, DecisionRef)
        if ref.decision_id is None and ref.document_number is None:
            raise InvalidInput("须给出 decision_id 或 document_number", field="decision_id")
        with wf.db.write() as session:
            case = records.load_case(session, principal, case_id, for_update=True)
            records.link_decision(session, principal, case, ref, wf.clock())
            return views.decision_links(session, case)

    @get("/{case_id:int}/verify", sync_to_thread=True, summary="Prove the record intact (chain, rows, files)")
    def verify(
        self,
        case_id: FromPath[int],
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
        attachments: NamedDependency[AttachmentStore],
        files: Annotated[
            bool, QueryParameter(description="re-hash every file (default); false: rows only")
        ] = True,
    ) -> chain.Verification:
        principal.require("case.read")
        store = attachments if files else None
        with wf.db.read() as session:
            case = records.load_case(session, principal, case_id)
            return chain.verify(session, case, store)

    @post(
        "/{case_id:int}/releases", sync_to_thread=True, status_code=201, summary="Release the record (head)"
    )
    def release(
        self,
        case_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> dict[str, Any]:
        principal.require("case.release")
        data = decode_body(body, release.ReleaseIn)
        with wf.db.write() as session:
            case = records.load_case(session, principal, case_id, for_update=True)
            return release.approve_release(session, principal, case, data, wf.clock())


ROUTES: list[Any] = [CaseController, *cases_files.ROUTES]
