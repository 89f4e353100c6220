"""The portal over the real workflow: approve → worker → searchable; withdraw → gone everywhere at once."""

from __future__ import annotations

from typing import Any

from tests.portal.conftest import Publisher, body


def search_ids(portal: Any, query: str = "") -> list[str]:
    return [i["id"] for i in portal.get("/api/public/v1/disclosures" + query).json()["items"]]


def test_published_decision_is_searchable_and_readable(publisher: Publisher, portal: Any) -> None:
    first, second = publisher.publish(body(1), body(2, title="芜湖某某餐饮有限公司行政处罚决定书"))
    assert set(search_ids(portal)) == {first, second}
    assert search_ids(portal, "?q=芜湖某某餐饮") == [second]
    page = portal.get(f"/disclosures/{first}")
    assert page.status_code == 200 and "合市监罚〔2026〕1号" in page.text
    # The leak-gated public record, never the intake: the legal representative is a registration fact,
    # the party's own identifiers are those of an organisation.
    assert "李某某" in page.text


def test_withdrawal_leaves_search_feeds_sitemap_and_exports(publisher: Publisher, portal: Any) -> None:
    old, new = publisher.publish(body(1), body(2, title="重新作出的行政处罚决定书"))
    publisher.withdraw(
        old, reason="redo_ordered", superseded_by=new, explanation="复议机关责令重新作出决定。"
    )
    notice = portal.get(f"/disclosures/{old}")
    assert notice.status_code == 410
    assert "已被责令重新作出" in notice.text and "复议机关责令重新作出决定。" in notice.text
    assert f'href="/disclosures/{new}"' in notice.text
    assert search_ids(portal) == [new]
    assert search_ids(portal, "?q=合肥某某食品") == [new]
    assert old not in portal.get("/disclosures.csv").text
    assert old not in portal.get("/feed.atom").text
    assert old not in portal.get("/sitemap.xml").text


def test_correction_shows_the_current_text_and_date(publisher: Publisher, portal: Any, wf: Any) -> None:
    import json

    from gongshi.domain.intake import decode_intake
    from gongshi.publication import review
    from tests.portal.conftest import ADMIN

    (public_id,) = publisher.publish(body(1))
    corrected = body(
        1,
        result="警告，并处罚款3000元。",
        penalty={"categories": ["warning", "fine"], "fine_yuan": "3000.00"},
    )
    with wf.db.write() as s:
        review.correct(
            wf,
            s,
            ADMIN,
            publisher.decision_id(public_id),
            review.CorrectionBody(intake=decode_intake(json.dumps(corrected)), note="罚款金额录入错误"),
        )
    publisher.work()
    page = portal.get(f"/disclosures/{public_id}")
    assert "处罚款3000元" in page.text and "处罚款5000元" not in page.text
    assert "更正于" in page.text
    assert search_ids(portal, "?q=3000元") == [public_id]
