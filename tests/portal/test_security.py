"""Headers on every response, no inline script or style anywhere, the 长辈版 switch, safe redirects."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from gongshi.portal.ratelimit import Limit, TokenBucket
from tests.portal import rows

TEMPLATES = Path(__file__).resolve().parents[2] / "gongshi" / "templates" / "portal"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/disclosures/s000000000001",
        "/nope",
        "/static/portal.css",
        "/api/public/v1/disclosures?page=0",
        "/feed.atom",
    ],
)
def test_security_headers_on_every_response(wf: Any, portal: Any, path: str) -> None:
    rows.insert(wf, "s000000000001")
    headers = portal.get(path).headers
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_portal_templates_have_no_inline_scripts_or_styles() -> None:
    # Only our own templates: subfolders belong to the agency and request pages but must follow the same CSP.
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert "style=" not in text and "<style" not in text, template
        assert not re.search(r"\son[a-z]+=", text), template


def test_elder_switch_sets_a_cookie_and_goes_back(wf: Any, portal: Any) -> None:
    response = portal.get("/prefs/elder?on=1&next=/disclosures/abc?x=1", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/disclosures/abc?x=1"
    assert (
        "gs_elder=1" in response.headers["set-cookie"]
        and "Max-Age=31536000" in response.headers["set-cookie"]
    )
    page = portal.get("/")
    assert '<html lang="zh-CN" class="elder">' in page.text
    assert '<input type="hidden" name="on" value="0">' in page.text and "标准版" in page.text
    off = portal.post("/prefs/elder", data={"on": "0", "next": "/"}, follow_redirects=False)
    assert off.status_code == 303
    portal.cookies.delete("gs_elder")
    assert 'class="elder"' not in portal.get("/").text


def test_elder_switch_form_carries_the_current_page(wf: Any, portal: Any) -> None:
    html = portal.get("/?q=食品&kind=penalty").text
    assert '<form class="elder-switch" method="get" action="/prefs/elder">' in html
    assert 'name="next" value="/?q=%E9%A3%9F%E5%93%81&amp;kind=penalty"' in html


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]
)
def test_elder_switch_never_redirects_off_site(portal: Any, target: str) -> None:
    response = portal.get("/prefs/elder", params={"on": "1", "next": target}, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_token_bucket_refills_per_client() -> None:
    now = [0.0]
    bucket = TokenBucket(Limit(rate=1, burst=2), clock=lambda: now[0])
    assert bucket.take("a") == 0 and bucket.take("a") == 0
    assert bucket.take("a") == pytest.approx(1.0)
    assert bucket.take("b") == 0  # another client has its own bucket
    now[0] = 1.0
    assert bucket.take("a") == 0
    assert Limit.parse("5/30") == Limit(rate=5, burst=30)
    assert TokenBucket(Limit.parse("0")).take("a") == 0  # rate 0: off


def test_token_bucket_memory_is_bounded() -> None:
    bucket = TokenBucket(Limit(rate=1, burst=1), max_clients=10, clock=lambda: 0.0)
    for n in range(100):
        bucket.take(f"10.0.0.{n}")
    assert len(bucket._buckets) <= 10


@pytest.mark.parametrize("path", ["/", "/disclosures/h000000000001", "/feed.atom", "/sitemap.xml"])
def test_head_answers_like_get_without_a_body(wf: Any, portal: Any, path: str) -> None:
    rows.insert(wf, "h000000000001")
    response = portal.head(path)
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-type"] == portal.get(path).headers["content-type"]
