"""Accessibility, measured: axe-core (shipped by axe-playwright-python) over every portal page and the
console's main pages, at desktop and phone widths, normal and 长辈版; 0 violations of the WCAG 2.1 A and
AA rules (what GB/T 37668-2019 level 2 asks for). Plus visible keyboard focus and a complete tab order.

One browser context per width/mode visits all pages, so the whole module stays a few tens of seconds.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from e2e.conftest import Servers

# WCAG 2.1 A/AA, and axe's best practices (unique landmarks, one main, headings in order…).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
A11Y_ADMIN, A11Y_PASSWORD = "a11y-admin", "a11y-password-5"

IMPORT_CSV = "行政相对人名称,行政处罚决定书文号,处罚决定日期\n合肥无障碍检查有限公司,,2026-11-02\n"
# An ID number with a correct check character and one with a wrong one (GB 11643).
GOOD_ID, BAD_ID = "34010419900101128X", "340104199001011281"


RUN_AXE = """async ([tags, rules]) => {
  const options = {runOnly: {type: "tag", values: tags}, rules, resultTypes: ["violations"]};
  return (await axe.run(document, options)).violations;
}"""


def axe_violations(pg: Any, enhanced_contrast: bool = False) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page (axe is injected by the context's init script).

    With `enhanced_contrast` (长辈版) also WCAG's AAA contrast rule: 7:1, and 4.5:1 for large text, so
    that every text in the large mode meets the 适老化 rules' 4.5:1 whatever its size.
    """
    rules = {"color-contrast-enhanced": {"enabled": True}} if enhanced_contrast else {}
    return list(pg.evaluate(RUN_AXE, [WCAG_TAGS, rules]))


def describe(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [url]
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:4]:
            lines.append(
                f"    {' '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1]}"
            )
    return "\n".join(lines)


def _post_json(url: str, body: Any) -> Any:
    request = urllib.request.Request(
        url, method="POST", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@dataclass
class Targets:
    """Paths of real pages with data behind them, found once per module."""

    detail: str
    withdrawn: str
    agency: str
    report: str
    decision_console: str
    case_console: str
    access_tracking: str
    correction_tracking: str
    disclosure_id: str
    document_number: str
    agency_code: str


@pytest.fixture(scope="module")
def targets(servers: Servers) -> Targets:
    first = servers.portal_json("/api/public/v1/disclosures?q=公司&per_page=1")["items"][0]
    status, withdrawn = servers.api("GET", "/api/v1/decisions?state=withdrawn&limit=1")
    assert status == 200 and withdrawn["items"], withdrawn
    directory = servers.portal_json("/api/public/v1/agencies")["items"]
    with_report = next(
        a
        for a in (servers.portal_json(f"/api/public/v1/agencies/{i['code']}") for i in directory[:400])
        if a["report_years"]
    )
    status, decisions = servers.api("GET", "/api/v1/decisions?limit=1")
    assert status == 200 and decisions["items"], decisions
    status, cases = servers.api("GET", "/api/v1/cases?limit=1")
    assert status == 200 and cases["items"], cases
    access = _post_json(
        servers.portal_url + "/api/public/v1/requests/access",
        {
            "document_number": first["document_number"],
            "name": "张建国",
            "id_number": GOOD_ID,
            "contact": "a11y@example.com",
        },
    )
    correction = _post_json(
        servers.portal_url + "/api/public/v1/requests/correction",
        {"disclosure_id": first["id"], "description": "无障碍检查：罚款金额有误。"},
    )
    servers.cli("user", "create", "--username", A11Y_ADMIN, "--password", A11Y_PASSWORD, "--role", "admin")
    _term_lists(servers, with_report["code"])
    return Targets(
        detail=f"/disclosures/{first['id']}",
        withdrawn=f"/disclosures/{withdrawn['items'][0]['public_id']}",
        agency=f"/agencies/{with_report['code']}",
        report=f"/agencies/{with_report['code']}/reports/{with_report['report_years'][0]}",
        decision_console=f"/console/decisions/{decisions['items'][0]['id']}",
        case_console=f"/console/cases/{cases['items'][0]['id']}",
        access_tracking=access["tracking_no"],
        correction_tracking=correction["tracking_no"],
        disclosure_id=first["id"],
        document_number=first["document_number"],
        agency_code=with_report["code"],
    )


def _term_lists(servers: Servers, code: str) -> None:
    """The agency's term lists hold an entry in force and one waiting, so the page shows both forms."""
    terms = f"/api/v1/agencies/{code}/terms"
    status, kept = servers.api("POST", terms, {"term": "无障碍村", "kind": "never", "note": "村名"})
    assert status in (200, 201), kept
    status, masked = servers.api("POST", terms, {"term": "欧阳无障碍", "kind": "always", "category": "name"})
    assert status in (200, 201), masked
    if kept["status"] == "proposed":
        status, done = servers.api("POST", f"{terms}/{kept['id']}/decision", {"accept": True, "note": "村名"})
        assert status == 200, done


Step = Callable[[Any], None]


def _submit_access(pg: Any, targets: Targets, id_number: str) -> None:
    pg.get_by_label("决定文号").fill(targets.document_number)
    pg.get_by_label("当事人姓名或单位名称").fill("张建国")
    pg.get_by_label("身份证件号码或统一社会信用代码").fill(id_number)
    pg.get_by_label("联系方式（手机号码或电子邮箱）").fill("a11y@example.com")
    pg.get_by_role("button", name="提交申请").click()
    pg.wait_for_load_state()


def portal_pages(t: Targets) -> list[tuple[str, str, Step | None]]:
    """(name, path, what to do on the page before checking it)."""

    def received_access(pg: Any) -> None:
        _submit_access(pg, t, GOOD_ID)
        pg.get_by_role("heading", name="申请已收到").wait_for()

    def access_error(pg: Any) -> None:
        _submit_access(pg, t, BAD_ID)
        pg.locator("#form-error").wait_for()

    def received_correction(pg: Any) -> None:
        pg.get_by_label("哪里有错误").fill("无障碍检查：决定日期有误。")
        pg.get_by_role("button", name="提交纠错").click()
        pg.get_by_role("heading", name="申请已收到").wait_for()

    def access_status(pg: Any) -> None:
        pg.get_by_label("申请时填写的证件号码").fill(GOOD_ID)
        pg.get_by_role("button", name="查询").click()
        pg.wait_for_load_state()

    return [
        ("search", "/?q=公司", None),
        ("search-empty", "/?q=无此内容的检索词zzz", None),
        ("search-filtered", "/?q=公司&kind=penalty&sort=newest", None),
        ("detail", t.detail, None),
        ("withdrawn", t.withdrawn, None),
        ("not-found", "/disclosures/nosuchdisclosure", None),
        ("agencies", "/agencies", None),
        ("agency", t.agency, None),
        ("stats", "/stats", None),
        ("report", t.report, None),
        ("access-form", "/requests/access", None),
        ("access-error", "/requests/access", access_error),
        ("access-received", "/requests/access", received_access),
        ("access-status", f"/requests/{t.access_tracking}", None),
        ("access-status-result", f"/requests/{t.access_tracking}", access_status),
        ("correction-form", "/requests/correction", None),
        ("correction-received", f"/requests/correction?disclosure={t.disclosure_id}", received_correction),
        ("correction-status", f"/requests/{t.correction_tracking}", None),
        ("api", "/api", None),
    ]


def console_pages(t: Targets) -> list[tuple[str, str]]:
    return [
        ("queue", "/console"),
        ("decision", t.decision_console),
        ("deadlines", "/console/deadlines"),
        ("cases", "/console/cases"),
        ("case", t.case_console),
        ("cases-report", "/console/cases/report"),
        ("requests", "/console/requests"),
        ("request", f"/console/requests/{t.access_tracking}"),
        ("correction-request", f"/console/requests/{t.correction_tracking}"),
        ("notifications", "/console/notifications"),
        ("agencies", "/console/agencies"),
        ("agency", "/console" + t.agency),
        ("report", "/console" + t.report),
        ("agency-terms", f"/console/agencies/{t.agency_code}/terms"),
        ("exports", "/console/exports"),
        ("exports-check", f"/console/exports?agency={t.agency_code}&check=1"),
        ("imports", "/console/imports"),
        ("documents", "/console/documents"),
    ]


def _context(browser: Any, viewport: dict[str, int], url: str | None = None, elder: bool = False) -> Any:
    phone = viewport["width"] < 760
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone, locale="zh-CN")
    context.set_default_timeout(15_000)
    context.add_init_script(script=AXE_SCRIPT)
    if elder and url:
        context.add_cookies([{"name": "gs_elder", "value": "1", "url": url}])
    return context


@pytest.fixture
def make_context(browser: Any) -> Iterator[Callable[..., Any]]:
    made: list[Any] = []

    def make(viewport: dict[str, int], url: str | None = None, elder: bool = False) -> Any:
        made.append(_context(browser, viewport, url, elder))
        return made[-1]

    yield make
    for context in made:
        context.close()


VARIANTS = [
    pytest.param(DESKTOP, False, id="desktop"),
    pytest.param(PHONE, False, id="phone"),
    pytest.param(DESKTOP, True, id="desktop-elder"),
    pytest.param(PHONE, True, id="phone-elder"),
]


@pytest.mark.parametrize(("viewport", "elder"), VARIANTS)
def test_portal_pages_have_no_wcag_violations(
    make_context: Callable[..., Any],
    servers: Servers,
    targets: Targets,
    viewport: dict[str, int],
    elder: bool,
) -> None:
    pg = make_context(viewport, servers.portal_url, elder).new_page()
    failures = []
    for name, path, step in portal_pages(targets):
        pg.goto(servers.portal_url + path)
        if step:
            step(pg)
        assert pg.locator("html.elder").count() == int(elder), name
        if violations := axe_violations(pg):
            failures.append(describe(f"{name} {pg.url}", violations))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("viewport", [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def test_console_pages_have_no_wcag_violations(
    make_context: Callable[..., Any], servers: Servers, targets: Targets, viewport: dict[str, int]
) -> None:
    pg = make_context(viewport).new_page()
    failures = []
    pg.goto(servers.internal_url + "/console/login")
    if violations := axe_violations(pg):
        failures.append(describe("login", violations))
    pg.get_by_label("用户名").fill(A11Y_ADMIN)
    pg.get_by_label("密码").fill(A11Y_PASSWORD)
    pg.get_by_role("button", name="登录").click()
    pg.wait_for_url(lambda url: "/login" not in url)
    for name, path in console_pages(targets):
        response = pg.goto(servers.internal_url + path)
        assert response is not None and response.status == 200, (name, path, response and response.status)
        if violations := axe_violations(pg):
            failures.append(describe(f"{name} {pg.url}", violations))
    # A 双公示 import with a row in error: its progress page lists the problems.
    pg.goto(servers.internal_url + "/console/imports")
    pg.set_input_files(
        "input[name=file]",
        files=[{"name": "a11y.csv", "mimeType": "text/csv", "buffer": IMPORT_CSV.encode("utf-8-sig")}],
    )
    pg.locator("input[name=agency]").fill(targets.agency_code)
    pg.get_by_role("button", name="上传并导入").click()
    pg.wait_for_url(re.compile(r"/console/imports/\d+$"))
    pg.get_by_text(re.compile("^(已完成|失败)$")).wait_for(timeout=60_000)
    if violations := axe_violations(pg):
        failures.append(describe(f"import-progress {pg.url}", violations))
    assert not failures, "\n".join(failures)


# --- Keyboard: every control reachable with Tab, in DOM order, with a visible focus indicator ----------

TAB_STOPS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]';
  const stops = [], radios = new Set();
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled || el.tabIndex < 0 || !el.checkVisibility({visibilityProperty: true})) continue;
    let stop = el;
    if (el.type === 'radio') {  // a radio group is one stop: its checked radio, else its first
      if (radios.has(el.name)) continue;
      radios.add(el.name);
      const group = [...el.form.querySelectorAll('input[type=radio]')].filter(r => r.name === el.name);
      stop = group.find(r => r.checked) || group[0];
    }
    stop.dataset.tabStop = String(stops.length);
    stops.push(stop.outerHTML.slice(0, 80));
  }
  return stops;
}"""

FOCUSED = """() => {
  const rgb = (c) => (c && c.match(/[\\d.]+/g) || [0, 0, 0]).slice(0, 4).map(Number);
  const luminance = (c) => {
    const linear = (v) => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    const [r, g, b] = rgb(c).map(v => linear(v / 255));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    if (!a || rgb(a)[3] === 0) return 1;
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const shadowColor = (shadow) => shadow === 'none' ? null : (shadow.match(/rgba?\\([^)]*\\)/) || [null])[0];
  const around = (el) => {
    for (let up = el.parentElement; up; up = up.parentElement) {
      const bg = getComputedStyle(up).backgroundColor;
      if (rgb(bg).length < 4 || rgb(bg)[3] !== 0) return bg;
    }
    return 'rgb(255, 255, 255)';
  };
  const el = document.activeElement, style = getComputedStyle(el);
  return {
    stop: el.dataset.tabStop ?? null,
    html: el.outerHTML.slice(0, 80),
    focusVisible: el.matches(':focus-visible'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    shadow: style.boxShadow !== 'none',
    // WCAG 1.4.11: the indicator (outline or shadow colour) stands out 3:1 from what is around it.
    contrast: Math.max(
      contrast(style.outlineColor, around(el)), contrast(shadowColor(style.boxShadow), around(el))),
  };
}"""


def walk_with_tab(pg: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """The expected tab stops (DOM order) and what Tab actually focused, one entry per control."""
    stops = pg.evaluate(TAB_STOPS)
    # Start from the top of the page, whatever has focus (the console's login box has autofocus).
    pg.evaluate("""() => {
      const start = document.createElement('span');
      start.tabIndex = -1;
      document.body.prepend(start);
      start.focus();
    }""")
    focused: list[dict[str, Any]] = []
    # A date input has several fields (year, month, day), each one Tab: walk until past the last stop.
    for _ in range(len(stops) * 4):
        pg.keyboard.press("Tab")
        now = pg.evaluate(FOCUSED)
        if now["stop"] is None:
            break
        if not focused or focused[-1]["stop"] != now["stop"]:
            focused.append(now)
        if now["stop"] == str(len(stops) - 1):
            break
    return stops, focused


def assert_keyboard_complete(pg: Any, name: str) -> None:
    stops, focused = walk_with_tab(pg)
    assert len(stops) > 5, (name, stops)
    order = [int(f["stop"]) for f in focused]
    missed = [stops[i] for i in range(len(stops)) if i not in order]
    assert order == list(range(len(stops))), f"{name}: tab order {order}; never reached: {missed}"
    invisible = [
        f"{f['html']} (contrast {f['contrast']:.1f})"
        for f in focused
        if not (f["focusVisible"] and (f["outline"] or f["shadow"]) and f["contrast"] >= 3)
    ]
    assert not invisible, f"{name}: focus not visible on {invisible}"


@pytest.mark.parametrize(("viewport", "elder"), VARIANTS)
def test_tab_reaches_every_control_in_order_with_visible_focus(
    make_context: Callable[..., Any],
    servers: Servers,
    targets: Targets,
    viewport: dict[str, int],
    elder: bool,
) -> None:
    pg = make_context(viewport, servers.portal_url, elder).new_page()
    pg.goto(servers.portal_url + "/?q=公司&kind=penalty")
    if elder:  # the filters wait behind their disclosure; opened, every filter is on the tab path too
        assert pg.locator("#filters").get_attribute("open") is None
        assert_keyboard_complete(pg, "search (filters closed)")
        pg.locator("#filters summary").click()
    assert_keyboard_complete(pg, "search")
    for path in (
        "/requests/access",
        "/requests/correction",
        f"/requests/correction?disclosure={targets.disclosure_id}",
    ):
        pg.goto(servers.portal_url + path)
        assert_keyboard_complete(pg, path)


def test_console_login_by_keyboard(make_context: Callable[..., Any], servers: Servers) -> None:
    pg = make_context(DESKTOP).new_page()
    pg.goto(servers.internal_url + "/console/login")
    stops, focused = walk_with_tab(pg)
    assert [int(f["stop"]) for f in focused] == list(range(len(stops)))
    assert all(f["focusVisible"] and (f["outline"] or f["shadow"]) and f["contrast"] >= 3 for f in focused), (
        focused
    )


# --- 长辈版 to the 适老化 numbers (工信部《互联网网站适老化通用设计规范》) -------------------------------

TEXT_SIZES = """() => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.data.trim() || el.closest('.visually-hidden')) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const style = getComputedStyle(el), size = parseFloat(style.fontSize);
    const spacing = style.lineHeight === 'normal' ? 0 : parseFloat(style.lineHeight) / size;
    const text = node.data.trim().slice(0, 20);
    if (size < 18 || spacing < 1.3) small.push(`${el.tagName} “${text}” ${size}px × ${spacing.toFixed(2)}`);
  }
  return small;
}"""

SMALL_TARGETS = """() => {
  const small = [];
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  for (const el of document.querySelectorAll(controls)) {
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    // A checkbox or radio is operated through its label: the label is the target.
    const target = (el.type === 'checkbox' || el.type === 'radio') ? (el.closest('label') || el) : el;
    const box = target.getBoundingClientRect();
    const size = `${Math.round(box.width)}×${Math.round(box.height)}`;
    if (box.width < 60 || box.height < 60) small.push(`${size} ${el.outerHTML.slice(0, 70)}`);
  }
  return small;
}"""

SEARCH_BOX = """() => {
  const input = document.querySelector('#q'), button = document.querySelector('.searchbox button');
  const style = getComputedStyle(input), ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const range = document.createRange();
  range.selectNodeContents(button);
  const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
  const placeholder = ctx.measureText(input.placeholder).width;
  return {placeholder, room, buttonLines: lines, buttonText: button.innerText};
}"""


@pytest.mark.parametrize("elder", [pytest.param(False, id="normal"), pytest.param(True, id="elder")])
def test_search_box_on_a_phone_never_wraps_or_cuts(
    make_context: Callable[..., Any], servers: Servers, elder: bool
) -> None:
    pg = make_context(PHONE, servers.portal_url, elder).new_page()
    pg.goto(servers.portal_url + "/")
    box = pg.evaluate(SEARCH_BOX)
    assert box["buttonText"] == "检索" and box["buttonLines"] == 1, box  # never 检/索
    assert box["placeholder"] <= box["room"], box  # the whole placeholder shows, no glyph cut in half
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_elder_mode_meets_the_ageing_friendly_numbers(
    make_context: Callable[..., Any], servers: Servers, targets: Targets
) -> None:
    context = make_context(PHONE, servers.portal_url, True)
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.on("popup", lambda p: dialogs.append("popup " + p.url))

    pg.goto(servers.portal_url + "/?q=公司")
    # Results first: the first result is above the filters, which wait closed behind a disclosure.
    first = pg.locator(".results > li").first.bounding_box()
    filters = pg.locator("#filters")
    assert filters.evaluate("el => el.tagName") == "DETAILS" and filters.get_attribute("open") is None
    assert first["y"] < filters.bounding_box()["y"]
    assert first["y"] < PHONE["height"]  # on the first screen
    assert pg.locator("#filters fieldset").first.is_hidden()
    pg.locator("#filters summary").click()
    assert pg.locator("#filters fieldset").first.is_visible()
    checkbox = pg.locator("#filters input[type=checkbox]").first
    checkbox.locator("xpath=ancestor::label").click()  # the big label toggles its checkbox
    assert checkbox.is_checked()

    pages = [
        "/?q=公司",
        targets.detail,
        targets.withdrawn,
        "/agencies",
        targets.agency,
        "/stats",
        targets.report,
        "/requests/access",
        "/requests/correction",
        f"/requests/{targets.access_tracking}",
        f"/requests/{targets.correction_tracking}",
        "/api",
    ]
    for i, path in enumerate(pages):
        if i:
            pg.goto(servers.portal_url + path)
        else:
            assert pg.locator("#filters").get_attribute("open") is not None
        assert pg.evaluate(TEXT_SIZES) == [], path  # body text ≥ 18 px, line spacing ≥ 1.3
        assert pg.evaluate(SMALL_TARGETS) == [], path  # every target ≥ 60 × 60 px
        assert pg.locator("a[target], [onclick]").count() == 0, path  # nothing opens a window
        assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    assert dialogs == []


QUEUE_FILTERS = """() => [
  ...document.querySelectorAll("form.filters :is(select, input:not([type=hidden]), button)")
].map(e => {
  const r = e.getBoundingClientRect();
  return {id: e.id || e.tagName, top: r.top, width: r.width};
})"""


@pytest.mark.parametrize("viewport", [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def test_console_queue_filters_sit_in_a_row_on_a_desktop(
    make_context: Callable[..., Any], servers: Servers, targets: Targets, viewport: dict[str, int]
) -> None:
    pg = make_context(viewport).new_page()
    pg.goto(servers.internal_url + "/console/login")
    pg.get_by_label("用户名").fill(A11Y_ADMIN)
    pg.get_by_label("密码").fill(A11Y_PASSWORD)
    pg.get_by_role("button", name="登录").click()
    pg.wait_for_url(lambda url: "/login" not in url)
    pg.goto(servers.internal_url + "/console")
    fields = pg.evaluate(QUEUE_FILTERS)
    assert len(fields) == 5, fields  # agency, due date, doubts, second review, the button
    if viewport is DESKTOP:
        # One row, no field stretched over the 1,200 px page (the walkthrough saw each at full width).
        assert max(f["top"] for f in fields[:4]) - min(f["top"] for f in fields[:4]) < 4, fields
        assert all(f["width"] < 420 for f in fields), fields
    else:
        # A phone stacks them, each as wide as the screen allows.
        assert len({round(f["top"]) for f in fields}) == 5, fields
        assert all(f["width"] <= viewport["width"] for f in fields), fields
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
