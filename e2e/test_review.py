"""The reviewer corrects the redaction in Chromium (issue 11): masks a missed name, unmasks a place name
the engine took for a name, resolves the doubts, approves; the worker publishes; the masked name is on
no output (page, JSON twin, search, CSV, feed) and the place name is. The unmask and the kept doubts
send it to a second reviewer first, as the agency's default rule says."""

from __future__ import annotations

import time
import uuid
from typing import Any

from e2e.conftest import Servers
from e2e.test_requests import AGENCY, _staff

# The engine masks 王建国, 李四, the ID number and the village 王庄 (as a name); it misses 小明 and
# asks about 家庭住址 (tests/redaction/test_entities_edits.py uses the same text).
FACTS = (
    "经查，当事人雇员王建国于2026年3月在门店销售过期食品，证人王建国、李四称其身份证号码为"
    "110101199003077777。顾客小明在场。执法人员前往王庄调查。当事人称其已经将经营场所转让给他人经营，"
    "此后由本局继续调查处理，当事人告知其家庭住址后离开现场。"
)


def _submit(servers: Servers) -> tuple[int, str]:
    marker = uuid.uuid4().hex[:6]
    title = f"合肥审核演练{marker}食品有限公司行政处罚决定书"
    intake = {
        "source_id": f"E2E-REVIEW-{time.time_ns()}",
        "agency": AGENCY,
        "kind": "penalty",
        "document_number": f"合市监罚〔2026〕{int(marker, 16) % 9000 + 1000}号",
        "title": title,
        "decided_on": "2026-11-24",
        "party": {
            "kind": "legal_person",
            "name": f"合肥审核演练{marker}食品有限公司",
            "id_type": "uscc",
            "id_number": "91340100MA2N0000XF",
        },
        "facts": FACTS,
        "legal_basis": "《中华人民共和国食品安全法》第一百二十四条",
        "result": "警告，并处罚款5000元。",
        "penalty": {"categories": ["warning", "fine"], "fine_yuan": "5000.00"},
    }
    status, created = servers.api("POST", "/api/v1/decisions", intake)
    assert status == 201, created
    servers.wait_until(
        lambda: servers.api("GET", f"/api/v1/decisions/{created['id']}")[1]["state"] == "in_review",
        what="redaction",
    )
    return created["id"], marker


def _public_version(pg: Any) -> str:
    return str(pg.locator("section[aria-labelledby=pub-h]").inner_text())


def test_reviewer_masks_unmasks_resolves_and_the_name_is_nowhere(
    browser: Any, servers: Servers, screenshot: Any
) -> None:
    decision_id, marker = _submit(servers)
    pg = _staff(browser, servers, f"rev-{uuid.uuid4().hex[:6]}", "reviewer")
    pg.goto(f"{servers.internal_url}/console/decisions/{decision_id}")
    assert "王某2" in _public_version(pg) and "顾客小明在场" in _public_version(pg)
    screenshot(pg, "review-before")

    # Mask the name the engine missed.
    form = pg.locator("#mask-form")
    form.get_by_label("要遮蔽的文字").fill("小明")
    form.get_by_label("类别").select_option(label="自然人姓名")
    form.get_by_role("button", name="遮蔽").click()
    pg.get_by_text("已修改脱敏结果").wait_for()
    assert "顾客小某在场" in _public_version(pg)

    # Unmask the village, with a reason.
    row = pg.locator("#entities tr", has=pg.locator("td", has_text="王庄"))
    row.get_by_label("取消遮蔽的理由").first.fill("王庄是村名，不是人名")
    row.get_by_role("button", name="全部取消遮蔽").click()
    pg.get_by_text("已修改脱敏结果").wait_for()
    assert "前往王庄调查" in _public_version(pg)

    # Approval waits for the doubts; each is answered in place.
    assert pg.get_by_role("button", name="批准").is_disabled()
    while pg.locator("#original form.inline").count():
        pg.locator("#original form.inline").first.get_by_role("button", name="保留").click()
        pg.get_by_text("已修改脱敏结果").wait_for()
    screenshot(pg, "review-after")
    pg.get_by_role("button", name="批准").click()
    pg.get_by_text("初审已通过，须由另一名审核人复核后发布").wait_for()
    # An unmask and kept doubts: the agency's default rule asks another reviewer to approve it.
    second_review = pg.locator("#second-review").inner_text()
    assert "有审核人取消遮蔽" in second_review and "待核对事项经审核保留" in second_review
    assert pg.get_by_role("button", name="复核通过").is_disabled()
    screenshot(pg, "review-second-pending")
    other = _staff(browser, servers, f"rev2-{uuid.uuid4().hex[:6]}", "reviewer")
    other.goto(f"{servers.internal_url}/console?second=mine")
    other.get_by_role("link", name=f"合肥审核演练{marker}食品有限公司行政处罚决定书").click()
    other.get_by_role("button", name="复核通过").click()
    other.get_by_text("已批准，将按计划发布").wait_for()
    servers.wait_until(
        lambda: servers.api("GET", f"/api/v1/decisions/{decision_id}")[1]["state"] == "published",
        what="publication",
    )
    public_id = servers.api("GET", f"/api/v1/decisions/{decision_id}")[1]["public_id"]

    page = pg.request.get(f"{servers.portal_url}/disclosures/{public_id}").text()
    twin = pg.request.get(f"{servers.portal_url}/api/public/v1/disclosures/{public_id}").text()
    servers.wait_until(
        lambda: servers.portal_json(f"/api/public/v1/disclosures?q=审核演练{marker}")["total"] == 1,
        what="the decision to be searchable",
    )
    search = pg.request.get(f"{servers.portal_url}/api/public/v1/disclosures?q=审核演练{marker}").text()
    csv = pg.request.get(f"{servers.portal_url}/disclosures.csv?q=审核演练{marker}").text()
    feed = pg.request.get(f"{servers.portal_url}/feed.atom").text()
    assert public_id in page and public_id in twin and public_id in search and public_id in feed
    assert f"审核演练{marker}" in csv
    for where, text in {"page": page, "json": twin, "search": search, "csv": csv}.items():
        assert "小明" not in text, where
        assert "王庄" in text or where == "csv", where
    entry = feed.split(public_id)[1].split("</entry>")[0]
    assert "小明" not in entry
    found = servers.portal_json("/api/public/v1/disclosures?q=王庄")
    assert public_id in str(found)
    missing = servers.portal_json("/api/public/v1/disclosures?q=小明")
    assert public_id not in str(missing)
