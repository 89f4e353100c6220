"""Concurrent saves of one agency's officer list serialise on the directory row (both databases)."""

from __future__ import annotations

import threading

import msgspec
from sqlalchemy import select

from gongshi.agencies import directory, editing
from gongshi.agencies.schemas import OfficersPut
from gongshi.auth.principal import Principal
from gongshi.core import audit
from gongshi.core.context import Workflow
from gongshi.storage.models import Agency
from gongshi.storage.portal_models import AgencyDirectory
from tests.agencies.helpers import CODE, officer
from tests.factories import token

ADMIN = Principal(actor="test", role="admin", agency_id=None)


def test_concurrent_officer_saves(wf: Workflow) -> None:
    token(wf, "head")  # creates the agency
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def save(n: int) -> None:
        officers = [
            officer(name=f"李{'一二三四'[n]}", certificate_number=f"3401002{n:04d}{k}") for k in range(3)
        ]
        body = msgspec.convert({"officers": officers}, OfficersPut)
        try:
            start.wait()
            with wf.db.write() as s:
                editing.save_officers(wf, s, ADMIN, CODE, body)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with wf.db.read() as s:
        agency = s.scalar(select(Agency).where(Agency.code == CODE))
        assert agency is not None
        listed = directory.officers_of(s, agency.id)
        # The last save won entirely: three officers, all from one writer.
        assert len(listed) == 3 and len({o.name for o in listed}) == 1
        events = audit.events_for(s, "agency", agency.id)
        assert len(events) == 4 and audit.verify(events, s.get(AgencyDirectory, agency.id)).intact
