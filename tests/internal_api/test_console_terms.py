"""The console page of an agency's term lists: a reviewer proposes, a head accepts, rejects, adds and
removes with a reason, each change audited in Chinese; the next redaction of the agency applies the
lists; another agency's list is a 404 like a missing one; every post needs its session's CSRF token."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from gongshi.auth.credentials import create_user
from gongshi.core.context import Workflow
from gongshi.storage.models import Agency
from gongshi.storage.term_models import AgencyTerm
from gongshi.worker import run_once
from tests.factories import AGENCY_A, AGENCY_B, intake, token
from tests.redaction.test_entities_edits import FACTS

PAGE = f"/console/agencies/{AGENCY_A['code']}/terms"
Staff = tuple[TestClient[Any], str]


@pytest.fixture
def staff(app: Any, client: Any, wf: Workflow) -> Callable[..., Staff]:
    """Signs a new console user in on a client of their own; returns the client and its CSRF token.

    `client` runs the app's lifespan; these clients only send requests (starting and stopping the
    lifespan of one app from several clients hangs).
    """

    def sign_in(username: str, role: str, agency: dict[str, str] | None = AGENCY_A) -> Staff:
        if agency is not None:
            token(wf, "submitter", agency)  # makes the agency
        with wf.db.write() as s:
            row = s.scalar(select(Agency).where(Agency.code == agency["code"])) if agency else None
            create_user(s, username=username, password="correct horse", role=role, agency=row)
        browser: TestClient[Any] = TestClient(app)
        login = browser.get("/console/login").text
        csrf = re.search(r'name="_csrf_token" value="([^"]+)"', login)
        assert csrf
        page = browser.post(
            "/console/login",
            data={"username": username, "password": "correct horse", "_csrf_token": csrf.group(1)},
            follow_redirects=True,
        ).text
        fresh = re.search(r'name="_csrf_token" value="([^"]+)"', page)
        assert fresh
        return browser, fresh.group(1)

    return sign_in


def _post(who: Staff, url: str, **form: str) -> Any:
    client, csrf = who
    return client.post(url, data={**form, "_csrf_token": csrf}, follow_redirects=True)


def _rows(wf: Workflow) -> dict[str, AgencyTerm]:
    with wf.db.read() as s:
        return {t.term: t for t in s.scalars(select(AgencyTerm))}


def _section(page: str, kind: str) -> str:
    return page.split(f'id="list-{kind}"')[1].split("</section>")[0]


def _redacted(client: TestClient[Any], wf: Workflow, source_id: str) -> dict[str, Any]:
    """A new decision of agency A with the sample facts, redacted by the worker."""
    body = intake(facts=FACTS, source_id=source_id)
    created = client.post("/api/v1/decisions", json=body, headers=token(wf, "submitter")).json()
    run_once(wf)
    record: dict[str, Any] = client.get(
        f"/api/v1/decisions/{created['id']}", headers=token(wf, "reviewer")
    ).json()
    return record


def test_reviewer_proposes_head_decides_and_the_next_redaction_applies(
    client: Any, wf: Workflow, staff: Callable[..., Staff]
) -> None:
    reviewer, head = staff("li", "reviewer"), staff("zhao", "head")
    first = _redacted(client, wf, "HF-TERMS-1")
    # A reviewer's mask on the review page proposes an always-mask entry; the page links to the list.
    done = _post(
        reviewer, f"/console/decisions/{first['id']}/redactions", action="mask", text="小明", category="name"
    )
    assert "「小明」— 始终遮蔽，待批准" in done.text and f'href="{PAGE}"' in done.text
    page = reviewer[0].get(PAGE)
    assert page.status_code == 200
    row = _section(page.text, "always")
    assert "小明" in row and "自然人姓名" in row and "待批准" in row and "工作人员 li" in row
    assert f'href="/console/decisions/{first["id"]}">{first["document_number"]}</a>' in row
    assert "/accept" not in page.text and "添加并生效" not in page.text and "提议，待负责人批准" in page.text
    xiaoming = _rows(wf)["小明"]

    # A reviewer may propose by hand but not decide.
    made = _post(
        reviewer, f"{PAGE}/propose", term="欧阳执法", kind="always", category="name", reason="本局执法人员"
    )
    assert "已提议「欧阳执法」" in made.text
    refused = _post(reviewer, f"{PAGE}/{xiaoming.id}/accept", reason="同意")
    assert "只有机关负责人或管理员" in refused.text and _rows(wf)["小明"].status == "proposed"

    # A head decides, always with a reason.
    assert "/accept" in head[0].get(PAGE).text
    no_reason = _post(head, f"{PAGE}/{xiaoming.id}/accept", reason=" ")
    assert "请填写理由" in no_reason.text and _rows(wf)["小明"].status == "proposed"
    accepted = _post(head, f"{PAGE}/{xiaoming.id}/accept", reason="证人姓名")
    assert "已批准" in accepted.text and _rows(wf)["小明"].status == "accepted"
    ouyang = _rows(wf)["欧阳执法"]
    _post(head, f"{PAGE}/{ouyang.id}/reject", reason="不是本局人员")
    assert _rows(wf)["欧阳执法"].status == "rejected"

    # The engine applies the accepted entry on the agency's next redaction.
    second = _redacted(client, wf, "HF-TERMS-2")
    assert "小明" not in second["public"]["facts"]
    assert (
        next(e for e in second["entities"] if e["mentions"][0]["text"] == "小明")["source"] == "agency_list"
    )

    # Added by a head, in force at once; removed, no longer applied.
    added = _post(head, f"{PAGE}/add", term="王庄", kind="never", reason="本地村名")
    assert "已将「王庄」加入从不遮蔽词表" in added.text and _rows(wf)["王庄"].status == "accepted"
    removed = _post(head, f"{PAGE}/{xiaoming.id}/remove", reason="当事人同意公开")
    assert "已移除「小明」" in removed.text and _rows(wf)["小明"].status == "removed"
    third = _redacted(client, wf, "HF-TERMS-3")
    assert "顾客小明在场" in third["public"]["facts"] and "前往王庄调查" in third["public"]["facts"]

    # Every change is on the page's audit, in Chinese and Beijing time.
    history = head[0].get(PAGE).text.split("词表审计记录")[1]
    items = re.findall(r"<li><time>([^<]+)</time> <strong>([^<]+)</strong> ([^：]+)：「([^」]+)」", history)
    assert [(action, actor, term) for _, action, actor, term in items] == [
        ("移除词条", "工作人员 zhao", "小明"),
        ("添加词条", "工作人员 zhao", "王庄"),
        ("拒绝词条", "工作人员 zhao", "欧阳执法"),
        ("批准词条", "工作人员 zhao", "小明"),
        ("提议词条", "工作人员 li", "欧阳执法"),
        ("提议词条", "工作人员 li", "小明"),
    ]
    assert {at for at, *_ in items} == {"2026-11-25 10:00"}
    assert "已生效 → 已移除（当事人同意公开）" in history and "term_" not in history


def test_another_agencys_list_is_not_found_like_a_missing_one(
    client: Any, wf: Workflow, staff: Callable[..., Staff]
) -> None:
    head_a, head_b = staff("zhao", "head"), staff("qian", "head", AGENCY_B)
    _post(head_a, f"{PAGE}/add", term="欧阳执法", kind="always", category="name", reason="本局执法人员")
    term = _rows(wf)["欧阳执法"]
    foreign, missing = head_b[0].get(PAGE), head_b[0].get("/console/agencies/NOSUCHAGENCY/terms")
    assert foreign.status_code == missing.status_code == 404
    assert "欧阳执法" not in foreign.text and AGENCY_A["name"] not in foreign.text
    for action in ("remove", "accept", "reject"):
        assert _post(head_b, f"{PAGE}/{term.id}/{action}", reason="越权").status_code == 404
    assert _post(head_b, f"{PAGE}/add", term="孙某某", kind="never", reason="越权").status_code == 404
    # The entry's id under the head's own agency is no entry of theirs.
    own = f"/console/agencies/{AGENCY_B['code']}/terms"
    assert "词条" in _post(head_b, f"{own}/{term.id}/remove", reason="越权").text
    assert _rows(wf)["欧阳执法"].status == "accepted" and "孙某某" not in _rows(wf)
    # An admin sees every agency's list.
    assert "欧阳执法" in staff("root", "admin", None)[0].get(PAGE).text


def test_term_posts_need_the_sessions_csrf_token_and_same_origin(
    wf: Workflow, staff: Callable[..., Staff]
) -> None:
    (head, csrf), (_, other) = staff("zhao", "head"), staff("qian", "head")
    form = {"term": "欧阳执法", "kind": "always", "category": "name", "reason": "本局执法人员"}
    assert head.post(f"{PAGE}/add", data=form).status_code == 403
    assert head.post(f"{PAGE}/add", data={**form, "_csrf_token": other}).status_code == 403
    cross = head.post(
        f"{PAGE}/add", data={**form, "_csrf_token": csrf}, headers={"Origin": "https://evil.example"}
    )
    assert cross.status_code == 403 and _rows(wf) == {}
    assert "已将「欧阳执法」加入" in _post((head, csrf), f"{PAGE}/add", **form).text


def test_bad_entries_are_named_and_nothing_is_stored(wf: Workflow, staff: Callable[..., Staff]) -> None:
    head = staff("zhao", "head")
    assert "词条须为 2 至 200 个字" in _post(head, f"{PAGE}/add", term="王", kind="never", reason="村名").text
    assert "请选择词表" in _post(head, f"{PAGE}/add", term="王庄", kind="", reason="村名").text
    assert (
        "未知类别" in _post(head, f"{PAGE}/add", term="王庄", kind="always", category="x", reason="村名").text
    )
    _post(head, f"{PAGE}/add", term="王庄", kind="never", reason="村名")
    assert (
        "已在从不遮蔽词表中生效" in _post(head, f"{PAGE}/add", term="王庄", kind="never", reason="村名").text
    )
    village = {"term": "李庄", "kind": "never"}
    assert "理由最多 2000 字" in _post(head, f"{PAGE}/add", **village, reason="长" * 2001).text
    assert "请填写理由" in _post(head, f"{PAGE}/add", **village, reason="").text
    reviewer = staff("li", "reviewer")
    assert "只有机关负责人或管理员" in _post(reviewer, f"{PAGE}/add", **village, reason="").text
    assert list(_rows(wf)) == ["王庄"]
