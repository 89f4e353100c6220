"""The disclosure page and its JSON twin: the 公示 record, corrections, withdrawal notices, caching."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from gongshi.portal.labels import WITHDRAWAL_REASON
from tests.portal import rows


def test_page_shows_the_public_record_like_a_gongshi_notice(wf: Any, portal: Any) -> None:
    rows.insert(wf, "d000000000001")
    page = portal.get("/disclosures/d000000000001")
    assert page.status_code == 200
    html = page.text
    for label, value in [
        ("决定文书号", "合市监罚〔2026〕1号"),
        ("行政相对人", "合肥某某食品有限公司"),
        ("违法事实", "当事人经营超过保质期的食品。"),
        ("处罚依据", "《中华人民共和国食品安全法》第一百二十四条"),
        ("处罚内容", "警告，并处罚款5000元。"),
        ("决定日期", "2026-11-20"),
        ("公示截止期", "2027-11-20"),
    ]:
        assert f"<dt>{label}</dt>" in html and value in html
    assert "统一社会信用代码：91340100MA2N0000XF" in html
    assert '<dt>执法机关</dt><dd><a href="/agencies/11340100MB0000000X">合肥市市场监督管理局</a>' in html
    assert (
        '<link rel="alternate" type="application/json" href="/api/public/v1/disclosures/d000000000001">'
        in html
    )
    assert "更正于" not in html


def test_json_twin_has_the_same_record(wf: Any, portal: Any) -> None:
    rows.insert(wf, "d000000000001")
    data = portal.get("/api/public/v1/disclosures/d000000000001").json()
    assert data["id"] == "d000000000001" and data["status"] == "published"
    assert data["document_number"] == "合市监罚〔2026〕1号"
    assert data["agency"]["code"] == "11340100MB0000000X"
    assert data["party"]["name"] == "合肥某某食品有限公司"
    assert data["penalty"]["categories"] == ["warning", "fine"]
    assert data["decided_on"] == "2026-11-20" and data["expires_on"] == "2027-11-20"
    assert data["url"].endswith("/disclosures/d000000000001")


def test_corrected_disclosure_says_when(wf: Any, portal: Any) -> None:
    rows.insert(wf, "d000000000002", revision=2, corrected_at=datetime(2026, 11, 24, 3, 0, tzinfo=UTC))
    page = portal.get("/disclosures/d000000000002")
    assert '更正于 <time datetime="2026-11-24">2026-11-24</time>' in page.text
    assert portal.get("/api/public/v1/disclosures/d000000000002").json()["corrected_on"] == "2026-11-24"


def test_licensing_shows_the_licence_and_stays_while_valid(wf: Any, portal: Any) -> None:
    rows.insert(
        wf,
        "d000000000003",
        kind="licensing",
        penalty=None,
        license={
            "name": "食品经营许可证",
            "number": "JY13401000001",
            "valid_from": None,
            "valid_until": "2031-03-05",
        },
        expires_on=None,
    )
    html = portal.get("/disclosures/d000000000003").text
    assert "食品经营许可证（编号 JY13401000001）" in html and "至 2031-03-05" in html
    assert "许可有效期内持续公示" in html and "<dt>处罚内容</dt>" not in html


@pytest.mark.parametrize("reason", sorted(WITHDRAWAL_REASON))
def test_withdrawn_is_a_410_notice_with_the_reason(wf: Any, portal: Any, reason: str) -> None:
    rows.insert(wf, "n000000000001", decided_on="2026-10-01")
    rows.insert(
        wf,
        "w000000000001",
        status="withdrawn",
        withdrawn_at=datetime(2026, 11, 23, 16, 30, tzinfo=UTC),  # 2026-11-24 in Shanghai
        withdrawal_reason=reason,
        withdrawal_explanation="经行政复议，原决定认定事实不清。",
        superseded_by="n000000000001",
    )
    page = portal.get("/disclosures/w000000000001")
    assert page.status_code == 410
    html = page.text
    assert "该公示信息已撤下" in html
    assert '撤下日期：<time datetime="2026-11-24">2026-11-24</time>' in html
    assert WITHDRAWAL_REASON[reason] in html
    assert "经行政复议，原决定认定事实不清。" in html
    assert 'href="/disclosures/n000000000001"' in html
    # The notice names no party: after a credit repair that is the point of removing it.
    assert "合肥某某食品有限公司" not in html and "当事人经营超过保质期" not in html
    twin = portal.get("/api/public/v1/disclosures/w000000000001")
    assert twin.status_code == 410
    error = twin.json()["error"]
    assert error["code"] == "withdrawn" and error["reason"] == reason
    assert error["withdrawn_on"] == "2026-11-24" and error["superseded_by"]["id"] == "n000000000001"
    assert WITHDRAWAL_REASON[reason] in error["message"]


def test_expired_is_a_410_notice(wf: Any, portal: Any) -> None:
    rows.insert(wf, "e000000000001", status="expired", expires_on=date(2026, 11, 20))
    page = portal.get("/disclosures/e000000000001")
    assert page.status_code == 410
    assert "公示期已满" in page.text and "2026-11-20" in page.text
    assert "合肥某某食品有限公司" not in page.text
    assert portal.get("/api/public/v1/disclosures/e000000000001").status_code == 410


@pytest.mark.parametrize("public_id", ["nosuchid00001", "..%2F..%2Fetc", "a" * 40, "x y"])
def test_unknown_is_404(wf: Any, portal: Any, public_id: str) -> None:
    page = portal.get(f"/disclosures/{public_id}")
    assert page.status_code == 404 and "未找到" in page.text
    twin = portal.get(f"/api/public/v1/disclosures/{public_id}")
    assert twin.status_code == 404 and twin.json()["error"]["code"] == "not_found"


def test_etag_and_cache_control(wf: Any, portal: Any) -> None:
    rows.insert(wf, "c000000000001")
    first = portal.get("/disclosures/c000000000001")
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, no-cache"  # revalidate every time (issue 12)
    again = portal.get("/disclosures/c000000000001", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    assert portal.get("/disclosures/c000000000001", headers={"If-None-Match": '"other"'}).status_code == 200
    # 长辈版 renders different HTML, so it has its own validator.
    portal.cookies.set("gs_elder", "1")
    elder = portal.get("/disclosures/c000000000001", headers={"If-None-Match": tag})
    assert elder.status_code == 200 and elder.headers["etag"] != tag
    assert '<html lang="zh-CN" class="elder">' in elder.text
    json_tag = portal.get("/api/public/v1/disclosures/c000000000001").headers["etag"]
    assert (
        portal.get(
            "/api/public/v1/disclosures/c000000000001", headers={"If-None-Match": json_tag}
        ).status_code
        == 304
    )


def test_etag_changes_when_the_disclosure_changes(wf: Any, portal: Any) -> None:
    from sqlalchemy import update

    from gongshi.storage.models import Disclosure

    rows.insert(wf, "c000000000002")
    tag = portal.get("/disclosures/c000000000002").headers["etag"]
    with wf.db.write() as s:
        s.execute(
            update(Disclosure)
            .where(Disclosure.public_id == "c000000000002")
            .values(
                status="withdrawn", withdrawal_reason="error", updated_at=datetime(2026, 11, 26, tzinfo=UTC)
            )
        )
    changed = portal.get("/disclosures/c000000000002", headers={"If-None-Match": tag})
    assert changed.status_code == 410
