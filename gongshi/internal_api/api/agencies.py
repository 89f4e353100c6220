"""Agency directory, officers, statistics and annual reports: API and console pages (issue 4)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, RawBody
from sqlalchemy import select

from gongshi.agencies import directory, editing, reports
from gongshi.agencies.schemas import (
    AgencyOut,
    AgencyPut,
    ChangeIn,
    ChangeOut,
    OfficersOut,
    OfficersPut,
    ReportPut,
    SaveResult,
)
from gongshi.auth.principal import Principal
from gongshi.core import audit
from gongshi.core.context import Workflow
from gongshi.internal_api.api.decisions import decode_body
from gongshi.storage.models import Agency
from gongshi.storage.portal_models import AgencyDirectory


class AgencyController(Controller):
    path = "/api/v1/agencies"
    tags = ("agencies",)

    @get("/", sync_to_thread=True, summary="Agencies the caller may see")
    def list_agencies(
        self, principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
    ) -> dict[str, Any]:
        principal.require("agency.read")
        query = select(Agency).order_by(Agency.code)
        if principal.agency_id is not None:
            query = query.where(Agency.id == principal.agency_id)
        with wf.db.read() as session:
            items = [
                {"code": a.code, "name": a.name, "region": a.region, "url": f"/api/v1/agencies/{a.code}"}
                for a in session.scalars(query)
            ]
        return {"items": items}

    @get("/{code:str}", sync_to_thread=True, summary="Art 9 profile, enforcement bases and change log")
    def read(
        self, code: FromPath[str], principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
    ) -> AgencyOut:
        principal.require("agency.read")
        with wf.db.read() as session:
            return directory.agency_out(session, directory.find_agency(session, principal, code))

    @put(
        "/{code:str}",
        sync_to_thread=True,
        status_code=200,
        summary="Replace the profile and enforcement bases (admin may create the agency)",
    )
    def write(
        self,
        code: FromPath[str],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> SaveResult:
        data = decode_body(body, AgencyPut)
        with wf.db.write() as session:
            return editing.save_agency(wf, session, principal, code, data)

    @get("/{code:str}/officers", sync_to_thread=True, summary="The officer list")
    def read_officers(
        self, code: FromPath[str], principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
    ) -> OfficersOut:
        principal.require("agency.read")
        with wf.db.read() as session:
            agency = directory.find_agency(session, principal, code)
            return directory.officers_view(session, agency, wf.today())

    @put("/{code:str}/officers", sync_to_thread=True, status_code=200, summary="Replace the officer list")
    def write_officers(
        self,
        code: FromPath[str],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> SaveResult:
        data = decode_body(body, OfficersPut)
        with wf.db.write() as session:
            return editing.save_officers(wf, session, principal, code, data)

    @post(
        "/{code:str}/changes",
        sync_to_thread=True,
        status_code=201,
        summary="Report a change not yet entered; due within 20 working days (Art 9)",
    )
    def announce(
        self,
        code: FromPath[str],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> ChangeOut:
        data = decode_body(body, ChangeIn)
        with wf.db.write() as session:
            return editing.announce_change(wf, session, principal, code, data)

    @get("/{code:str}/audit", sync_to_thread=True, summary="Directory audit trail with chain check")
    def audit_trail(
        self, code: FromPath[str], principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
    ) -> dict[str, Any]:
        principal.require("agency.read")
        with wf.db.read() as session:
            agency = directory.find_agency(session, principal, code)
            head = session.get(AgencyDirectory, agency.id)
            events = audit.events_for(session, "agency", agency.id)
            check = audit.verify(events, head) if head else audit.verify(events)
            return {
                "code": code,
                "intact": check.intact,
                "first_bad_seq": check.first_bad_seq,
                "events": [
                    {"seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action, "data": e.data}
                    for e in events
                ],
            }

    @get("/{code:str}/reports/{year:int}", sync_to_thread=True, summary="Art 17 annual report")
    def read_report(
        self,
        code: FromPath[str],
        year: FromPath[int],
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> reports.ReportOut:
        with wf.db.read() as session:
            return reports.read_report(wf, session, principal, code, year)

    @put(
        "/{code:str}/reports/{year:int}",
        sync_to_thread=True,
        status_code=200,
        summary="Enter the figures no record holds (draft)",
    )
    def write_report(
        self,
        code: FromPath[str],
        year: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> reports.ReportOut:
        data = decode_body(body, ReportPut)
        with wf.db.write() as session:
            return reports.save_figures(wf, session, principal, code, year, data)

    @post(
        "/{code:str}/reports/{year:int}/publish",
        sync_to_thread=True,
        status_code=200,
        summary="Publish the annual report (due by 31 January of the next year)",
    )
    def publish_report(
        self,
        code: FromPath[str],
        year: FromPath[int],
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> Response[reports.ReportOut]:
        with wf.db.write() as session:
            out = reports.publish_report(wf, session, principal, code, year)
        return Response(out)


# Route handlers and controllers this module adds to the internal app.
ROUTES: list[Any] = [AgencyController]
