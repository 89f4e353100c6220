"""Party access requests: same answer whether or not it matches, reviewer then head, reading with a code."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from gongshi.core.context import Workflow
from gongshi.domain.windows import access_request_due
from gongshi.parties import keys
from gongshi.settings import Settings
from gongshi.storage.models import AuditEvent, Notification
from gongshi.storage.request_models import AccessRequest, PartyKey
from tests.conftest import Clock
from tests.factories import AGENCY_B, token
from tests.parties.helpers import PERSON, person_decision, portal_client


def _ask(portal: Any, **overrides: Any) -> Any:
    body = {
        "document_number": "合市监罚〔2026〕900号",
        "name": "张建国",
        "id_number": "34010419900101128X",
        "contact": "zhang@example.com",
        "scope": "decision",
    }
    body.update(overrides)
    return portal.post("/api/public/v1/requests/access", json=body)


def _shape(resp: Any) -> dict[str, Any]:
    body = resp.json()
    body["tracking_no"] = "GK…"
    body["status_url"] = "…"
    return body


def test_party_keys_hold_no_identifier_in_clear(client: Any, wf: Workflow) -> None:
    person_decision(client, wf)
    with wf.db.read() as s:
        rows = s.scalars(select(PartyKey)).all()
    assert len(rows) == 1
    assert PERSON["id_number"] not in rows[0].key and len(rows[0].key) == 64
    # Keyed: without the deployment secret the hash cannot be recomputed.
    assert rows[0].key == keys.party_key(
        wf.settings.secret_key, "合市监罚〔2026〕900号", "张建国", PERSON["id_number"]
    )
    assert rows[0].key != keys.party_key(
        "another-secret", "合市监罚〔2026〕900号", "张建国", PERSON["id_number"]
    )


def test_same_answer_whether_or_not_it_matches(client: Any, wf: Workflow, settings: Settings) -> None:
    person_decision(client, wf)
    with portal_client(settings, wf) as portal:
        hit = _ask(portal)
        wrong_id = _ask(portal, id_number="340104199001011247")
        no_such = _ask(portal, document_number="合市监罚〔2026〕999号")
    for resp in (hit, wrong_id, no_such):
        assert resp.status_code == 202, resp.text
        assert set(resp.json()) == {"tracking_no", "status", "received_on", "due_on", "status_url", "message"}
    assert _shape(hit) == _shape(wrong_id) == _shape(no_such)
    assert hit.headers.get("content-length") == wrong_id.headers.get("content-length")
    with wf.db.read() as s:
        rows = {r.tracking_no: r for r in s.scalars(select(AccessRequest))}
        agency_id = rows[hit.json()["tracking_no"]].agency_id
    assert rows[hit.json()["tracking_no"]].decision_id is not None
    assert rows[wrong_id.json()["tracking_no"]].decision_id is None
    # Routed by document number to the agency, which must answer it; an unknown number goes to the admin.
    assert rows[wrong_id.json()["tracking_no"]].agency_id == agency_id
    assert rows[no_such.json()["tracking_no"]].agency_id is None
    # The requester's ID number is not stored in clear.
    assert all(PERSON["id_number"] not in (r.id_hash + r.id_hint) for r in rows.values())


def test_matching_normalizes_what_people_type(client: Any, wf: Workflow, settings: Settings) -> None:
    person_decision(client, wf)
    with portal_client(settings, wf) as portal:
        resp = _ask(
            portal, document_number=" 合市监罚[2026]900号 ", name="张 建国", id_number="340104 19900101 128x"
        )
    with wf.db.read() as s:
        row = s.scalar(select(AccessRequest).where(AccessRequest.tracking_no == resp.json()["tracking_no"]))
    assert row is not None and row.decision_id is not None


def test_bad_input_is_a_400_naming_the_field(wf: Workflow, settings: Settings) -> None:
    with portal_client(settings, wf) as portal:
        bad_contact = _ask(portal, contact="not a contact")
        missing = portal.post("/api/public/v1/requests/access", json={"document_number": "x"})
        unknown = _ask(portal, extra="1")
    assert bad_contact.status_code == 400 and bad_contact.json()["error"]["field"] == "contact"
    assert missing.status_code == 400 and missing.json()["error"]["field"]
    assert unknown.status_code == 400


def test_full_flow_reviewer_then_head_then_party_reads(client: Any, wf: Workflow, settings: Settings) -> None:
    decision_id, _ = person_decision(client, wf)
    rev, head = token(wf, "reviewer"), token(wf, "head")
    with portal_client(settings, wf) as portal:
        tn = _ask(portal).json()["tracking_no"]
        status = portal.get(f"/api/public/v1/requests/{tn}", params={"id_number": PERSON["id_number"]})
        assert status.status_code == 200 and status.json()["status"] == "received"
        # Someone without the ID number learns nothing.
        other = portal.get(f"/api/public/v1/requests/{tn}", params={"id_number": "340104198501011230"})
        assert other.status_code == 404
        listed = client.get("/api/v1/requests/access", headers=rev).json()
        [item] = [r for r in listed if r["tracking_no"] == tn]
        assert item["matched"] and item["decision_id"] == decision_id and item["due_on"] == "2026-12-23"
        # A reviewer cannot release; the head cannot release before the check.
        assert (
            client.post(f"/api/v1/requests/access/{item['id']}/approve", json={}, headers=rev).status_code
            == 403
        )
        assert (
            client.post(f"/api/v1/requests/access/{item['id']}/approve", json={}, headers=head).status_code
            == 409
        )
        checked = client.post(
            f"/api/v1/requests/access/{item['id']}/check", json={"note": "身份一致"}, headers=rev
        )
        assert checked.status_code == 200 and checked.json()["state"] == "checked"
        granted = client.post(f"/api/v1/requests/access/{item['id']}/approve", json={}, headers=head)
        assert granted.status_code == 200, granted.text
        code = granted.json()["access_code"]
        assert code and granted.json()["state"] == "granted"
        # The code is stored only as a keyed hash.
        with wf.db.read() as s:
            row = s.get(AccessRequest, item["id"])
            assert row is not None and code not in (row.access_code_hash or "")
        assert client.get(f"/api/v1/requests/access/{item['id']}", headers=rev).json()["access_code"] is None
        wrong = portal.post(
            f"/api/public/v1/requests/{tn}/records",
            json={"id_number": PERSON["id_number"], "access_code": "AAAAA-AAAAA"},
        )
        assert wrong.status_code == 403
        view = portal.post(
            f"/api/public/v1/requests/{tn}/records",
            json={"id_number": PERSON["id_number"], "access_code": code.lower()},
        )
        assert view.status_code == 200, view.text
        decision = view.json()["decision"]
        # Their own data in clear, the witness still masked.
        assert decision["party"]["id_number"] == PERSON["id_number"]
        assert "长江西路100号" in decision["facts"] and "13912345678" in decision["facts"]
        assert "王小明" not in decision["facts"] and "340104198501011230" not in decision["facts"]
        assert "王某" in decision["facts"]
    with wf.db.read() as s:
        actions = [
            e.action
            for e in s.scalars(
                select(AuditEvent).where(
                    AuditEvent.subject_type == "access_request", AuditEvent.subject_id == item["id"]
                )
            )
        ]
        messages = [
            n.subject
            for n in s.scalars(
                select(Notification)
                .where(Notification.recipient == "zhang@example.com")
                .order_by(Notification.id)
            )
        ]
    assert actions == ["receive", "check", "approve", "view"]
    # Told at every change of state.
    assert [m.split("：")[1] for m in messages] == ["已收到", "已核实，待负责人审批", "已获批准"]


def test_code_expires(client: Any, wf: Workflow, settings: Settings, clock: Clock) -> None:
    person_decision(client, wf)
    with portal_client(settings, wf) as portal:
        tn = _ask(portal).json()["tracking_no"]
        rid = client.get("/api/v1/requests/access", headers=token(wf, "reviewer")).json()[0]["id"]
        client.post(f"/api/v1/requests/access/{rid}/check", json={}, headers=token(wf, "reviewer"))
        code = client.post(
            f"/api/v1/requests/access/{rid}/approve", json={}, headers=token(wf, "head")
        ).json()["access_code"]
        clock.set("2026-12-26T10:00:00+08:00")  # 31 days later
        late = portal.post(
            f"/api/public/v1/requests/{tn}/records",
            json={"id_number": PERSON["id_number"], "access_code": code},
        )
    assert late.status_code == 403 and late.json()["error"]["code"] == "access_expired"


def test_refusal_and_unmatched_requests(client: Any, wf: Workflow, settings: Settings) -> None:
    person_decision(client, wf)
    rev = token(wf, "reviewer")
    with portal_client(settings, wf) as portal:
        tn = _ask(portal, id_number="340104199001011247").json()["tracking_no"]
        rid = next(
            r["id"]
            for r in client.get("/api/v1/requests/access", headers=rev).json()
            if r["tracking_no"] == tn
        )
        assert client.post(f"/api/v1/requests/access/{rid}/check", json={}, headers=rev).status_code == 422
        assert (
            client.post(f"/api/v1/requests/access/{rid}/refuse", json={"reason": ""}, headers=rev).status_code
            == 400
        )
        refused = client.post(
            f"/api/v1/requests/access/{rid}/refuse",
            json={"reason": "申请人身份与决定当事人不符"},
            headers=rev,
        )
        assert refused.json()["state"] == "refused"
        status = portal.get(
            f"/api/public/v1/requests/{tn}", params={"id_number": "340104199001011247"}
        ).json()
    assert status["status"] == "refused" and status["answer"] == "申请人身份与决定当事人不符"


def test_agency_scoping_and_extension(client: Any, wf: Workflow, settings: Settings) -> None:
    person_decision(client, wf)
    with portal_client(settings, wf) as portal:
        _ask(portal)
    rid = client.get("/api/v1/requests/access", headers=token(wf, "reviewer")).json()[0]["id"]
    other = token(wf, "reviewer", AGENCY_B)
    assert client.get(f"/api/v1/requests/access/{rid}", headers=other).status_code == 404
    assert client.get("/api/v1/requests/access", headers=other).json() == []
    assert client.get("/api/v1/requests/access", headers=token(wf, "submitter")).status_code == 403
    ext = client.post(
        f"/api/v1/requests/access/{rid}/extend",
        json={"reason": "需调取档案核实"},
        headers=token(wf, "reviewer"),
    )
    expected = access_request_due(date(2026, 11, 25), wf.calendar.get(), extended=True).on
    assert ext.status_code == 200 and ext.json()["due_on"] == expected.isoformat() and ext.json()["extended"]
    assert expected >= date(2027, 1, 20)
    again = client.post(
        f"/api/v1/requests/access/{rid}/extend", json={"reason": "再次延长"}, headers=token(wf, "reviewer")
    )
    assert again.status_code == 409


def test_rate_limit_per_document(client: Any, wf: Workflow, settings: Settings) -> None:
    from gongshi.portal.ratelimit import FORM, SEARCH, Limit

    limits = {SEARCH: Limit(rate=0, burst=1), FORM: Limit(rate=0.001, burst=3)}
    with portal_client(settings, wf, limits) as portal:
        codes = [_ask(portal).status_code for _ in range(5)]
    assert codes[:3] == [202, 202, 202] and codes[3] == 429


@pytest.mark.parametrize("scope", ["decision", "records"])
def test_html_form_round_trip(client: Any, wf: Workflow, settings: Settings, scope: str) -> None:
    person_decision(client, wf)
    with portal_client(settings, wf) as portal:
        form = portal.get("/requests/access")
        assert form.status_code == 200 and 'name="id_number"' in form.text
        done = portal.post(
            "/requests/access",
            data={
                "document_number": "合市监罚〔2026〕900号",
                "name": "张建国",
                "id_number": PERSON["id_number"],
                "contact": "13912345678",
                "scope": scope,
            },
        )
        assert done.status_code == 200 and "申请已收到" in done.text
        with wf.db.read() as s:
            tn = s.scalar(select(AccessRequest.tracking_no))
        assert tn and tn in done.text
        page = portal.post(f"/requests/{tn}", data={"id_number": PERSON["id_number"]})
        assert "已收到，正在办理" in page.text
        bad = portal.post(
            "/requests/access",
            data={"document_number": "x", "name": "y", "id_number": "1234", "contact": "?"},
        )
        assert bad.status_code == 400 and "联系方式" in bad.text


def test_records_scope_reads_the_case_masked(client: Any, wf: Workflow, settings: Settings) -> None:
    from tests.cases.factories import add_entry, open_case

    person_decision(client, wf)
    sub = token(wf, "submitter")
    case = open_case(client, sub, decisions=[{"document_number": "合市监罚〔2026〕900号"}])
    add_entry(
        client,
        sub,
        case["id"],
        "source",
        text="证人李四（电话13812345678）反映，当事人张三（电话13905510000）销售过期食品。",
    )
    with portal_client(settings, wf) as portal:
        tn = _ask(portal, scope="records").json()["tracking_no"]
        rid = client.get("/api/v1/requests/access", headers=token(wf, "reviewer")).json()[0]["id"]
        client.post(f"/api/v1/requests/access/{rid}/check", json={}, headers=token(wf, "reviewer"))
        code = client.post(
            f"/api/v1/requests/access/{rid}/approve", json={}, headers=token(wf, "head")
        ).json()["access_code"]
        view = portal.post(
            f"/api/public/v1/requests/{tn}/records",
            json={"id_number": PERSON["id_number"], "access_code": code},
        ).json()
        html = portal.post(f"/requests/{tn}", data={"id_number": PERSON["id_number"], "access_code": code})
    [released] = view["records"]
    text = released["entries"][0]["record"]["text"]
    assert "13812345678" not in text and "13905510000" in text
    assert "13812345678" not in html.text and "案件全过程记录" in html.text
    with wf.db.read() as s:
        case_actions = [
            e.action
            for e in s.scalars(
                select(AuditEvent).where(
                    AuditEvent.subject_type == "case", AuditEvent.subject_id == case["id"]
                )
            )
        ]
    assert case_actions.count("release.viewed") == 2


def test_match_and_miss_run_the_same_statements(client: Any, wf: Workflow) -> None:
    """Same work either way: the same SQL statements, in the same order, whether or not it matches."""
    from sqlalchemy import event

    from gongshi.parties.access import file_request
    from gongshi.parties.schemas import AccessRequestIn

    person_decision(client, wf)
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        seen.append(
            statement.split()[0] + " " + " ".join(w for w in statement.split() if w.isidentifier())[:200]
        )

    event.listen(wf.db.engine, "before_cursor_execute", record)
    try:
        runs = []
        for doc, idn in (
            ("合市监罚〔2026〕900号", PERSON["id_number"]),
            ("合市监罚〔2026〕900号", "340104199001011247"),
            ("合市监罚〔2031〕1号", PERSON["id_number"]),
        ):
            seen.clear()
            with wf.db.write() as s:
                file_request(
                    wf,
                    s,
                    AccessRequestIn(document_number=doc, name="张建国", id_number=idn, contact="13900000000"),
                )
            runs.append(list(seen))
    finally:
        event.remove(wf.db.engine, "before_cursor_execute", record)
    assert runs[0] == runs[1] == runs[2]
    assert len(runs[0]) >= 4


def test_overdue_access_requests_are_alerted(
    client: Any, wf: Workflow, settings: Settings, clock: Clock
) -> None:
    from gongshi.deadlines.alerts import raise_deadline_alerts

    person_decision(client, wf)
    with portal_client(settings, wf) as portal:
        tn = _ask(portal).json()["tracking_no"]
    clock.set("2026-12-24T09:00:00+08:00")
    assert raise_deadline_alerts(wf) == 1
    with wf.db.read() as s:
        alert = s.scalar(select(Notification).where(Notification.dedupe_key.like("deadline:%")))
    assert alert is not None and f"[逾期] 答复查阅申请 {tn}，期限 2026-12-23" in alert.body


def test_html_form_error_marks_the_field_and_keeps_the_input(
    client: Any, wf: Workflow, settings: Settings
) -> None:
    person_decision(client, wf)
    bad_check = PERSON["id_number"][:-1] + ("1" if PERSON["id_number"][-1] != "1" else "2")
    with portal_client(settings, wf) as portal:
        bad = portal.post(
            "/requests/access",
            data={
                "document_number": "合市监罚〔2026〕900号",
                "name": "张建国",
                "id_number": bad_check,
                "contact": "13912345678",
            },
        )
        assert bad.status_code == 400 and 'id="form-error"' in bad.text
        assert bad.headers["cache-control"] == "no-store"
        field = re.search(r'<input id="f-id"[^>]*>', bad.text)
        assert field, bad.text
        # The field at fault says so and reads the message as well as its help text ...
        assert 'aria-invalid="true"' in field.group(0)
        assert 'aria-describedby="form-error f-id-help"' in field.group(0)
        # ... and keeps what the requester typed (their own number, answered with no-store).
        assert f'value="{bad_check}"' in field.group(0)
        # The other fields are not marked.
        for other in ("f-doc", "f-name", "f-contact"):
            tag = re.search(rf'<input id="{other}"[^>]*>', bad.text)
            assert tag and "aria-invalid" not in tag.group(0) and "form-error" not in tag.group(0)
        wrong_contact = portal.post(
            "/requests/access",
            data={"document_number": "x", "name": "y", "id_number": PERSON["id_number"], "contact": "?"},
        )
        contact = re.search(r'<input id="f-contact"[^>]*>', wrong_contact.text)
        assert contact and 'aria-invalid="true" aria-describedby="form-error"' in contact.group(0)
        idf = re.search(r'<input id="f-id"[^>]*>', wrong_contact.text)
        assert idf and 'aria-describedby="f-id-help"' in idf.group(0) and "aria-invalid" not in idf.group(0)
