"""Console form fields that reach the database outside a typed body refuse control characters too.

Every other console form goes through gongshi.domain.text.convert; these two did not: the login
form's user name (written down by login throttling before any lookup) and the 更正 form's note
(the audit event's reason). On PostgreSQL a NUL in either was a 500; on SQLite it was stored.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from gongshi.core.context import Workflow
from gongshi.storage.auth_models import LoginFailure
from gongshi.storage.models import AuditEvent
from gongshi.worker import run_once
from tests.factories import intake, token
from tests.internal_api.test_console import _login

_CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f"])
def test_login_refuses_control_characters_before_throttling(client: Any, wf: Workflow, char: str) -> None:
    found = _CSRF.search(client.get("/console/login").text)
    assert found
    form = {"username": f"wang{char}", "password": "correct horse", "_csrf_token": found.group(1)}
    resp = client.post("/console/login", data=form, follow_redirects=False)
    assert resp.status_code == 400, resp.text
    assert "控制字符" in resp.text
    with wf.db.read() as s:
        assert s.scalar(select(func.count()).select_from(LoginFailure)) == 0


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x7f"])
def test_the_correction_note_refuses_control_characters(client: Any, wf: Workflow, char: str) -> None:
    rev = token(wf, "reviewer")
    decision_id = client.post("/api/v1/decisions", json=intake(), headers=token(wf, "submitter")).json()["id"]
    run_once(wf)
    assert client.post(f"/api/v1/decisions/{decision_id}/approve", json={}, headers=rev).status_code == 200
    run_once(wf)
    csrf = _login(client, wf)
    with wf.db.read() as s:
        events = s.scalar(select(func.count()).select_from(AuditEvent))
    body = {"result": "警告，并处罚款6000元。", "note": f"更正{char}说明", "_csrf_token": csrf}
    done = client.post(
        f"/console/decisions/{decision_id}/correction-confirm", data=body, follow_redirects=True
    )
    assert "控制字符" in done.text and "已发布更正" not in done.text
    assert client.get(f"/api/v1/decisions/{decision_id}", headers=rev).json()["revision"] == 1
    with wf.db.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == events
