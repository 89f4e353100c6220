"""Dates gongshi cannot compute with (9999-12-31, 0001-01-01) are a 422 naming the field, everywhere."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from sqlalchemy import select

from gongshi.core.context import Workflow
from gongshi.domain.intake import Intake
from gongshi.domain.workdays import EARLIEST_DAY, LATEST_DAY
from gongshi.publication.intake import submit_batch
from gongshi.settings import Settings
from gongshi.storage.models import Decision
from tests.factories import intake, token
from tests.inputs.shapes import date_sites, encode, far_dates, minimal
from tests.inputs.test_text import INTERNAL, JSON, PORTAL, _name, _stored, _url
from tests.parties.helpers import portal_client

WITH_DATES = [e for e in INTERNAL + PORTAL if list(date_sites(e[2]))]


def _wrong(client: Any, method: str, url: str, type_: Any, base: Any, headers: Any) -> Iterator[str]:
    base = minimal(type_) if base is None else base
    for field, body in far_dates(type_, base):
        resp = client.request(method, url, content=encode(body), headers=headers)
        err = resp.json().get("error", {})
        if resp.status_code != 422 or err.get("field") != field:
            yield f"{field}: {resp.status_code} {resp.text[:200]}"


@pytest.mark.parametrize("entry", WITH_DATES, ids=_name)
def test_every_date_field_refuses_dates_outside_the_computable_range(
    client: Any, settings: Settings, wf: Workflow, entry: tuple[str, str, Any, Any]
) -> None:
    method, template, type_, base = entry
    token(wf, "submitter")
    headers = {**token(wf, "admin", None), **JSON}
    before = _stored(wf)
    if entry in PORTAL:
        with portal_client(settings, wf) as portal:
            failures = list(_wrong(portal, method, _url(template), type_, base, JSON))
    else:
        failures = list(_wrong(client, method, _url(template), type_, base, headers))
    assert not failures, "\n".join(failures)
    assert _stored(wf) == before


def test_the_range_edges_are_accepted(client: Any, wf: Workflow) -> None:
    h = {**token(wf, "submitter"), **JSON}
    for n, day in enumerate((EARLIEST_DAY, LATEST_DAY)):
        body = intake(source_id=f"EDGE-{n}", decided_on=day.isoformat(), penalty=None)
        resp = client.post("/api/v1/decisions", content=encode(body), headers=h)
        assert resp.status_code == 201, resp.text


def test_a_far_date_in_a_batch_is_that_item_s_422(client: Any, wf: Workflow) -> None:
    h = {**token(wf, "submitter"), **JSON}
    items = [
        intake(source_id="OK-1"),
        intake(source_id="FAR", decided_on="9999-12-31"),
        intake(source_id="OK-2"),
    ]
    resp = client.post("/api/v1/decisions:batch", content=encode(items), headers=h)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body["stored"], body["errors"]) == (2, 1)
    assert body["items"][1]["error"]["field"] == "decided_on"
    assert body["items"][1]["error"]["code"] == "unprocessable"
    single = client.post("/api/v1/decisions", content=encode(items[1]), headers=h)
    assert single.status_code == 422
    assert single.json()["error"]["field"] == "decided_on"


def test_the_workflow_keeps_an_uncomputable_date_to_its_item(wf: Workflow) -> None:
    """Past the intake check (a caller of the service layer): one item's error, not a failed batch."""
    from gongshi.auth.principal import Principal

    token(wf, "submitter")
    ok = msgspec.convert(intake(source_id="OK"), Intake)
    far = msgspec.convert(intake(source_id="FAR", decided_on="9999-12-31"), Intake)
    admin = Principal(actor="test", role="admin", agency_id=None)
    with wf.db.write() as session:
        results = submit_batch(session, admin, [ok, far], wf.calendar.get(), wf.clock())
    assert results[0].submitted is not None
    assert results[1].error is not None and results[1].error.field == "decided_on"
    with wf.db.read() as s:
        assert list(s.scalars(select(Decision.source_id))) == ["OK"]
