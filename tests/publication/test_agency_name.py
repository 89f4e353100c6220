"""A disclosure carries the agency's registered name, whatever name the intake sent."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from gongshi.core.context import Workflow
from gongshi.portal.listing import detail_path
from gongshi.settings import Settings
from gongshi.storage.models import Agency, Disclosure
from gongshi.worker import run_once
from tests.factories import AGENCY_A, AGENCY_B, token
from tests.parties.helpers import portal_client, publish

IMPOSTOR = {"code": AGENCY_A["code"], "name": AGENCY_B["name"]}


def test_an_intake_naming_another_agency_is_published_under_the_registered_name(
    client: Any, settings: Settings, wf: Workflow
) -> None:
    token(wf, "submitter")  # registers agency A under its own name
    _, public_id = publish(client, wf, agency=IMPOSTOR)
    run_once(wf)  # the search index
    with wf.db.read() as s:
        row = s.scalars(select(Disclosure)).one()
        assert s.scalar(select(Agency.name).where(Agency.code == AGENCY_A["code"])) == AGENCY_A["name"]
    assert row.agency_name == AGENCY_A["name"]
    assert row.record["agency"] == AGENCY_A
    with portal_client(settings, wf) as portal:
        pages = [
            portal.get(detail_path(public_id)).text,
            portal.get(f"/api/public/v1/disclosures/{public_id}").text,
            portal.get("/feed.atom").text,
            portal.get("/api/public/v1/disclosures").text,
        ]
    for page in pages:
        assert AGENCY_A["name"] in page
        assert AGENCY_B["name"] not in page


def test_a_placeholder_agency_takes_the_intake_s_name(client: Any, settings: Settings, wf: Workflow) -> None:
    """An agency created by an admin token before its name was known is named by its first intake."""
    with wf.db.write() as s:
        from datetime import UTC, datetime

        s.add(
            Agency(
                code=AGENCY_A["code"],
                name=AGENCY_A["code"],
                region="",
                profile={},
                created_at=datetime.now(UTC),
            )
        )
    publish(client, wf)
    with wf.db.read() as s:
        assert s.scalars(select(Disclosure.agency_name)).one() == AGENCY_A["name"]
