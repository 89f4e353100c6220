"""/api/v1/agencies/{code}/terms: an agency's always-mask and never-mask lists (issue 11)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, RawBody

from gongshi.agencies.directory import find_agency
from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.internal_api.api.decisions import decode_body
from gongshi.publication import agency_terms


class AgencyTermController(Controller):
    path = "/api/v1/agencies/{code:str}/terms"
    tags = ("agencies",)

    @get("/", sync_to_thread=True, summary="The agency's term lists (proposed, accepted, rejected)")
    def list_terms(
        self, code: FromPath[str], principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
    ) -> dict[str, Any]:
        principal.require("agency.read")
        with wf.db.read() as session:
            agency = find_agency(session, principal, code)
            return {"items": [agency_terms.term_out(t) for t in agency_terms.list_terms(session, agency.id)]}

    @post("/", sync_to_thread=True, status_code=201, summary="Propose an entry (a head accepts it)")
    def propose(
        self,
        code: FromPath[str],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> dict[str, Any]:
        principal.require("decision.review")
        term = decode_body(body, agency_terms.TermIn)
        with wf.db.write() as session:
            agency = find_agency(session, principal, code)
            row = agency_terms.propose(session, agency.id, term, principal.actor, wf.clock())
            return agency_terms.term_out(row)

    @post(
        "/{term_id:int}/decision",
        sync_to_thread=True,
        status_code=200,
        summary="Accept or reject an entry (head or admin); redaction applies accepted entries",
    )
    def decide(
        self,
        code: FromPath[str],
        term_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> dict[str, Any]:
        decision = decode_body(body, agency_terms.TermDecision)
        with wf.db.write() as session:
            agency = find_agency(session, principal, code)
            row = agency_terms.decide(session, principal, agency.id, term_id, decision, wf.clock())
            return agency_terms.term_out(row)

    @post(
        "/{term_id:int}/removal",
        sync_to_thread=True,
        status_code=200,
        summary="Take an entry off its list (head or admin, with a reason); redaction no longer applies it",
    )
    def remove(
        self,
        code: FromPath[str],
        term_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> dict[str, Any]:
        removal = decode_body(body, agency_terms.TermRemoval)
        with wf.db.write() as session:
            agency = find_agency(session, principal, code)
            row = agency_terms.remove(session, principal, agency.id, term_id, removal.reason, wf.clock())
            return agency_terms.term_out(row)


ROUTES = [AgencyTermController]
