"""Control characters are refused in every text input, named by field; XML output survives bad rows.

The bodies come from the input types (tests/inputs/shapes.py): for each JSON endpoint, every
string field in turn carries one forbidden character, and the answer must be a 400 naming exactly
that field, with nothing stored. A second test checks that the table covers every JSON endpoint
of both apps, so a new endpoint cannot skip the check unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from xml.dom import minidom

import pytest
from sqlalchemy import func, select

from gongshi.agencies.schemas import AgencyPut, ChangeIn, OfficersPut, ReportPut
from gongshi.cases.entries import ENTRY_TYPES, CaseIn, DecisionRef
from gongshi.cases.release import ReleaseIn
from gongshi.core.context import Workflow
from gongshi.domain import text
from gongshi.domain.intake import Intake
from gongshi.json_body import reads_raw_body, takes_json
from gongshi.parties.rulings import RulingBody
from gongshi.parties.schemas import AccessRequestIn, CorrectionRequestIn, NoteBody, ReasonBody
from gongshi.portal.party_requests import RecordsIn
from gongshi.publication import agency_terms, redaction_edits, review, second_review
from gongshi.settings import Settings
from gongshi.storage.models import Agency, Decision, Disclosure
from gongshi.storage.request_models import AccessRequest, CorrectionRequest
from tests.factories import AGENCY_A, intake, token
from tests.inputs.shapes import BAD_CHARS, bad_bodies, encode, minimal
from tests.parties.helpers import portal_client

CODE = AGENCY_A["code"]
JSON = {"Content-Type": "application/json"}

CASE = {
    "agency": AGENCY_A,
    "case_number": "合市监立〔2026〕1号",
    "kind": "penalty",
    "party": {"kind": "legal_person", "name": "合肥某某食品有限公司"},
    "opened_on": "2026-11-20",
    "source": {"type": "ex_officio"},
}

# (method, route template, body type, a valid body). Ids in paths need not exist: bodies are
# decoded before anything is looked up.
INTERNAL: list[tuple[str, str, Any, Any]] = [
    ("POST", "/api/v1/decisions", Intake, intake()),
    ("POST", "/api/v1/decisions/{decision_id:int}/approve", review.ApproveBody, {}),
    (
        "POST",
        "/api/v1/decisions/{decision_id:int}/redactions",
        redaction_edits.EditBody,
        {"action": "undo"},
    ),
    ("POST", "/api/v1/decisions/{decision_id:int}/withhold", review.WithholdBody, None),
    ("POST", "/api/v1/decisions/{decision_id:int}/send-back", review.SendBackBody, None),
    ("POST", "/api/v1/decisions/{decision_id:int}/return-to-review", review.SendBackBody, None),
    ("POST", "/api/v1/decisions/{decision_id:int}/release", review.ReleaseBody, None),
    ("POST", "/api/v1/decisions/{decision_id:int}/withdraw", review.WithdrawBody, None),
    (
        "POST",
        "/api/v1/decisions/{decision_id:int}/corrections",
        review.CorrectionBody,
        {"intake": intake(), "note": "更正"},
    ),
    ("POST", "/api/v1/decisions/{decision_id:int}/ruling", RulingBody, None),
    ("POST", "/api/v1/cases", CaseIn, CASE),
    *[("POST", "/api/v1/cases/{case_id:int}/entries", t, None) for t in ENTRY_TYPES.values()],
    ("POST", "/api/v1/cases/{case_id:int}/decisions", DecisionRef, {}),
    ("POST", "/api/v1/cases/{case_id:int}/releases", ReleaseIn, None),
    ("PUT", "/api/v1/agencies/{code:str}", AgencyPut, None),
    ("PUT", "/api/v1/agencies/{code:str}/officers", OfficersPut, None),
    ("POST", "/api/v1/agencies/{code:str}/terms", agency_terms.TermIn, {"term": "王庄", "kind": "never"}),
    (
        "POST",
        "/api/v1/agencies/{code:str}/terms/{term_id:int}/decision",
        agency_terms.TermDecision,
        {"accept": True},
    ),
    ("POST", "/api/v1/agencies/{code:str}/terms/{term_id:int}/removal", agency_terms.TermRemoval, None),
    ("POST", "/api/v1/agencies/{code:str}/changes", ChangeIn, None),
    ("PUT", "/api/v1/agencies/{code:str}/second-review", second_review.SecondReviewRule, {}),
    ("PUT", "/api/v1/agencies/{code:str}/reports/{year:int}", ReportPut, None),
    ("POST", "/api/v1/requests/access/{request_id:int}/check", NoteBody, {}),
    ("POST", "/api/v1/requests/access/{request_id:int}/extend", ReasonBody, None),
    ("POST", "/api/v1/requests/access/{request_id:int}/refuse", ReasonBody, None),
    ("POST", "/api/v1/requests/access/{request_id:int}/approve", NoteBody, {}),
    ("POST", "/api/v1/requests/corrections/{request_id:int}/accept", NoteBody, {}),
    ("POST", "/api/v1/requests/corrections/{request_id:int}/reject", ReasonBody, None),
]
PORTAL: list[tuple[str, str, Any, Any]] = [
    ("POST", "/api/public/v1/requests/access", AccessRequestIn, None),
    ("POST", "/api/public/v1/requests/correction", CorrectionRequestIn, None),
    ("POST", "/api/public/v1/requests/{tracking_no:str}/records", RecordsIn, None),
]
IDS = {
    "{decision_id:int}": "1",
    "{term_id:int}": "1",
    "{case_id:int}": "1",
    "{request_id:int}": "1",
    "{code:str}": CODE,
    "{year:int}": "2026",
    "{tracking_no:str}": "GK20261125000001",
}


def _url(template: str) -> str:
    for key, value in IDS.items():
        template = template.replace(key, value)
    return template


def _name(entry: tuple[str, str, Any, Any]) -> str:
    return f"{entry[0]} {entry[1]} {entry[2].__name__}"


@pytest.fixture
def admin(wf: Workflow) -> dict[str, str]:
    token(wf, "submitter")  # creates agency A
    return {**token(wf, "admin", None), **JSON}


def _stored(wf: Workflow) -> dict[str, int]:
    from gongshi.storage.case_models import Case, CaseEntry
    from gongshi.storage.portal_models import AgencyChange, AgencyOfficer

    models = [Decision, Case, CaseEntry, AgencyChange, AgencyOfficer, AccessRequest, CorrectionRequest]
    with wf.db.read() as s:
        return {m.__name__: s.scalar(select(func.count()).select_from(m)) or 0 for m in models}


def _refusals(client: Any, method: str, url: str, type_: Any, base: Any, headers: Any) -> Iterator[str]:
    """One line per field whose forbidden character was not refused as expected."""
    base = minimal(type_) if base is None else base
    for field, body in bad_bodies(type_, base):
        resp = client.request(method, url, content=encode(body), headers=headers)
        err = (
            resp.json().get("error", {})
            if resp.headers.get("content-type", "").startswith("application/json")
            else {}
        )
        if resp.status_code != 400 or err.get("field") != field or err.get("code") != "invalid_character":
            yield f"{field}: {resp.status_code} {resp.text[:200]}"


@pytest.mark.parametrize("entry", INTERNAL, ids=_name)
def test_every_text_field_of_every_internal_json_body_refuses_control_characters(
    client: Any, wf: Workflow, admin: dict[str, str], entry: tuple[str, str, Any, Any]
) -> None:
    method, template, type_, base = entry
    before = _stored(wf)
    failures = list(_refusals(client, method, _url(template), type_, base, admin))
    assert not failures, "\n".join(failures)
    assert _stored(wf) == before


@pytest.mark.parametrize("entry", PORTAL, ids=_name)
def test_every_text_field_of_every_portal_json_body_refuses_control_characters(
    settings: Settings, wf: Workflow, entry: tuple[str, str, Any, Any]
) -> None:
    method, template, type_, base = entry
    before = _stored(wf)
    with portal_client(settings, wf) as portal:
        failures = list(_refusals(portal, method, _url(template), type_, base, JSON))
    assert not failures, "\n".join(failures)
    assert _stored(wf) == before


def test_the_tables_cover_every_json_endpoint_of_both_apps(settings: Settings, wf: Workflow) -> None:
    from gongshi.internal_api import create_app as internal_app
    from gongshi.portal.app import create_app as portal_app

    covered = {(m, t) for m, t, _, _ in INTERNAL + PORTAL} | {("POST", "/api/v1/decisions:batch")}
    found = set()
    for app in (internal_app(settings, wf), portal_app(settings, wf)):
        for route in app.routes:
            for handler in getattr(route, "route_handlers", []):
                parameter = handler.parsed_fn_signature.parameters.get("body")
                if parameter is not None and reads_raw_body(parameter.annotation):
                    found |= {(m, route.path) for m in handler.http_methods}
    assert found == covered
    assert takes_json  # the 415 hook uses the same rule (tests/inputs/test_content_type.py)


def test_batch_refuses_the_bad_item_only_and_names_its_field(
    client: Any, wf: Workflow, admin: dict[str, str]
) -> None:
    items = [
        intake(source_id="OK-1"),
        intake(source_id="BAD-1", title="标题\x00"),
        intake(source_id="BAD-2", persons=[{"name": "王\x1b某"}]),
        intake(source_id="OK-2"),
    ]
    resp = client.post("/api/v1/decisions:batch", content=encode(items), headers=admin)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body["stored"], body["errors"]) == (2, 2)
    assert body["items"][1]["error"]["field"] == "title"
    assert body["items"][1]["error"]["code"] == "invalid_character"
    assert body["items"][2]["error"]["field"] == "persons[0].name"
    with wf.db.read() as s:
        assert sorted(s.scalars(select(Decision.source_id))) == ["OK-1", "OK-2"]


def test_tab_newline_and_carriage_return_are_text(client: Any, wf: Workflow, admin: dict[str, str]) -> None:
    body = intake(facts="第一行\r\n第二行\t缩进", title="标题 😀 全角　空格")
    resp = client.post("/api/v1/decisions", content=encode(body), headers=admin)
    assert resp.status_code == 201, resp.text


def test_a_lone_surrogate_in_json_is_invalid_json(client: Any, wf: Workflow, admin: dict[str, str]) -> None:
    raw = encode(intake()).replace("合肥某某食品有限公司行政处罚决定书".encode(), b"\\ud800")
    resp = client.post("/api/v1/decisions", content=raw, headers=admin)
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == "invalid_json"


@pytest.mark.parametrize("char", [*BAD_CHARS, "\ud800", "\udfff"])
def test_every_forbidden_character_is_found_wherever_it_sits(char: str) -> None:
    assert text.forbidden_at({"a": [{"b": "x" + char}]}) == ("a[0].b", char)
    assert text.forbidden_at(["ok", char]) == ("[1]", char)
    assert text.xml_safe("a" + char + "b") == "ab"
    with pytest.raises(text.ForbiddenCharacter):
        text.check({"k" + char: "v"})


@pytest.mark.parametrize("char", ["\t", "\n", "\r", " ", "\u3000", "😀", "\x85", "\u2028"])
def test_ordinary_characters_pass(char: str) -> None:
    assert text.forbidden_at({"a": ["x" + char]}) is None


# ---------------------------------------------------------------------------------------------
# Forms: the portal's request forms and the console's.


def test_portal_forms_refuse_control_characters_by_field(settings: Settings, wf: Workflow) -> None:
    with portal_client(settings, wf) as portal:
        form = {
            "document_number": "合市监罚〔2026〕1号",
            "name": "张\x01三",
            "id_number": "3401",
            "contact": "139",
        }
        resp = portal.post("/requests/access", data=form)
        assert resp.status_code == 400
        assert "控制字符" in resp.text and "姓名或名称" in resp.text
        files = {"file": ("证明\x07.txt", b"hello", "text/plain")}
        fields = {"disclosure_id": "D1", "description": "描述\x00错误内容"}
        resp = portal.post("/requests/correction", data=fields, files=files)
        assert resp.status_code == 400
        assert "控制字符" in resp.text
    assert _stored(wf)["AccessRequest"] == 0
    assert _stored(wf)["CorrectionRequest"] == 0


def test_console_agency_form_refuses_control_characters(client: Any, wf: Workflow) -> None:
    from tests.agencies.helpers import agency_body
    from tests.agencies.test_console_pages import _login

    client.put(f"/api/v1/agencies/{CODE}", json=agency_body(), headers=token(wf, "head"))
    with wf.db.read() as s:
        before = s.scalar(select(Agency.profile).where(Agency.code == CODE))
    csrf = _login(client, wf)
    resp = client.post(f"/console/agencies/{CODE}/profile", data={"_csrf_token": csrf, "p_head": "张\x00三"})
    assert resp.status_code == 422
    assert "控制字符" in resp.text
    with wf.db.read() as s:
        assert s.scalar(select(Agency.profile).where(Agency.code == CODE)) == before


# ---------------------------------------------------------------------------------------------
# XML output whatever is stored.


def test_feed_and_sitemap_are_well_formed_whatever_is_stored(
    client: Any, settings: Settings, wf: Workflow
) -> None:
    from tests.parties.helpers import publish

    publish(client, wf)
    # A row with control characters, written directly as a legacy row or a hand edit would be
    # (PostgreSQL cannot hold NUL, so none here).
    with wf.db.write() as s:
        row = s.scalars(select(Disclosure)).one()
        row.title = "标题\x1b含控制字符\ufffe"
        row.agency_name = "坏\x0b机关"
        row.document_number = "文号\x01"
    with portal_client(settings, wf) as portal:
        for path in ("/feed.atom", f"/agencies/{CODE}/feed.atom", "/sitemap.xml"):
            resp = portal.get(path)
            assert resp.status_code == 200, (path, resp.text)
            minidom.parseString(resp.content)  # raises on a character XML cannot carry
        assert "标题含控制字符" in portal.get("/feed.atom").text


def test_a_spreadsheet_row_with_a_control_character_is_that_row_s_error(client: Any, wf: Workflow) -> None:
    """XLSX cells and CSV fields can hold control characters too (openpyxl refuses to write them)."""
    import csv
    import io

    from tests.credit.helpers import AGENCY
    from tests.credit.test_import import VARIANT_HEADERS, _row

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(VARIANT_HEADERS)
    for row in (
        _row("合市监罚〔2026〕401号"),
        _row("合市监罚〔2026〕402号", **{"违法事实": "当事人\x0b经营"}),
    ):
        writer.writerow(["2026-11-20" if hasattr(v, "year") else v for v in row])
    files = {"file": ("sgs.csv", buf.getvalue().encode())}
    resp = client.post("/api/v1/imports", files=files, headers=token(wf, "submitter", AGENCY))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["stored"] == 1
    assert [e["row"] for e in body["errors"]] == [3]
    assert "控制字符" in body["errors"][0]["message"]


def _get_routes(app: Any) -> list[str]:
    out = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if "GET" in handler.http_methods and not route.path.startswith("/static"):
                out.append(_url(route.path.replace("{public_id:str}", "D1").replace("{ref:str}", "1")))
    return sorted(set(out))


def test_every_get_route_of_both_apps_refuses_control_characters_in_parameters(
    client: Any, settings: Settings, wf: Workflow
) -> None:
    """A NUL in a query parameter reached PostgreSQL (a 500); any parameter, any route, is a 400."""
    from gongshi.internal_api import create_app as internal_app
    from gongshi.portal.app import create_app as portal_app

    h = token(wf, "admin", None)
    failures = []
    with portal_client(settings, wf) as portal:
        for c, app in ((client, internal_app(settings, wf)), (portal, portal_app(settings, wf))):
            for path in _get_routes(app):
                path = re.sub(r"\{[a-z_]+:int\}", "1", re.sub(r"\{[a-z_]+:str\}", "x", path))
                sep = "&" if "?" in path else "?"
                resp = c.get(f"{path}{sep}agency=a%00b", headers=h, follow_redirects=False)
                if resp.status_code != 400:
                    failures.append(f"{path}: {resp.status_code}")
    assert not failures, "\n".join(failures)


def test_a_control_character_in_a_path_parameter_is_400(client: Any, wf: Workflow) -> None:
    resp = client.get("/api/v1/agencies/ABC%01D", headers=token(wf, "admin", None))
    assert resp.status_code == 400
    assert resp.json()["error"]["field"] == "code"
