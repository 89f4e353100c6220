"""Second review in the console (issue 11): the queue says who must act, the page refuses the first
reviewer, another reviewer approves; the agency's rule is shown to all and changed by a head."""

from __future__ import annotations

import re
from typing import Any

from gongshi.auth.credentials import create_user
from gongshi.core.context import Workflow
from gongshi.storage.models import Agency, AuditEvent
from gongshi.worker import run_once
from tests.factories import AGENCY_A, intake, token
from tests.publication.test_second_review import PERSON


def _user(wf: Workflow, username: str, role: str, display_name: str) -> None:
    token(wf, "submitter")  # the agency exists
    with wf.db.write() as s:
        agency = s.query(Agency).filter_by(code=AGENCY_A["code"]).one()
        create_user(
            s,
            username=username,
            password="correct horse",
            role=role,
            agency=agency,
            display_name=display_name,
        )


def _sign_in(client: Any, username: str) -> str:
    client.cookies.clear()
    page = client.get("/console/login")
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert csrf
    ok = client.post(
        "/console/login",
        data={"username": username, "password": "correct horse", "_csrf_token": csrf.group(1)},
        follow_redirects=True,
    )
    fresh = re.search(r'name="_csrf_token" value="([^"]+)"', ok.text)
    assert ok.status_code == 200 and fresh
    return fresh.group(1)


def test_first_reviewer_cannot_give_the_second_review(client: Any, wf: Workflow) -> None:
    _user(wf, "zhao", "reviewer", "赵初审")
    _user(wf, "qian", "reviewer", "钱复核")
    decision_id = client.post(
        "/api/v1/decisions", json=intake(party=PERSON), headers=token(wf, "submitter")
    ).json()["id"]
    run_once(wf)
    csrf = _sign_in(client, "zhao")
    page = client.get(f"/console/decisions/{decision_id}").text
    assert "批准后需复核" in page and "复核原因：当事人为自然人" in page
    done = client.post(
        f"/console/decisions/{decision_id}/approve", data={"_csrf_token": csrf}, follow_redirects=True
    )
    assert "初审已通过，须由另一名审核人复核后发布" in done.text
    page = client.get(f"/console/decisions/{decision_id}").text
    assert "<strong>待复核</strong>" in page and "初审人：赵初审" in page
    assert "复核须由另一名审核人完成" in page
    assert re.search(r"<button type=\"submit\" disabled>复核通过</button>", page)
    # The queue: 待复核 with the first reviewer's name; not in "待我复核" for the first reviewer.
    queue = client.get("/console").text
    assert "初审：赵初审，须另一名审核人复核" in queue
    assert "合市监罚〔2026〕123号" in client.get("/console?state=second_review").text
    assert "合市监罚〔2026〕123号" not in client.get("/console?second=mine").text
    refused = client.post(
        f"/console/decisions/{decision_id}/approve", data={"_csrf_token": csrf}, follow_redirects=True
    )
    assert "操作未完成：复核须由另一名审核人完成" in refused.text
    csrf = _sign_in(client, "qian")
    mine = client.get("/console?second=mine").text
    assert "合市监罚〔2026〕123号" in mine and "初审：赵初审，待您复核" in mine
    page = client.get(f"/console/decisions/{decision_id}").text
    assert re.search(r"<button type=\"submit\">复核通过</button>", page)
    done = client.post(
        f"/console/decisions/{decision_id}/approve",
        data={"note": "复核同意", "_csrf_token": csrf},
        follow_redirects=True,
    )
    assert "已批准" in done.text
    page = client.get(f"/console/decisions/{decision_id}").text
    assert "已复核：初审 赵初审，复核 钱复核" in page
    assert "初审通过，待复核" in page and "复核通过，批准发布" in page  # the audit, in Chinese


def test_return_to_review_from_the_console(client: Any, wf: Workflow) -> None:
    _user(wf, "zhao", "reviewer", "赵初审")
    decision_id = client.post(
        "/api/v1/decisions", json=intake(party=PERSON), headers=token(wf, "submitter")
    ).json()["id"]
    run_once(wf)
    client.post(f"/api/v1/decisions/{decision_id}/approve", json={}, headers=token(wf, "reviewer"))
    csrf = _sign_in(client, "zhao")
    done = client.post(
        f"/console/decisions/{decision_id}/return-to-review",
        data={"note": "还有一处姓名未遮蔽", "_csrf_token": csrf},
        follow_redirects=True,
    )
    assert "已退回初审" in done.text
    assert "<strong>待审核</strong>" in client.get(f"/console/decisions/{decision_id}").text


def test_the_rule_page_is_read_only_for_a_reviewer_and_saved_by_a_head(client: Any, wf: Workflow) -> None:
    _user(wf, "zhao", "reviewer", "赵初审")
    _user(wf, "sun", "head", "孙负责人")
    url = f"/console/agencies/{AGENCY_A['code']}/second-review"
    _sign_in(client, "zhao")
    page = client.get(url).text
    assert "适用默认规则" in page and "当事人为自然人：需复核" in page and "随机抽查比例：0%" in page
    assert 'name="sample_percent"' not in page
    assert "复核规则" in client.get(f"/console/agencies/{AGENCY_A['code']}").text
    csrf = _sign_in(client, "sun")
    bad = client.post(
        url, data={"unmasks": "on", "sample_percent": "abc", "_csrf_token": csrf}, follow_redirects=True
    )
    assert "未保存：抽查比例须为 0 至 100 的整数" in bad.text
    saved = client.post(
        url,
        data={"unmasks": "on", "kept_doubts": "on", "sample_percent": "10", "_csrf_token": csrf},
        follow_redirects=True,
    )
    assert "复核规则已保存" in saved.text
    assert 'name="natural_person">' in saved.text and 'value="10"' in saved.text  # unticked, 10 %
    with wf.db.read() as s:
        agency = s.query(Agency).filter_by(code=AGENCY_A["code"]).one()
        assert agency.second_review_rule == {
            "unmasks": True,
            "kept_doubts": True,
            "natural_person": False,
            "sample_percent": 10,
        }
        events = s.query(AuditEvent).filter_by(subject_type="agency", action="second_review_rule").all()
    assert [e.actor for e in events] == ["user:sun"]


def test_bulk_approval_says_which_records_went_to_second_review(client: Any, wf: Workflow) -> None:
    _user(wf, "zhao", "reviewer", "赵初审")
    person = client.post(
        "/api/v1/decisions", json=intake(party=PERSON), headers=token(wf, "submitter")
    ).json()
    company = client.post(
        "/api/v1/decisions",
        json=intake(source_id="SR-company", document_number="合市监罚〔2026〕124号"),
        headers=token(wf, "submitter"),
    ).json()
    run_once(wf)
    csrf = _sign_in(client, "zhao")
    form = {f"id-{d['id']}": str(d["id"]) for d in (person, company)}
    done = client.post("/console/bulk-approve", data={**form, "_csrf_token": csrf}, follow_redirects=True)
    assert "已批量批准 2 条（其中 1 条按复核规则转入待复核）" in done.text
    rev = token(wf, "reviewer")
    got = {
        d["id"]: client.get(f"/api/v1/decisions/{d['id']}", headers=rev).json()["state"]
        for d in (person, company)
    }
    assert got == {person["id"]: "second_review", company["id"]: "approved"}
