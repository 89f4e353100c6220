"""The console's review page: doubts in place with mask/keep, the mask form, entities, Chinese audit."""

from __future__ import annotations

import re
from typing import Any

from gongshi.core.context import Workflow
from gongshi.worker import run_once
from tests.factories import intake, token
from tests.internal_api.test_console import _login
from tests.redaction.test_entities_edits import FACTS


def _post(client: Any, url: str, csrf: str, **form: str) -> Any:
    return client.post(url, data={**form, "_csrf_token": csrf}, follow_redirects=True)


def test_review_page_edits_without_javascript(client: Any, wf: Workflow) -> None:
    body = intake(facts=FACTS)
    decision_id = client.post("/api/v1/decisions", json=body, headers=token(wf, "submitter")).json()["id"]
    run_once(wf)
    csrf = _login(client, wf)
    url = f"/console/decisions/{decision_id}"
    page = client.get(url).text
    # Chinese labels, the doubt in place with its two buttons, no offsets, no default withhold reason.
    assert "<h3>违法事实</h3>" in page and "<code>facts</code>" not in page
    assert re.search(r'<mark class="doubt"[^>]*>家庭住址</mark><form', page)
    assert 'value="mask">遮蔽</button>' in page and 'value="keep" class="secondary">保留</button>' in page
    assert "第 120" not in page
    assert '<option value="" selected disabled>请选择理由</option>' in page
    assert "UTC" not in page.split("审计记录")[1]
    assert "接收" in page and "自动脱敏完成" in page and "receive" not in page.split("审计记录")[1]
    done = _post(client, f"{url}/redactions", csrf, action="mask", text="小明", category="name")
    assert "已修改脱敏结果" in done.text
    public = done.text.split('id="pub-h"')[1].split("</section>")[0]
    assert "顾客小某在场" in public and "小明" not in public
    entity = re.search(r'<tr id="entity-(e[0-9a-f]+)">\s*<td>王庄</td>', done.text)
    assert entity, "the village is listed as an entity"
    done = _post(client, f"{url}/redactions", csrf, action="unmask", entity_id=entity.group(1), reason="村名")
    assert "前往王庄调查" in done.text.split('id="pub-h"')[1]
    doubt = re.search(r'name="doubt_id" value="(d[0-9a-f]+)"', done.text)
    assert doubt
    done = _post(
        client, f"{url}/redactions", csrf, action="resolve_doubt", doubt_id=doubt.group(1), resolution="keep"
    )
    assert "已保留" in done.text
    audit = done.text.split("审计记录")[1]
    assert (
        "修改脱敏" in audit and "遮蔽「小明」（自然人姓名），新增 1 处" in audit and "工作人员 wang" in audit
    )
    approved = _post(client, f"{url}/approve", csrf, note="同意")
    # An unmask and a kept doubt: the default rule asks another reviewer to approve it too.
    assert "初审已通过，须由另一名审核人复核后发布" in approved.text
