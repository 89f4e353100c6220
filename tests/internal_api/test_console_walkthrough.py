"""Rough edges a newcomer walkthrough of the console found: English codes, developer field keys."""

from __future__ import annotations

import re
from typing import Any

from gongshi.core.context import Workflow
from gongshi.worker import run_once
from tests.agencies.helpers import CODE, agency_body
from tests.agencies.test_console_pages import _login as _agency_login
from tests.agencies.test_rule_and_reports import FULL
from tests.conftest import Clock
from tests.factories import intake, token
from tests.internal_api.test_console import _login


def _post(client: Any, url: str, csrf: str, **form: str) -> Any:
    return client.post(url, data={**form, "_csrf_token": csrf}, follow_redirects=True)


def _public(page: str) -> str:
    return page.split('id="pub-h"')[1].split("</section>")[0]


def test_public_version_names_penalty_kinds_in_chinese(client: Any, wf: Workflow) -> None:
    body = intake(penalty={"categories": ["confiscation", "fine"], "fine_yuan": "19000.00"})
    decision_id = client.post("/api/v1/decisions", json=body, headers=token(wf, "submitter")).json()["id"]
    run_once(wf)
    _login(client, wf)
    public = _public(client.get(f"/console/decisions/{decision_id}").text)
    assert "<dt>处罚</dt><dd>没收违法所得、没收非法财物、罚款，罚款 19000.00 元</dd>" in public
    assert "confiscation" not in public and "fine" not in public


def _flash(page: str) -> str:
    found = re.search(r'class="flash[^"]*"[^>]*>(.*?)</', page, re.S)
    assert found, "the page shows the outcome"
    return found.group(1)


def test_masking_a_party_field_says_why_in_chinese(client: Any, wf: Workflow) -> None:
    party = {
        "kind": "individual_business",
        "name": "合肥市瑶海区徐记副食品店",
        "id_type": "uscc",
        "id_number": "92340102T89048482L",
        "legal_representative": "徐静磊",
        "address": "合肥市瑶海区望江西路216号",
        "phone": "13800001111",
    }
    decision_id = client.post(
        "/api/v1/decisions", json=intake(party=party), headers=token(wf, "submitter")
    ).json()["id"]
    run_once(wf)
    csrf = _login(client, wf)
    url = f"/console/decisions/{decision_id}"
    done = _post(client, f"{url}/redactions", csrf, action="mask", text="徐静磊", category="name")
    message = _flash(done.text)
    assert "「徐静磊」是当事人信息中的经营者，按规定公开，不能在此遮蔽；如有误，请通过更正修改" in message
    assert "字段" not in message and "text" not in message and "party." not in message
    assert "徐静磊" in _public(done.text), "the operator stays published"
    # A party field the public version never shows needs no mask.
    done = _post(client, f"{url}/redactions", csrf, action="mask", text="13800001111", category="phone")
    assert "「13800001111」是当事人信息中的当事人电话，公开版本不显示该项，无须遮蔽" in _flash(done.text)
    # Text that is nowhere: the plain message, still without a field key.
    done = _post(client, f"{url}/redactions", csrf, action="mask", text="张三丰", category="name")
    assert _flash(done.text).strip() == "操作未完成：原文中没有「张三丰」"
    # Nothing was stored by the refused edits.
    detail = client.get(f"/api/v1/decisions/{decision_id}", headers=token(wf, "reviewer")).json()
    assert not any(e["text"] == "徐静磊" for e in detail.get("entities", []))


def test_agency_page_shows_beijing_time_and_offers_only_what_the_role_can_do(
    client: Any, wf: Workflow, clock: Clock
) -> None:
    clock.set("2027-01-05T23:30:00+08:00")  # 15:30 UTC: the UTC date would be a day early
    client.put(f"/api/v1/agencies/{CODE}", json=agency_body(), headers=token(wf, "head"))
    _agency_login(client, wf, role="reviewer")
    page = client.get(f"/console/agencies/{CODE}").text
    assert "机关信息更新于 2027-01-05 23:30" in page and "（北京时间）" in page
    assert "UTC" not in page and "T15:30" not in page
    portal = re.search(rf'<a href="/agencies/{CODE}">([^<]+)</a>', page)
    assert portal and portal.group(1) == "查看本机关在公示门户上的页面"
    # A reviewer cannot fill the annual report: no link that opens a page saying so.
    assert "填报 2026 年度年报" not in page
    assert "2026 年度年报尚未填报（由机关负责人或管理员填报）" in page


def test_agency_page_offers_the_report_to_a_head(client: Any, wf: Workflow, clock: Clock) -> None:
    clock.set("2027-01-05T10:00:00+08:00")
    client.put(f"/api/v1/agencies/{CODE}", json=agency_body(), headers=token(wf, "head"))
    _agency_login(client, wf, role="head")
    page = client.get(f"/console/agencies/{CODE}").text
    assert f'<a href="/console/agencies/{CODE}/reports/2026">填报 2026 年度年报</a>' in page


def test_published_report_shows_beijing_time_and_a_worded_portal_link(
    client: Any, wf: Workflow, clock: Clock
) -> None:
    client.put(f"/api/v1/agencies/{CODE}", json=agency_body(), headers=token(wf, "head"))
    clock.set("2027-01-05T23:30:00+08:00")
    csrf = _agency_login(client, wf, role="head")
    form = {k: str(v) for k, v in FULL.items()}
    _post(client, f"/console/agencies/{CODE}/reports/2026/figures", csrf, **form)
    page = _post(client, f"/console/agencies/{CODE}/reports/2026/publish", csrf).text
    assert "已公开（第 1 版，2027-01-05 23:30 北京时间）" in page and "UTC" not in page
    link = re.search(rf'<a href="/agencies/{CODE}/reports/2026">([^<]+)</a>', page)
    assert link and link.group(1) == "查看公示门户上的 2026 年度年报"
