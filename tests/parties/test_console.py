"""The console pages for requests: list with deadlines, reviewer check, head release, answers, outbox."""

from __future__ import annotations

import re
from typing import Any

from litestar.testing import TestClient

from gongshi.auth.credentials import create_user
from gongshi.core.context import Workflow
from gongshi.internal_api import create_app
from gongshi.settings import Settings
from gongshi.storage.models import Agency
from tests.conftest import Clock
from tests.factories import AGENCY_A
from tests.parties.helpers import PERSON, person_decision, portal_client, publish


def _user(wf: Workflow, username: str, role: str) -> None:
    from sqlalchemy import select

    with wf.db.write() as s:
        agency = s.scalar(select(Agency).where(Agency.code == AGENCY_A["code"]))
        create_user(
            s,
            username=username,
            password="password-" + username,
            role=role,
            agency=agency,
            display_name=username,
        )


def _login(client: Any, username: str) -> str:
    page = client.get("/console/login")
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert csrf
    ok = client.post(
        "/console/login",
        data={"username": username, "password": "password-" + username, "_csrf_token": csrf.group(1)},
        follow_redirects=True,
    )
    assert ok.status_code == 200
    # Signing in starts a new session with its own CSRF token (the login page's one is void).
    fresh = re.search(r'name="_csrf_token" value="([^"]+)"', ok.text)
    assert fresh and fresh.group(1) != csrf.group(1)
    return fresh.group(1)


def test_reviewer_checks_head_releases_in_the_console(
    client: Any, wf: Workflow, settings: Settings, app: Any, clock: Clock
) -> None:
    person_decision(client, wf)
    _user(wf, "rev", "reviewer")
    _user(wf, "boss", "head")
    with portal_client(settings, wf) as portal:
        tn = portal.post(
            "/api/public/v1/requests/access",
            json={
                "document_number": "合市监罚〔2026〕900号",
                "name": "张建国",
                "id_number": PERSON["id_number"],
                "contact": "13912345678",
                "scope": "decision",
            },
        ).json()["tracking_no"]
    csrf = _login(client, "rev")
    listing = client.get("/console/requests")
    assert tn in listing.text and "身份与记录相符" in listing.text and "2026-12-23" in listing.text
    page = client.get(f"/console/requests/{tn}")
    assert "张建国" in page.text and "3401**********128X" in page.text and "批准提供" not in page.text
    no_csrf = client.post(f"/console/requests/{tn}/check", data={"note": "x"})
    assert no_csrf.status_code == 403
    short = client.post(
        f"/console/requests/{tn}/refuse", data={"reason": "不", "_csrf_token": csrf}, follow_redirects=True
    )
    assert "请填写理由" in short.text
    done = client.post(
        f"/console/requests/{tn}/check", data={"note": "身份一致", "_csrf_token": csrf}, follow_redirects=True
    )
    assert "已核实，待负责人审批" in done.text and "等待负责人审批" in done.text
    clock.set("2026-12-22T09:00:00+08:00")
    board = client.get("/console/deadlines")
    assert f"答复查阅申请 {tn}" in board.text
    outbox = client.get("/console/notifications")
    assert "13912345678" in outbox.text and "未发送" in outbox.text

    with TestClient(create_app(settings, wf)) as head_client:
        csrf = _login(head_client, "boss")
        granted = head_client.post(
            f"/console/requests/{tn}/approve",
            data={"note": "同意提供", "_csrf_token": csrf},
            follow_redirects=True,
        )
        code = re.search(r"访问码 ([A-Z0-9]{5}-[A-Z0-9]{5})", granted.text)
        assert code, granted.text
        assert "已同意提供" in granted.text and "批准提供" in granted.text
    with portal_client(settings, wf) as portal:
        page = portal.post(
            f"/requests/{tn}", data={"id_number": PERSON["id_number"], "access_code": code.group(1)}
        )
        assert page.status_code == 200 and "获准查阅的记录" in page.text
        assert "13912345678" in page.text and "王小明" not in page.text
        wrong = portal.post(
            f"/requests/{tn}", data={"id_number": PERSON["id_number"], "access_code": "AAAAA-BBBBB"}
        )
        assert wrong.status_code == 403 and "访问码错误" in wrong.text and "已同意提供" in wrong.text


def test_correction_answered_in_the_console(client: Any, wf: Workflow, settings: Settings) -> None:
    _, public_id = publish(client, wf)
    _user(wf, "rev", "reviewer")
    with portal_client(settings, wf) as portal:
        tn = portal.post(
            "/api/public/v1/requests/correction",
            json={"disclosure_id": public_id, "description": "名称有误，请核对。"},
        ).json()["tracking_no"]
    csrf = _login(client, "rev")
    page = client.get(f"/console/requests/{tn}")
    assert "名称有误" in page.text and "确认有误" in page.text
    done = client.post(
        f"/console/requests/{tn}/accept", data={"note": "属实", "_csrf_token": csrf}, follow_redirects=True
    )
    assert "发布更正" in done.text and "已确认有误，正在更正" in done.text
