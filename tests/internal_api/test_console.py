"""The staff console: login, CSRF on every form, the queue, acting on a decision."""

from __future__ import annotations

import re
from typing import Any

from gongshi.auth.credentials import create_user
from gongshi.core.context import Workflow
from gongshi.worker import run_once
from tests.factories import intake, token


def _login(client: Any, wf: Workflow) -> str:
    with wf.db.write() as s:
        create_user(
            s, username="wang", password="correct horse", role="admin", agency=None, display_name="王审核"
        )
    page = client.get("/console/login")
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert csrf, "login form carries a CSRF token"
    bad = client.post(
        "/console/login", data={"username": "wang", "password": "wrong", "_csrf_token": csrf.group(1)}
    )
    assert bad.status_code == 401
    assert "用户名或密码错误" in bad.text
    ok = client.post(
        "/console/login",
        data={"username": "wang", "password": "correct horse", "_csrf_token": csrf.group(1)},
        follow_redirects=True,
    )
    assert ok.status_code == 200
    assert "审核队列" in ok.text
    # Signing in starts a new session with its own CSRF token (the login page's one is void).
    fresh = re.search(r'name="_csrf_token" value="([^"]+)"', ok.text)
    assert fresh and fresh.group(1) != csrf.group(1)
    return fresh.group(1)


def test_console_requires_login(client: Any) -> None:
    resp = client.get("/console", follow_redirects=False)
    assert resp.status_code in (302, 303)
    assert resp.headers["location"].endswith("/console/login")


def test_forms_need_csrf(client: Any) -> None:
    resp = client.post("/console/login", data={"username": "x", "password": "y"})
    assert resp.status_code == 403


def test_review_in_the_console(client: Any, wf: Workflow) -> None:
    decision_id = client.post("/api/v1/decisions", json=intake(), headers=token(wf, "submitter")).json()["id"]
    run_once(wf)
    csrf = _login(client, wf)
    queue = client.get("/console")
    assert "合市监罚〔2026〕123号" in queue.text
    page = client.get(f"/console/decisions/{decision_id}")
    assert "公开版本" in page.text and "原文" in page.text
    done = client.post(
        f"/console/decisions/{decision_id}/approve",
        data={"note": "同意", "_csrf_token": csrf},
        follow_redirects=True,
    )
    assert "已批准" in done.text
    refused = client.post(
        f"/console/decisions/{decision_id}/approve", data={"_csrf_token": csrf}, follow_redirects=True
    )
    assert "操作未完成" in refused.text
    board = client.get("/console/deadlines")
    assert board.status_code == 200


def test_record_a_ruling_in_the_console(client: Any, wf: Workflow) -> None:
    from tests.parties.helpers import publish

    decision_id, _ = publish(client, wf)
    csrf = _login(client, wf)
    page = client.get(f"/console/decisions/{decision_id}")
    assert "登记撤销/确认违法裁决" in page.text and "待撤下" not in page.text
    url = f"/console/decisions/{decision_id}/ruling"
    form = {"reason": "revoked", "ruling_received_on": "2026-11-23", "note": "复议决定书已送达"}
    assert client.post(url, data=form).status_code == 403  # no CSRF token
    future = client.post(
        url, data={**form, "ruling_received_on": "2026-11-30", "_csrf_token": csrf}, follow_redirects=True
    )
    assert "操作未完成" in future.text and "待撤下" not in future.text
    done = client.post(url, data={**form, "_csrf_token": csrf}, follow_redirects=True)
    assert "已登记裁决" in done.text
    # A penalty: 3 calendar days from the ruling's arrival; the decision stays published until withdrawn.
    assert "待撤下" in done.text and "2026-11-23 收到裁决，应于 2026-11-26 前撤下" in done.text
    assert "ruling_received" in done.text and "复议决定书已送达" in done.text
    api = client.get(f"/api/v1/decisions/{decision_id}", headers=token(wf, "reviewer")).json()
    assert (api["state"], api["withdraw_reason"], api["withdraw_by"]) == (
        "published",
        "revoked",
        "2026-11-26",
    )
    board = client.get("/console/deadlines")
    assert f'href="/console/decisions/{decision_id}"' in board.text and "期限 2026-11-26" in board.text
    # The withdrawal form now suggests the ruling's reason.
    assert '<option value="revoked" selected>' in done.text
