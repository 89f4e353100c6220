"""Every JSON-body endpoint of both apps refuses a body declared as anything but JSON (415)."""

from __future__ import annotations

from typing import Any

import pytest

from gongshi.core.context import Workflow
from gongshi.settings import Settings
from tests.factories import intake, token
from tests.inputs.shapes import encode, minimal
from tests.inputs.test_text import INTERNAL, PORTAL, _name, _stored, _url
from tests.parties.helpers import portal_client

WRONG = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None]
BATCH = ("POST", "/api/v1/decisions:batch", list, [intake()])
ENDPOINTS = [e for e in INTERNAL if e[1] != "/api/v1/cases/{case_id:int}/entries"] + [
    next(e for e in INTERNAL if e[1] == "/api/v1/cases/{case_id:int}/entries"),
    BATCH,
]


def _body(entry: tuple[str, str, Any, Any]) -> bytes:
    _, _, type_, base = entry
    return encode(minimal(type_) if base is None else base)


def _check_415(resp: Any) -> None:
    assert resp.status_code == 415, resp.text
    err = resp.json()["error"]
    assert set(err) == {"code", "message", "field"}
    assert err["code"] == "unsupported_media_type"
    assert err["field"] == "Content-Type"
    assert "application/json" in err["message"]


@pytest.mark.parametrize("entry", ENDPOINTS, ids=_name)
def test_internal_json_endpoints_refuse_other_types(client: Any, wf: Workflow, entry: Any) -> None:
    token(wf, "submitter")
    auth = token(wf, "admin", None)
    before = _stored(wf)
    for media_type in WRONG:
        headers = {**auth, **({"Content-Type": media_type} if media_type else {})}
        _check_415(client.request(entry[0], _url(entry[1]), content=_body(entry), headers=headers))
    assert _stored(wf) == before


@pytest.mark.parametrize("entry", PORTAL, ids=_name)
def test_portal_json_endpoints_refuse_other_types(settings: Settings, wf: Workflow, entry: Any) -> None:
    before = _stored(wf)
    with portal_client(settings, wf) as portal:
        for media_type in WRONG:
            headers = {"Content-Type": media_type} if media_type else {}
            _check_415(portal.request(entry[0], _url(entry[1]), content=_body(entry), headers=headers))
    assert _stored(wf) == before


def test_json_with_parameters_or_a_json_suffix_is_json(client: Any, wf: Workflow) -> None:
    h = token(wf, "submitter")
    for n, media_type in enumerate(
        ["application/json; charset=utf-8", "APPLICATION/JSON", "application/merge+json"]
    ):
        headers = {**h, "Content-Type": media_type}
        resp = client.post("/api/v1/decisions", content=encode(intake(source_id=f"S-{n}")), headers=headers)
        assert resp.status_code == 201, (media_type, resp.text)


def test_an_empty_body_needs_no_type(client: Any, wf: Workflow) -> None:
    sub, rev = token(wf, "submitter"), token(wf, "reviewer")
    decision_id = client.post("/api/v1/decisions", json=intake(), headers=sub).json()["id"]
    # Not yet redacted: the action is refused for what it is (409), not for the missing type.
    resp = client.post(f"/api/v1/decisions/{decision_id}/approve", headers=rev)
    assert resp.status_code != 415, resp.text
