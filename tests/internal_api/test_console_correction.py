"""更正 in the console: a form with Chinese labels, pre-filled, previewed with its redaction, published."""

from __future__ import annotations

import re
from typing import Any

from gongshi.core.context import Workflow
from gongshi.worker import run_once
from tests.factories import intake, token
from tests.internal_api.test_console import _login


def test_correction_form_preview_then_publish(client: Any, wf: Workflow) -> None:
    rev = token(wf, "reviewer")
    decision_id = client.post("/api/v1/decisions", json=intake(), headers=token(wf, "submitter")).json()["id"]
    run_once(wf)
    assert client.post(f"/api/v1/decisions/{decision_id}/approve", json={}, headers=rev).status_code == 200
    run_once(wf)
    csrf = _login(client, wf)
    page = client.get(f"/console/decisions/{decision_id}").text
    assert '<label for="cf-facts">违法事实</label>' in page and "（JSON）" not in page
    assert re.search(
        r'<textarea id="cf-facts" name="facts" rows="5">当事人经营超过保质期的食品。</textarea>', page
    )
    form = {
        m.group(1): m.group(2)
        for m in re.finditer(r'<input id="cf-[a-z_]+" name="([a-z_]+)" value="([^"]*)">', page)
    }
    assert form["document_number"] == "合市监罚〔2026〕123号" and form["party_name"] == "合肥某某食品有限公司"
    new_facts = "当事人经营超过保质期的食品，证人张三丰在场。"
    body = {**form, "facts": new_facts, "legal_basis": "《中华人民共和国食品安全法》第一百二十四条"}
    body |= {"result": "警告，并处罚款5000元。", "full_text": "", "note": "补充事实", "_csrf_token": csrf}
    preview = client.post(f"/console/decisions/{decision_id}/correction-preview", data=body)
    assert preview.status_code == 200, preview.text
    assert "证人张某在场" in preview.text and "确认发布更正" in preview.text
    record = client.get(f"/api/v1/decisions/{decision_id}", headers=rev).json()
    assert record["revision"] == 1  # a preview publishes nothing
    done = client.post(
        f"/console/decisions/{decision_id}/correction-confirm", data=body, follow_redirects=True
    )
    assert "已发布更正" in done.text
    record = client.get(f"/api/v1/decisions/{decision_id}", headers=rev).json()
    assert record["revision"] == 2 and "证人张某在场" in record["public"]["facts"]
    bad = client.post(
        f"/console/decisions/{decision_id}/correction-preview",
        data={**body, "decided_on": "not a date"},
        follow_redirects=True,
    )
    assert "更正未完成" in bad.text
