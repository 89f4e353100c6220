"""What a citizen meets in the first hour: the correction link, caches, 更正中, 文号 search, the footer."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.testing import TestClient

from gongshi.domain import docnumbers
from gongshi.portal.app import create_app
from gongshi.settings import Settings, SiteInfo
from tests.portal import rows
from tests.portal.conftest import NO_LIMITS, body


def _form_values(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', html))


def test_detail_page_shows_the_public_id_and_its_correction_link_fills_the_form(wf: Any, portal: Any) -> None:
    rows.insert(wf, "d000000000001")
    page = portal.get("/disclosures/d000000000001").text
    assert "<dt>公示编号</dt><dd><code>d000000000001</code></dd>" in page
    link = re.search(r'href="(/requests/correction\?[^"]+)">信息有误？申请纠错', page)
    assert link, "the detail page links to the correction form"
    form = portal.get(link.group(1).replace("&amp;", "&"))
    assert form.status_code == 200
    # The form knows its target: the required field is filled in, not left for the citizen to find.
    assert _form_values(form.text).get("disclosure_id") == "d000000000001"
    assert "纠错对象" in form.text and "合市监罚〔2026〕1号" in form.text


def test_old_correction_links_still_work(wf: Any, portal: Any) -> None:
    rows.insert(wf, "d000000000001")
    form = portal.get("/requests/correction?disclosure_id=d000000000001")
    assert _form_values(form.text).get("disclosure_id") == "d000000000001"


@pytest.mark.parametrize(
    "reference",
    [
        "d000000000001",
        "http://127.0.0.1:8000/disclosures/d000000000001",
        "https://gongshi.example.gov.cn/disclosures/d000000000001?from=feed",
        "合市监罚〔2026〕1号",
        "合市监罚(2026)1号",
        "合市监罚（2026）1号",
        "合市监罚[２０２６]1号",
        "合市监罚【2026】1号",
    ],
)
def test_a_correction_can_name_the_disclosure_by_id_url_or_document_number(
    wf: Any, portal: Any, reference: str
) -> None:
    rows.insert(wf, "d000000000001")
    resp = portal.post(
        "/api/public/v1/requests/correction",
        json={"disclosure_id": reference, "description": "罚款金额有误，应为3000元。"},
    )
    assert resp.status_code == 202, resp.text
    status = portal.get(f"/api/public/v1/requests/{resp.json()['tracking_no']}").json()
    assert status["disclosure_id"] == "d000000000001"


def test_an_unknown_reference_says_what_to_type(wf: Any, portal: Any) -> None:
    resp = portal.post(
        "/api/public/v1/requests/correction",
        json={"disclosure_id": "合市监罚〔2026〕999号", "description": "罚款金额有误。"},
    )
    assert resp.status_code == 404
    assert resp.json()["error"]["field"] == "disclosure_id"
    assert "决定文书号" in resp.json()["error"]["message"]


def test_document_number_variants() -> None:
    assert docnumbers.variants("合市监罚(２０２６)12号")[0] == "合市监罚〔2026〕12号"
    assert "合市监罚【2026】12号" in docnumbers.variants("合市监罚〔2026〕12号")
    assert docnumbers.variants("  ") == []
    assert docnumbers.variants("无年份的编号") == ["无年份的编号"]


def test_detail_pages_revalidate_every_time(wf: Any, portal: Any) -> None:
    rows.insert(wf, "d000000000001")
    for path in ("/disclosures/d000000000001", "/api/public/v1/disclosures/d000000000001"):
        cache = portal.get(path).headers["cache-control"]
        assert "no-cache" in cache and "max-age" not in cache, cache


def test_a_browser_that_had_the_page_sees_the_withdrawal(wf: Any, portal: Any, publisher: Any) -> None:
    (public_id,) = publisher.publish(body(1))
    first = portal.get(f"/disclosures/{public_id}")
    assert first.status_code == 200
    publisher.withdraw(public_id)
    again = portal.get(f"/disclosures/{public_id}", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 410
    assert body(1)["facts"] not in again.text and body(1)["title"] not in again.text


def test_an_accepted_correction_shows_as_in_progress(wf: Any, portal: Any, client: Any) -> None:
    from tests.factories import token

    rows.insert(wf, "d000000000001")
    tag = portal.get("/disclosures/d000000000001").headers["etag"]
    filed = portal.post(
        "/api/public/v1/requests/correction",
        json={"disclosure_id": "d000000000001", "description": "罚款金额有误，应为3000元。"},
    ).json()
    reviewer = token(wf, "reviewer")
    listed = client.get("/api/v1/requests/corrections", headers=reviewer).json()
    rid = next(r["id"] for r in listed if r["tracking_no"] == filed["tracking_no"])
    assert "更正中" not in portal.get("/disclosures/d000000000001").text
    accepted = client.post(
        f"/api/v1/requests/corrections/{rid}/accept", json={"note": "属实"}, headers=reviewer
    )
    assert accepted.status_code == 200, accepted.text
    # A browser revalidating with the old validator gets the new page, not a 304.
    page = portal.get("/disclosures/d000000000001", headers={"If-None-Match": tag})
    assert page.status_code == 200 and "更正中" in page.text
    assert portal.get("/api/public/v1/disclosures/d000000000001").json()["correction_in_progress"] is True


@pytest.mark.parametrize(
    "typed", ["〔2026〕7号", "（2026）7号", "(2026)7号", "[2026]7号", "【2026】7号", "［2026］7号"]
)
def test_search_finds_a_document_number_typed_with_any_bracket(
    wf: Any, portal: Any, publisher: Any, typed: str
) -> None:
    (public_id,) = publisher.publish(body(7))
    found = portal.get("/api/public/v1/disclosures", params={"q": "合市监罚" + typed}).json()
    assert [item["id"] for item in found["items"]] == [public_id], typed


@pytest.mark.parametrize(
    ("id_number", "hint"),
    [
        ("12345", "位数"),
        ("340104199001011230", "身份证号码有误"),  # wrong check digit (…123X is right)
        ("340104199013011234", "身份证号码有误"),  # month 13
        ("91340100MA2N0000X2", "统一社会信用代码有误"),
    ],
)
def test_access_form_says_which_identifier_is_wrong(portal: Any, id_number: str, hint: str) -> None:
    resp = portal.post(
        "/api/public/v1/requests/access",
        json={
            "document_number": "合市监罚〔2026〕1号",
            "name": "张建国",
            "id_number": id_number,
            "contact": "13912345678",
        },
    )
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["field"] == "id_number" and hint in error["message"], error


@pytest.mark.parametrize(
    "id_number", ["34010419900101128X", "91340100MA2N0000XF", "E12345678", "340104900101123"]
)
def test_access_form_takes_valid_identifiers(portal: Any, id_number: str) -> None:
    resp = portal.post(
        "/api/public/v1/requests/access",
        json={
            "document_number": "合市监罚〔2026〕1号",
            "name": "张建国",
            "id_number": id_number,
            "contact": "13912345678",
        },
    )
    assert resp.status_code == 202, resp.text


def test_csv_names_its_charset_once(wf: Any, portal: Any) -> None:
    rows.insert(wf, "d000000000001")
    assert portal.get("/disclosures.csv").headers["content-type"] == "text/csv; charset=utf-8"


def test_favicon(portal: Any) -> None:
    assert '<link rel="icon" href="/static/favicon.svg"' in portal.get("/").text
    assert portal.get("/static/favicon.svg").status_code == 200
    assert portal.get("/favicon.ico", follow_redirects=False).headers["location"] == "/static/favicon.svg"


def test_footer_shows_the_site_identification_on_every_page(settings: Settings, wf: Any) -> None:
    import msgspec

    site = SiteInfo(
        sponsor="合肥市司法局",
        contact="0551-12345678",
        site_code="3401000001",
        icp="皖ICP备12345678号",
        psb="皖公网安备34010002000001号",
    )
    configured = msgspec.structs.replace(settings, site=site)
    rows.insert(wf, "d000000000001")
    with TestClient(create_app(configured, wf, rate_limits=NO_LIMITS)) as portal:
        for path in ("/", "/disclosures/d000000000001", "/agencies", "/stats", "/requests/access", "/api"):
            html = portal.get(path).text
            for text in ("主办单位：合肥市司法局", "联系方式：0551-12345678", "网站标识码：3401000001"):
                assert text in html, (path, text)
            assert '<a href="https://beian.miit.gov.cn/">皖ICP备12345678号</a>' in html
            assert "code=34010002000001" in html


def test_footer_without_configuration_shows_no_empty_labels(portal: Any) -> None:
    html = portal.get("/").text
    assert "主办单位：<" not in html and "网站标识码：<" not in html
