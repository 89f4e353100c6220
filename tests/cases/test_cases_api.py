"""Cases and entries over the API: idempotent opening, typed entries, corrections, scope."""

from __future__ import annotations

from typing import Any

from tests.cases.factories import add_entry, case, entry, open_case
from tests.factories import AGENCY_B, token


def test_open_case_is_idempotent_and_refuses_changes(client: Any, wf: Any) -> None:
    h = token(wf, "submitter")
    first = open_case(client, h)
    assert first["case_number"] == "合市监立〔2026〕88号"
    assert first["source"] == {"type": "complaint", "detail": "12315 平台投诉"}
    again = client.post("/api/v1/cases", json=case(), headers=h)
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    changed = client.post("/api/v1/cases", json=case(kind="coercion"), headers=h)
    assert changed.status_code == 409
    assert changed.json()["error"]["case_id"] == first["id"]


def test_bad_case_names_the_field(client: Any, wf: Any) -> None:
    h = token(wf, "submitter")
    r = client.post("/api/v1/cases", json=case(source={"type": "rumour"}), headers=h)
    assert r.status_code == 400 and r.json()["error"]["field"] == "source.type"
    r = client.post("/api/v1/cases", json={**case(), "casenumber": "x"}, headers=h)
    assert r.status_code == 400 and r.json()["error"]["field"] == "casenumber"


def test_entries_are_typed_and_server_stamped(client: Any, wf: Any) -> None:
    h = token(wf, "submitter")
    c = open_case(client, h)
    inquiry = add_entry(
        client,
        h,
        c["id"],
        "source",
        officers=[{"name": "王执法", "certificate_number": "34010012345"}],
        credentials_shown=True,
    )
    assert inquiry["recorded_at"].startswith("2026-11-25T02:00")
    assert inquiry["recorded_by"].startswith("token:")
    assert inquiry["record"]["officers"][0]["certificate_number"] == "34010012345"
    # A minimal record of any type is accepted.
    minimal = {
        "stage": "investigation",
        "type": "sampling",
        "occurred_at": "2026-11-03T10:00:00+08:00",
        "text": "抽样。",
    }
    assert client.post(f"/api/v1/cases/{c['id']}/entries", json=minimal, headers=h).status_code == 201
    wrong_stage = {**minimal, "stage": "decision"}
    r = client.post(f"/api/v1/cases/{c['id']}/entries", json=wrong_stage, headers=h)
    assert r.status_code == 400 and r.json()["error"]["field"] == "stage"
    naive = {**minimal, "occurred_at": "2026-11-03T10:00:00"}
    r = client.post(f"/api/v1/cases/{c['id']}/entries", json=naive, headers=h)
    assert r.status_code == 400 and r.json()["error"]["field"] == "occurred_at"
    r = client.post(f"/api/v1/cases/{c['id']}/entries", json={**minimal, "type": "gossip"}, headers=h)
    assert r.status_code == 400 and r.json()["error"]["field"] == "type"
    r = client.post(f"/api/v1/cases/{c['id']}/entries", json={**minimal, "method": "x"}, headers=h)
    assert r.status_code == 400 and r.json()["error"]["field"] == "method"
    got = client.get(f"/api/v1/cases/{c['id']}", headers=h).json()
    assert [e["type"] for e in got["entries"]] == ["source", "sampling"]


def test_correction_is_a_new_entry_and_the_original_stays(client: Any, wf: Any) -> None:
    h = token(wf, "submitter")
    c = open_case(client, h)
    original = add_entry(client, h, c["id"], "service", method="post")
    r = client.post(
        f"/api/v1/cases/{c['id']}/entries",
        json=entry("service", method="direct", corrects=original["id"]),
        headers=h,
    )
    assert r.status_code == 422 and r.json()["error"]["field"] == "reason"
    fix = add_entry(
        client, h, c["id"], "service", method="direct", corrects=original["id"], reason="送达方式记录有误"
    )
    got = client.get(f"/api/v1/cases/{c['id']}", headers=h).json()
    first, second = got["entries"]
    assert first["record"]["method"] == "post" and first["corrected_by"] == [fix["id"]]
    assert second["corrects"] == original["id"] and second["record"]["reason"] == "送达方式记录有误"
    other = open_case(client, h, case_number="另案")
    r = client.post(
        f"/api/v1/cases/{other['id']}/entries", json=entry(corrects=original["id"], reason="x"), headers=h
    )
    assert r.status_code == 422 and r.json()["error"]["field"] == "corrects"


def test_no_update_or_delete_endpoint(client: Any, wf: Any) -> None:
    h = token(wf, "admin", None)
    c = open_case(client, h)
    e = add_entry(client, h, c["id"])
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(f"/api/v1/cases/{c['id']}", headers=h).status_code in (404, 405)
        assert getattr(client, method)(
            f"/api/v1/cases/{c['id']}/entries/{e['id']}", headers=h
        ).status_code in (404, 405)


def test_other_agencies_cases_are_not_found(client: Any, wf: Any) -> None:
    c = open_case(client, token(wf, "submitter"))
    other = token(wf, "submitter", AGENCY_B)
    assert client.get(f"/api/v1/cases/{c['id']}", headers=other).status_code == 404
    assert client.post(f"/api/v1/cases/{c['id']}/entries", json=entry(), headers=other).status_code == 404
    assert client.get(f"/api/v1/cases/{c['id']}/verify", headers=other).status_code == 404
    assert client.get("/api/v1/cases", headers=other).json()["items"] == []
    r = client.post("/api/v1/cases", json=case(), headers=other)
    assert r.status_code == 422 and r.json()["error"]["field"] == "agency.code"


def test_decisions_link_by_id_or_number(client: Any, wf: Any) -> None:
    from tests.factories import intake

    h = token(wf, "submitter")
    d = client.post("/api/v1/decisions", json=intake(), headers=h).json()
    c = open_case(
        client, h, decisions=[{"decision_id": d["id"]}, {"document_number": "合市监罚〔2026〕999号"}]
    )
    links = {x["document_number"]: x for x in c["decisions"]}
    assert links["合市监罚〔2026〕123号"]["decision_id"] == d["id"]
    assert links["合市监罚〔2026〕999号"]["decision_id"] is None
    # The later decision is found by its number once it arrives.
    later = client.post(
        "/api/v1/decisions", json=intake(source_id="S-2", document_number="合市监罚〔2026〕999号"), headers=h
    ).json()
    got = client.get(f"/api/v1/cases/{c['id']}", headers=h).json()
    assert {x["decision_id"] for x in got["decisions"]} == {d["id"], later["id"]}
    r = client.post(
        f"/api/v1/cases/{c['id']}/decisions", json={"document_number": "合市监罚〔2026〕999号"}, headers=h
    )
    assert r.status_code == 201 and len(r.json()) == 2  # idempotent
    r = client.post(f"/api/v1/cases/{c['id']}/decisions", json={"decision_id": 10**9}, headers=h)
    assert r.status_code == 422


def test_compliance_flags_in_case_and_list(client: Any, wf: Any, clock: Any) -> None:
    h = token(wf, "submitter")
    c = open_case(client, h)
    got = client.get(f"/api/v1/cases/{c['id']}", headers=h).json()["compliance"]
    assert got["ok"] and got["still_needed"] == ["source", "rights_notified", "head_approval", "service"]
    add_entry(client, h, c["id"], "source")
    add_entry(client, h, c["id"], "closure", occurred_at="2026-10-01T10:00:00+08:00")
    got = client.get(f"/api/v1/cases/{c['id']}", headers=h).json()["compliance"]
    codes = {i["code"] for i in got["issues"]}
    assert codes == {"archive_overdue", "missing_entries"}
    assert got["archive_due"] == "2026-10-31"
    listed = client.get("/api/v1/cases?flagged=true", headers=h).json()["items"]
    assert [x["id"] for x in listed] == [c["id"]]
    report = client.get("/api/v1/cases/compliance", headers=h).json()
    assert report["cases"] == 1 and report["issues"] == {"archive_overdue": 1, "missing_entries": 1}


def test_entry_schema_lists_every_type(client: Any, wf: Any) -> None:
    assert client.get("/api/v1/cases/schema").status_code == 401
    schema = client.get("/api/v1/cases/schema", headers=token(wf, "submitter")).json()
    assert len(schema["entry"]["anyOf"]) == 26
    assert schema["$defs"]["Service"]["properties"]["method"]["anyOf"][0]["enum"][0] == "direct"
    assert "case_number" in schema["$defs"]["CaseIn"]["required"]


def test_resubmitted_entry_is_not_duplicated(client: Any, wf: Any) -> None:
    h = token(wf, "submitter")
    c = open_case(client, h)
    body = entry("service", source_ref="SYS-ENTRY-1")
    first = client.post(f"/api/v1/cases/{c['id']}/entries", json=body, headers=h)
    again = client.post(f"/api/v1/cases/{c['id']}/entries", json=body, headers=h)
    assert (first.status_code, again.status_code) == (201, 200) and first.json()["id"] == again.json()["id"]
    changed = client.post(f"/api/v1/cases/{c['id']}/entries", json={**body, "method": "post"}, headers=h)
    assert changed.status_code == 409 and changed.json()["error"]["entry_id"] == first.json()["id"]
    assert len(client.get(f"/api/v1/cases/{c['id']}", headers=h).json()["entries"]) == 1
