"""Keyboard shortcuts on the review page, in Chromium (issue 11): a progressive enhancement that presses
the page's own links and buttons. Keys typed into a field do nothing; without script the legend is not
offered and the page works as before."""

from __future__ import annotations

import re
import uuid
from typing import Any

from e2e.conftest import Servers
from e2e.test_requests import _staff
from e2e.test_review import _submit


def _doubts(servers: Servers, decision_id: int) -> list[dict[str, Any]]:
    status, record = servers.api("GET", f"/api/v1/decisions/{decision_id}")
    assert status == 200, record
    return list(record["doubts"])


def _press_on_page(pg: Any, key: str) -> None:
    """Press a key with the focus on the page itself, not in a field."""
    pg.evaluate("() => document.activeElement && document.activeElement.blur()")
    pg.keyboard.press(key)


def test_shortcuts_resolve_doubts_move_through_the_queue_and_approve(
    browser: Any, servers: Servers, screenshot: Any
) -> None:
    decision_id, _ = _submit(servers)
    _submit(servers)  # due the same day, later in the queue: this one has a next record
    assert _doubts(servers, decision_id), "the sample text gives the engine a doubt"
    pg = _staff(browser, servers, f"keys-{uuid.uuid4().hex[:6]}", "reviewer")
    url = f"{servers.internal_url}/console/decisions/{decision_id}"
    pg.goto(url)

    legend = pg.locator("#shortcuts")
    assert legend.is_visible() and legend.get_by_text("快捷键（按 ? 显示或隐藏）").is_visible()
    assert not legend.get_by_text("遮蔽当前待核对事项").is_visible()
    pg.keyboard.press("?")
    assert legend.get_by_text("遮蔽当前待核对事项").is_visible()
    screenshot(pg, "review-shortcuts")
    pg.keyboard.press("?")

    # Typed into a field, the keys are text: nothing is resolved, the page stays.
    note = pg.get_by_label("审核意见（可选）")
    note.press_sequentially("mk12a")
    assert note.input_value() == "mk12a" and pg.url == url
    assert all(q["status"] == "open" for q in _doubts(servers, decision_id))
    mask_text = pg.locator("#mask-form").get_by_label("要遮蔽的文字")
    mask_text.press_sequentially("nmp")
    assert mask_text.input_value() == "nmp" and pg.url == url

    # The current doubt is outlined; m masks it, 2 (or k) keeps the next one.
    first = _doubts(servers, decision_id)[0]["id"]
    assert pg.locator(f"#doubt-{first}.shortcut-current").count() == 1
    _press_on_page(pg, "m")
    pg.get_by_text("已修改脱敏结果").wait_for()
    assert _doubts(servers, decision_id)[0]["status"] == "masked"
    assert "已遮蔽" in pg.locator(f"#doubt-{first}").inner_text()
    keys = iter(["2", "k"] * 10)
    while any(q["status"] == "open" for q in _doubts(servers, decision_id)):
        _press_on_page(pg, next(keys))
        pg.get_by_text("已修改脱敏结果").wait_for()
    assert {q["status"] for q in _doubts(servers, decision_id)[1:]} <= {"kept"}
    _press_on_page(pg, "m")
    pg.get_by_text("没有待处理的核对事项").wait_for()

    # n and p follow the queue's own next/previous links.
    following = pg.locator("a[rel=next]").get_attribute("href")
    assert following, "the second record follows this one"
    _press_on_page(pg, "n")
    pg.wait_for_url(re.compile(re.escape(following) + "$"))
    back = pg.locator("a[rel=prev]").get_attribute("href")
    assert back
    _press_on_page(pg, "p")
    pg.wait_for_url(re.compile(re.escape(back) + "$"))
    pg.goto(url)

    # a brings the approve button into focus; Enter approves.
    _press_on_page(pg, "a")
    assert pg.evaluate("() => document.activeElement.closest('#approve-form') !== null")
    pg.keyboard.press("Enter")
    pg.get_by_text("已批准，将按计划发布").wait_for()
    # The worker may publish it at once (its publication day has come).
    assert servers.api("GET", f"/api/v1/decisions/{decision_id}")[1]["state"] in ("approved", "published")


def test_without_script_the_legend_is_not_offered_and_the_buttons_work(
    browser: Any, servers: Servers
) -> None:
    decision_id, _ = _submit(servers)
    pg = _staff(browser, servers, f"nojs-{uuid.uuid4().hex[:6]}", "reviewer")
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    context.add_cookies(pg.context.cookies())
    nojs = context.new_page()
    nojs.goto(f"{servers.internal_url}/console/decisions/{decision_id}")
    assert not nojs.locator("#shortcuts").is_visible()
    nojs.keyboard.press("k")
    assert all(q["status"] == "open" for q in _doubts(servers, decision_id))
    nojs.locator("#doubts form").first.get_by_role("button", name="保留").click()
    nojs.get_by_text("已修改脱敏结果").wait_for()
    assert _doubts(servers, decision_id)[0]["status"] == "kept"
    context.close()
