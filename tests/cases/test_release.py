"""Release outside the agency (记录办法 Art 20): a head's approval, audited, third parties masked."""

from __future__ import annotations

from typing import Any

from gongshi.cases.release import find_cases, mask_identifiers, released_case_view
from tests.cases.factories import add_entry, open_case
from tests.factories import AGENCY_A, token

WITNESS_ID = "110101199003071234"  # GB 11643 checksum valid
WITNESS_PHONE = "13812345678"


def _case_with_witness(client: Any, h: dict[str, str]) -> dict[str, Any]:
    c = open_case(client, h, decisions=[{"document_number": "合市监罚〔2026〕123号"}])
    add_entry(
        client,
        h,
        c["id"],
        "source",
        text=f"证人李四（身份证号{WITNESS_ID}，电话{WITNESS_PHONE}）反映，当事人张三（电话13905510000）销售过期食品。",
    )
    r = client.post(
        f"/api/v1/cases/{c['id']}/entries",
        json={
            "stage": "investigation",
            "type": "inquiry",
            "occurred_at": "2026-11-03T10:00:00+08:00",
            "text": "询问证人。",
            "interviewee": {
                "name": "李四",
                "role": "witness",
                "id_number": WITNESS_ID,
                "phone": WITNESS_PHONE,
            },
            "officers": [{"name": "王执法", "certificate_number": "34010012345"}],
        },
        headers=h,
    )
    assert r.status_code == 201, r.text
    return c


def test_only_a_head_releases_and_it_is_audited(client: Any, wf: Any) -> None:
    c = _case_with_witness(client, token(wf, "submitter"))
    body = {"recipient_kind": "party", "recipient": "张三", "purpose": "当事人申请查阅"}
    for role in ("submitter", "reviewer"):
        r = client.post(f"/api/v1/cases/{c['id']}/releases", json=body, headers=token(wf, role))
        assert r.status_code == 403
    head = token(wf, "head")
    r = client.post(f"/api/v1/cases/{c['id']}/releases", json={**body, "purpose": ""}, headers=head)
    assert r.status_code == 422
    r = client.post(f"/api/v1/cases/{c['id']}/releases", json=body, headers=head)
    assert r.status_code == 201, r.text
    view = r.json()
    assert view["release"]["recipient"] == "张三" and view["for_party"] is True
    got = client.get(f"/api/v1/cases/{c['id']}", headers=head).json()
    assert [(x["recipient"], x["purpose"]) for x in got["releases"]] == [("张三", "当事人申请查阅")]
    assert got["releases"][0]["approved_by"].startswith("token:")
    # The release is in the case's chain, which still verifies.
    assert client.get(f"/api/v1/cases/{c['id']}/verify", headers=head).json()["intact"] is True


def test_party_view_keeps_own_identifiers_and_masks_others(client: Any, wf: Any) -> None:
    c = _case_with_witness(client, token(wf, "submitter"))
    with wf.db.read() as session:
        view = released_case_view(session, c["id"], for_party=True)
    source, inquiry = view["entries"]
    assert WITNESS_ID not in source["record"]["text"] and WITNESS_PHONE not in source["record"]["text"]
    assert "13905510000" in source["record"]["text"]  # the party's own phone
    assert "证人李四" in source["record"]["text"]
    assert inquiry["record"]["interviewee"]["id_number"] == "××"
    assert inquiry["record"]["interviewee"]["phone"] == "××"
    assert inquiry["record"]["officers"][0]["certificate_number"] == "34010012345"
    assert inquiry["record"]["occurred_at"] == "2026-11-03T10:00:00+08:00"
    assert view["party"]["id_number"] == "34010119800101001X"


def test_outside_view_masks_the_party_too(client: Any, wf: Any) -> None:
    c = _case_with_witness(client, token(wf, "submitter"))
    with wf.db.read() as session:
        view = released_case_view(session, c["id"], for_party=False)
    assert "13905510000" not in str(view)
    assert view["party"]["id_number"] == "××" and view["party"]["name"] == "张三"


def test_viewing_with_an_actor_is_recorded(client: Any, wf: Any) -> None:
    c = _case_with_witness(client, token(wf, "submitter"))
    with wf.db.write() as session:
        released_case_view(session, c["id"], for_party=True, actor="party-request:AR-1", reason="查阅")
    head = token(wf, "head")
    assert client.get(f"/api/v1/cases/{c['id']}/verify", headers=head).json()["intact"] is True
    with wf.db.read() as session:
        from gongshi.core.audit import events_for

        assert events_for(session, "case", c["id"])[-1].action == "release.viewed"


def test_find_cases_by_agency_and_document_number(client: Any, wf: Any) -> None:
    c = _case_with_witness(client, token(wf, "submitter"))
    with wf.db.read() as session:
        assert find_cases(session, AGENCY_A["code"], "合市监罚〔2026〕123号") == [c["id"]]
        assert find_cases(session, "other", "合市监罚〔2026〕123号") == []


def test_mask_identifiers_keeps_credit_codes() -> None:
    text = "统一社会信用代码91340100MA2N0000XF，法定代表人电话13800138000"
    masked = mask_identifiers(text)
    assert "13800138000" not in masked and "××" in masked
    assert mask_identifiers(text, {"13800138000"}) == text
