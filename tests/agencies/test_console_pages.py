"""Console pages for the directory and annual reports: login, CSRF, forms that keep input on error."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from gongshi.auth.credentials import create_user
from gongshi.core.context import Workflow
from gongshi.storage.models import Agency
from tests.agencies.helpers import CODE, agency_body
from tests.agencies.test_rule_and_reports import FULL
from tests.conftest import Clock
from tests.factories import AGENCY_B, token


def _login(client: Any, wf: Workflow, role: str = "head", agency_code: str | None = CODE) -> str:
    with wf.db.write() as s:
        agency = s.scalar(select(Agency).where(Agency.code == agency_code)) if agency_code else None
        create_user(
            s, username="zhang", password="correct horse", role=role, agency=agency, display_name="张"
        )
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', client.get("/console/login").text)
    assert csrf
    ok = client.post(
        "/console/login",
        data={"username": "zhang", "password": "correct horse", "_csrf_token": csrf.group(1)},
        follow_redirects=True,
    )
    assert ok.status_code == 200
    # Signing in starts a new session with its own CSRF token (the login page's one is void).
    fresh = re.search(r'name="_csrf_token" value="([^"]+)"', ok.text)
    assert fresh and fresh.group(1) != csrf.group(1)
    return fresh.group(1)


def test_console_directory_edit(client: Any, wf: Workflow) -> None:
    assert client.get("/console/agencies", follow_redirects=False).status_code in (302, 303)
    client.put(f"/api/v1/agencies/{CODE}", json=agency_body(), headers=token(wf, "head"))
    token(wf, "head", AGENCY_B)
    csrf = _login(client, wf)
    listing = client.get("/console/agencies")
    assert CODE in listing.text and AGENCY_B["code"] not in listing.text  # agency scoping
    assert (
        client.get(f"/console/agencies/{AGENCY_B['code']}", follow_redirects=True).text.count("没有代码为")
        == 1
    )

    page = client.get(f"/console/agencies/{CODE}")
    assert page.status_code == 200 and "张局长" in page.text and 'name="o0_name"' in page.text

    # Without the CSRF token the form is refused.
    assert client.post(f"/console/agencies/{CODE}/officers", data={"orows": "1"}).status_code == 403

    bad = client.post(
        f"/console/agencies/{CODE}/officers",
        data={
            "_csrf_token": csrf,
            "orows": "2",
            "o0_name": "李明",
            "o0_certificate_number": "皖A34010020001",
            "o0_category": "市场监管综合执法",
            "o0_role": "officer",
            "o0_status": "active",
            "o0_valid_from": "2025-01-01",
            "o0_valid_until": "2024-12-31",
            "o1_role": "officer",
            "o1_status": "active",
        },
    )
    assert bad.status_code == 422
    assert (
        "未保存" in bad.text
        and "早于起始日" in bad.text
        and "执法人员第 1 行的有效期至" in bad.text
        and "officers[0]" not in bad.text  # the field's path, a developer's word, is not shown
    )
    assert 'value="皖A34010020001"' in bad.text  # what was typed is kept

    good = client.post(
        f"/console/agencies/{CODE}/officers",
        data={
            "_csrf_token": csrf,
            "orows": "1",
            "o0_name": "李明",
            "o0_certificate_number": "皖a34010020001",
            "o0_category": "市场监管综合执法",
            "o0_role": "officer",
            "o0_status": "active",
            "o0_valid_from": "2025-01-01",
            "o0_valid_until": "2029-12-31",
            "changed_on": "2026-11-20",
            "note": "新增执法人员",
        },
        follow_redirects=True,
    )
    assert good.status_code == 200 and "执法人员名单已保存" in good.text
    assert 'value="皖A34010020001"' in good.text
    assert "新增执法人员" in good.text  # in the update history

    announced = client.post(
        f"/console/agencies/{CODE}/changes",
        data={
            "_csrf_token": csrf,
            "subject": "profile",
            "description": "负责人调整",
            "changed_on": "2026-11-02",
        },
        follow_redirects=True,
    )
    assert "已登记变更" in announced.text and "负责人调整" in announced.text
    change_id = re.search(r'name="resolve-(\d+)"', announced.text)
    assert change_id
    form = {f"p_{k}": v for k, v in agency_body()["profile"].items() if k != "matters"}
    form["p_matters"] = "食品安全监督检查\n价格违法行为处罚"
    form.update({"_csrf_token": csrf, "p_head": "李局长", f"resolve-{change_id.group(1)}": "on"})
    saved = client.post(f"/console/agencies/{CODE}/profile", data=form, follow_redirects=True)
    assert "机关信息已保存" in saved.text and 'value="李局长"' in saved.text
    assert "待更新的变更" not in saved.text

    board = client.get("/console/deadlines")
    assert board.status_code == 200


def test_console_annual_report(client: Any, wf: Workflow, clock: Clock) -> None:
    client.put(f"/api/v1/agencies/{CODE}", json=agency_body(), headers=token(wf, "head"))
    clock.set("2027-01-05T10:00:00+08:00")
    csrf = _login(client, wf)
    board = client.get("/console/deadlines")
    assert "2026 年度行政执法统计年报尚未公开" in board.text
    page = client.get(f"/console/agencies/{CODE}/reports/2026")
    assert page.status_code == 200 and "尚未填报" in page.text
    form = {k: str(v) for k, v in FULL.items()}
    form["complaints_received"] = "-3"
    bad = client.post(f"/console/agencies/{CODE}/reports/2026/figures", data={**form, "_csrf_token": csrf})
    assert bad.status_code == 422 and "complaints_received" in bad.text and 'value="-3"' in bad.text
    form["complaints_received"] = "120"
    saved = client.post(
        f"/console/agencies/{CODE}/reports/2026/figures",
        data={**form, "_csrf_token": csrf},
        follow_redirects=True,
    )
    assert "草稿" in saved.text
    published = client.post(
        f"/console/agencies/{CODE}/reports/2026/publish", data={"_csrf_token": csrf}, follow_redirects=True
    )
    assert "年报已公开（第 1 版）" in published.text
    assert "2026 年度行政执法统计年报尚未公开" not in client.get("/console/deadlines").text


def test_console_reviewer_cannot_enter_report(client: Any, wf: Workflow, clock: Clock) -> None:
    client.put(f"/api/v1/agencies/{CODE}", json=agency_body(), headers=token(wf, "head"))
    clock.set("2027-01-05T10:00:00+08:00")
    csrf = _login(client, wf, role="reviewer")
    page = client.get(f"/console/agencies/{CODE}/reports/2026")
    assert "只有机关负责人或管理员可以填报年报" in page.text
    refused = client.post(
        f"/console/agencies/{CODE}/reports/2026/figures", data={"officers_on_duty": "3", "_csrf_token": csrf}
    )
    assert refused.status_code == 422 and "无权" in refused.text
