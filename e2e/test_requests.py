"""Parties and the public, in a real browser against the real servers: an access request filed on the
portal, checked by a reviewer and released by a head in the console, read on the portal with the
access code; a correction request accepted and the page then showing "更正于"."""

from __future__ import annotations

import re
import uuid
from typing import Any

from e2e.conftest import Servers

AGENCY = {"code": "11340100MB0000000X", "name": "合肥市市场监督管理局"}
PARTY_ID = "34010419900101128X"
PASSWORD = "e2e-password-5"


def _publish(servers: Servers, **overrides: Any) -> dict[str, Any]:
    suffix = uuid.uuid4().hex[:6]
    intake = {
        "source_id": f"E2E-REQ-{suffix}",
        "agency": AGENCY,
        "kind": "penalty",
        "document_number": f"合市监罚〔2026〕E{suffix}号",
        "title": "张建国行政处罚决定书",
        "decided_on": "2026-11-20",
        "party": {
            "kind": "natural_person",
            "name": "张建国",
            "id_type": "resident_id",
            "id_number": PARTY_ID,
            "address": "合肥市蜀山区长江西路100号",
            "phone": "13912345678",
        },
        "facts": "当事人张建国（住合肥市蜀山区长江西路100号，电话13912345678）在店内销售过期食品，"
        "证人王小明（身份证号340104198501011230）在场。",
        "legal_basis": "《中华人民共和国食品安全法》第一百二十四条",
        "result": "警告，并处罚款5000元。",
        "penalty": {"categories": ["warning", "fine"], "fine_yuan": "5000.00"},
        **overrides,
    }
    status, body = servers.api("POST", "/api/v1/decisions", intake)
    assert status in (200, 201), body
    decision_id = body["id"]
    servers.wait_until(
        lambda: servers.api("GET", f"/api/v1/decisions/{decision_id}")[1]["state"] == "in_review",
        what="redaction",
    )
    status, body = servers.api("POST", f"/api/v1/decisions/{decision_id}/approve", {"note": "e2e"})
    assert status == 200, body
    if body["state"] == "second_review":  # a natural person: another reviewer approves too
        second = servers.cli("token", "create", "--role", "reviewer", "--agency", AGENCY["code"]).split()[-1]
        status, body = servers.api(
            "POST", f"/api/v1/decisions/{decision_id}/approve", {"note": "复核"}, second
        )
        assert status == 200 and body["state"] == "approved", body
    servers.wait_until(
        lambda: servers.api("GET", f"/api/v1/decisions/{decision_id}")[1]["state"] == "published",
        what="publication",
    )
    record: dict[str, Any] = servers.api("GET", f"/api/v1/decisions/{decision_id}")[1]
    record["intake_sent"] = intake
    return record


def _staff(browser: Any, servers: Servers, username: str, role: str) -> Any:
    """A console page logged in as a new user of `role` in the test agency."""
    servers.cli(
        "user",
        "create",
        "--username",
        username,
        "--password",
        PASSWORD,
        "--role",
        role,
        "--agency",
        AGENCY["code"],
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    pg = context.new_page()
    pg.goto(servers.internal_url + "/console/login")
    pg.fill("input[name=username]", username)
    pg.fill("input[name=password]", PASSWORD)
    pg.click("button[type=submit]")
    pg.wait_for_url(lambda url: "/login" not in url)
    return pg


def test_access_request_filed_checked_released_and_read(
    page: Any, browser: Any, servers: Servers, screenshot: Any
) -> None:
    record = _publish(servers)
    document_number = record["document_number"]

    # The party files the request on the portal, without JavaScript.
    page.goto(servers.portal_url + "/requests/access")
    page.get_by_label("决定文号").fill(document_number)
    page.get_by_label("当事人姓名或单位名称").fill("张建国")
    page.get_by_label("身份证件号码或统一社会信用代码").fill(PARTY_ID.lower())
    page.get_by_label("联系方式（手机号码或电子邮箱）").fill("zhang@example.com")
    screenshot(page, "request-access-form")
    page.get_by_role("button", name="提交申请").click()
    page.get_by_role("heading", name="申请已收到").wait_for()
    tracking_no = page.locator("#tracking-no").inner_text().strip()
    assert re.fullmatch(r"GK\d{8}-[A-Z0-9]{8}", tracking_no)

    # A stranger with the tracking number but another ID number learns nothing.
    page.goto(servers.portal_url + f"/requests/{tracking_no}")
    page.get_by_label("申请时填写的证件号码").fill("340104198501011230")
    page.get_by_role("button", name="查询").click()
    assert "未找到该申请，或证件号码与申请不符" in page.locator("main").inner_text()

    # The reviewer checks it.
    reviewer = _staff(browser, servers, f"rev-{uuid.uuid4().hex[:6]}", "reviewer")
    reviewer.goto(servers.internal_url + "/console/requests")
    reviewer.get_by_role("link", name=tracking_no).click()
    assert document_number in reviewer.locator("main").inner_text()
    assert reviewer.get_by_role("button", name="批准提供").count() == 0  # only a head releases
    reviewer.get_by_label("核实意见（审核人员）").fill("已核对身份证件，与决定当事人一致")
    reviewer.get_by_role("button", name="核实通过，报负责人审批").click()
    reviewer.get_by_text("已核实，待负责人审批").first.wait_for()

    # The head releases it (记录办法 Art 20); the code to hand over appears once.
    head = _staff(browser, servers, f"head-{uuid.uuid4().hex[:6]}", "head")
    head.goto(servers.internal_url + f"/console/requests/{tracking_no}")
    head.get_by_label("负责人意见（记录办法第二十条）").fill("同意提供")
    head.get_by_role("button", name="批准提供").click()
    flash = head.locator(".flash").inner_text()
    code = re.search(r"访问码 ([A-Z0-9]{5}-[A-Z0-9]{5})", flash)
    assert code, flash
    screenshot(head, "request-access-console")
    # The outbox shows the message the party is sent, but never the code (issue 13): the head passes it on.
    head.goto(servers.internal_url + "/console/notifications")
    outbox = head.locator("main").inner_text()
    assert "已获批准" in outbox and "访问码由批准的负责人告知申请人" in outbox
    assert code.group(1) not in outbox

    # The party reads their record with the code: their own data in clear, the witness masked.
    page.goto(servers.portal_url + f"/requests/{tracking_no}")
    page.get_by_label("申请时填写的证件号码").fill(PARTY_ID)
    page.get_by_label("访问码").fill(code.group(1))
    page.get_by_role("button", name="查询").click()
    page.get_by_role("heading", name=re.compile("获准查阅的记录")).wait_for()
    text = page.locator("main").inner_text()
    screenshot(page, "request-access-granted")
    assert PARTY_ID in text and "13912345678" in text and "长江西路100号" in text
    assert "王小明" not in text and "340104198501011230" not in text
    # The read is on the request's record in the console.
    head.goto(servers.internal_url + f"/console/requests/{tracking_no}")
    assert "当事人查看" in head.locator(".audit").inner_text()


def test_correction_request_accepted_and_page_shows_corrected(
    page: Any, browser: Any, servers: Servers, screenshot: Any
) -> None:
    record = _publish(servers)
    public_id = record["public_id"]
    page.goto(servers.portal_url + f"/requests/correction?disclosure={public_id}")
    assert "张建国行政处罚决定书" in page.locator("main").inner_text()
    page.get_by_label("哪里有错误").fill("罚款金额应为3000元，页面写成了5000元。")
    page.get_by_label("联系方式（选填").fill("li@example.com")
    page.get_by_role("button", name="提交纠错").click()
    page.get_by_role("heading", name="申请已收到").wait_for()
    tracking_no = page.locator("#tracking-no").inner_text().strip()

    reviewer = _staff(browser, servers, f"rev-{uuid.uuid4().hex[:6]}", "reviewer")
    reviewer.goto(servers.internal_url + f"/console/requests/{tracking_no}")
    reviewer.get_by_role("button", name="确认有误，予以更正").click()
    reviewer.get_by_role("link", name="决定页面").first.click()
    reviewer.wait_for_url(re.compile(r"/console/decisions/\d+$"))
    # The 更正 form: labelled fields pre-filled from the current revision, then a preview.
    reviewer.get_by_label("处罚结果").fill("警告，并处罚款3000元。")
    reviewer.get_by_label("罚款金额（元）").fill("3000.00")
    reviewer.locator("#c-note").fill(f"依纠错申请 {tracking_no} 更正罚款金额")
    reviewer.get_by_role("button", name="预览更正").click()
    reviewer.get_by_role("button", name="确认发布更正").click()
    reviewer.get_by_text("已发布更正").first.wait_for()

    page.goto(servers.portal_url + f"/disclosures/{public_id}")
    main = page.locator("main").inner_text()
    assert "更正于" in main and "3000" in main
    screenshot(page, "correction-corrected")
    page.goto(servers.portal_url + f"/requests/{tracking_no}")
    assert "已更正" in page.locator("main").inner_text()
