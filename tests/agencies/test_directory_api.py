"""PUT/GET /api/v1/agencies/{code} and …/officers: validation, scoping, change log, audit."""

from __future__ import annotations

from typing import Any

import pytest

from gongshi.core.context import Workflow
from tests.agencies.helpers import CODE, agency_body, officer, profile
from tests.factories import AGENCY_B, token


def test_profile_round_trip_and_change_log(client: Any, wf: Workflow) -> None:
    headers = token(wf, "reviewer")
    saved = client.put(f"/api/v1/agencies/{CODE}", json=agency_body(), headers=headers)
    assert saved.status_code == 200, saved.text
    result = saved.json()
    assert result["changed"] is True
    # Saved today (2026-11-25): 20 working days later is 2026-12-23, and it is on time.
    assert result["change"]["changed_on"] == "2026-11-25"
    assert result["change"]["due_on"] == "2026-12-23"
    assert result["change"]["late"] is False

    got = client.get(f"/api/v1/agencies/{CODE}", headers=headers).json()
    assert got["profile"]["head"] == "张局长"
    assert got["profile"]["matters"] == ["食品安全监督检查", "价格违法行为处罚"]
    assert [b["level"] for b in got["bases"]] == ["law", "discretion"]
    assert got["bases"][0]["effective_on"] == "2015-10-01"
    assert got["profile_updated_at"] is not None
    assert len(got["recent_changes"]) == 1

    again = client.put(f"/api/v1/agencies/{CODE}", json=agency_body(), headers=headers).json()
    assert again == {"changed": False, "change": None, "resolved": []}

    late = client.put(
        f"/api/v1/agencies/{CODE}",
        json=agency_body(profile=profile(phone="0551-87654321"), changed_on="2026-10-01"),
        headers=headers,
    ).json()
    assert late["change"]["late"] is True
    assert "联系电话" in late["change"]["description"]

    trail = client.get(f"/api/v1/agencies/{CODE}/audit", headers=headers).json()
    assert trail["intact"] is True
    assert [e["action"] for e in trail["events"]] == ["profile_saved", "profile_saved"]


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        (agency_body(profile=profile(head="")), "profile.head", 422),
        (agency_body(profile=profile(colour="red")), "profile.colour", 400),
        (agency_body(bases=[{"title": "某法", "level": "constitution"}]), "bases[0].level", 400),
        (agency_body(bases=[{"title": "某法", "level": "law", "url": "ftp://x"}]), "bases[0].url", 422),
        (agency_body(changed_on="2026-13-01"), "changed_on", 400),
        (agency_body(resolves=[999]), "resolves", 422),
    ],
)
def test_profile_errors_name_the_field(
    client: Any, wf: Workflow, body: dict[str, Any], field: str, status: int
) -> None:
    resp = client.put(f"/api/v1/agencies/{CODE}", json=body, headers=token(wf, "reviewer"))
    assert resp.status_code == status, resp.text
    assert resp.json()["error"]["field"] == field
    assert resp.json()["error"]["message"]


def test_officers_validated_normalised_and_replaced(client: Any, wf: Workflow) -> None:
    headers = token(wf, "submitter")
    officers = [
        officer(),
        officer(name="王芳", certificate_number="  ３４０１００２０００２ ", valid_until="2026-10-31"),
        officer(name="赵强", certificate_number="34010020003", role="auxiliary", status="retired"),
    ]
    saved = client.put(f"/api/v1/agencies/{CODE}/officers", json={"officers": officers}, headers=headers)
    assert saved.status_code == 200, saved.text
    listed = client.get(f"/api/v1/agencies/{CODE}/officers", headers=headers).json()["officers"]
    assert [o["certificate_number"] for o in listed] == ["皖A34010020001", "34010020002", "34010020003"]
    assert [o["certificate_expired"] for o in listed] == [False, True, False]
    assert listed[2]["role"] == "auxiliary" and listed[2]["status"] == "retired"

    fewer = client.put(
        f"/api/v1/agencies/{CODE}/officers",
        json={"officers": officers[:1], "note": "两人调离"},
        headers=headers,
    ).json()
    assert fewer["change"]["description"].startswith("执法人员新增 0 人、移除 2 人")
    assert len(client.get(f"/api/v1/agencies/{CODE}/officers", headers=headers).json()["officers"]) == 1


@pytest.mark.parametrize(
    ("officers", "field", "fragment"),
    [
        ([officer(certificate_number="AB 12")], "officers[0].certificate_number", "格式不正确"),
        ([officer(certificate_number="ABCDEF1")], "officers[0].certificate_number", "4 位数字"),
        ([officer(), officer(name="王芳")], "officers[1].certificate_number", "重复"),
        ([officer(valid_from="2028-01-01", valid_until="2027-01-01")], "officers[0].valid_until", "早于"),
        ([officer(valid_until="1980-01-01")], "officers[0].valid_until", "合理范围"),
        ([officer(name="李明2")], "officers[0].name", "姓名"),
        ([officer(category=" ")], "officers[0].category", "执法类别"),
        ([officer(valid_from="2024-02-30")], "officers[0].valid_from", None),
        ([officer(status="on_leave")], "officers[0].status", None),
    ],
)
def test_officer_errors_name_the_field(
    client: Any, wf: Workflow, officers: list[dict[str, Any]], field: str, fragment: str | None
) -> None:
    resp = client.put(
        f"/api/v1/agencies/{CODE}/officers", json={"officers": officers}, headers=token(wf, "head")
    )
    assert resp.status_code in (400, 422), resp.text
    error = resp.json()["error"]
    assert error["field"] == field
    if fragment:
        assert fragment in error["message"]
    # Nothing half-written.
    assert client.get(f"/api/v1/agencies/{CODE}/officers", headers=token(wf, "head")).json()["officers"] == []


def test_agency_scoping(client: Any, wf: Workflow) -> None:
    mine = token(wf, "reviewer")
    theirs = token(wf, "reviewer", AGENCY_B)
    admin = token(wf, "admin", None)
    assert client.put(f"/api/v1/agencies/{CODE}", json=agency_body(), headers=mine).status_code == 200
    for method, path, body in [
        ("get", f"/api/v1/agencies/{CODE}", None),
        ("put", f"/api/v1/agencies/{CODE}", agency_body()),
        ("get", f"/api/v1/agencies/{CODE}/officers", None),
        ("put", f"/api/v1/agencies/{CODE}/officers", {"officers": [officer()]}),
        (
            "post",
            f"/api/v1/agencies/{CODE}/changes",
            {"subject": "bases", "description": "x", "changed_on": "2026-11-01"},
        ),
    ]:
        resp = client.request(method.upper(), path, json=body, headers=theirs)
        assert resp.status_code == 404, (method, path, resp.text)
    assert [a["code"] for a in client.get("/api/v1/agencies", headers=theirs).json()["items"]] == [
        AGENCY_B["code"]
    ]
    assert len(client.get("/api/v1/agencies", headers=admin).json()["items"]) == 2
    assert (
        client.put(f"/api/v1/agencies/{CODE}/officers", json={"officers": []}, headers=admin).status_code
        == 200
    )
    # Only an admin creates agencies; an agency token gets the same 404 as for a stranger's agency.
    bad_code = client.put("/api/v1/agencies/abc", json=agency_body(name="某局"), headers=admin)
    assert bad_code.status_code == 422 and bad_code.json()["error"]["field"] == "code"
    new = "11340300MB2222222Z"
    assert client.put(f"/api/v1/agencies/{new}", json=agency_body(), headers=mine).status_code == 404
    missing_name = client.put(f"/api/v1/agencies/{new}", json=agency_body(), headers=admin)
    assert missing_name.status_code == 422 and missing_name.json()["error"]["field"] == "name"
    created = client.put(
        f"/api/v1/agencies/{new}",
        json=agency_body(name="蚌埠市市场监督管理局", region="340300"),
        headers=admin,
    )
    assert created.status_code == 200 and created.json()["change"]["description"].startswith("新建机关信息")
    listed = client.get("/api/v1/agencies", headers=admin).json()["items"]
    assert [(i["code"], i["region"]) for i in listed if i["code"] == new] == [(new, "340300")]


def test_without_token(client: Any) -> None:
    assert client.get(f"/api/v1/agencies/{CODE}").status_code == 401
