"""双公示 export through the API: headers, identity vs redacted text, incremental, validation, scope."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from sqlalchemy import select

from gongshi.core.context import Workflow
from gongshi.credit.templates import headers
from gongshi.storage.credit_models import CreditExport, CreditExportItem
from gongshi.storage.models import AuditEvent
from tests.conftest import Clock
from tests.credit.helpers import AGENCY, NATURAL, OTHER_AGENCY, approved, head, sheets
from tests.factories import token

URL = "/api/v1/exports/shuanggongshi"


def _export(client: Any, wf: Workflow, **params: str) -> Any:
    resp = client.get(URL, params={"agency": AGENCY["code"], **params}, headers=head(wf))
    assert resp.status_code == 200, resp.text
    return resp


def _json(client: Any, wf: Workflow, **params: str) -> dict[str, Any]:
    body: dict[str, Any] = _export(client, wf, format="json", **params).json()
    return body


LEGAL_PENALTY_HEADERS = [
    "行政相对人名称",
    "行政相对人代码_1(统一社会信用代码)",
    "行政相对人代码_2(工商注册号)",
    "行政相对人代码_3(组织机构代码)",
    "行政相对人代码_4(税务登记号)",
    "行政相对人代码_5(事业单位证书号)",
    "行政相对人代码_6(社会组织登记证号)",
    "法定代表人",
    "法定代表人证件类型",
    "法定代表人证件号码",
    "行政处罚决定书文号",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "罚款金额（万元）",
    "没收违法所得、没收非法财物的金额（万元）",
    "暂扣或吊销证照名称及编号",
    "处罚决定日期",
    "处罚有效期",
    "公示截止期",
    "处罚机关",
    "处罚机关统一社会信用代码",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
    "备注",
]


def test_xlsx_has_the_four_templates_with_the_national_headers(client: Any, wf: Workflow) -> None:
    approved(client, wf)
    resp = _export(client, wf)
    assert resp.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert resp.headers["x-export-rows"] == "1"
    book = sheets(resp.content)
    assert list(book) == [
        "行政处罚（法人及非法人组织）",
        "行政处罚（自然人）",
        "行政许可（法人及非法人组织）",
        "行政许可（自然人）",
    ]
    rows = book["行政处罚（法人及非法人组织）"]
    assert rows[0] == LEGAL_PENALTY_HEADERS
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["行政相对人代码_1(统一社会信用代码)"] == "91340100MA2N0000XF"
    assert row["法定代表人"] == "李明华"
    assert row["处罚类别"] == "警告;罚款"
    assert row["罚款金额（万元）"] == "0.5"
    assert row["处罚决定日期"] == "2026/11/20"
    assert row["处罚有效期"] == "2099/12/31"
    assert row["公示截止期"] == "2027/11/20"
    assert row["处罚机关统一社会信用代码"] == AGENCY["code"]
    assert row["违法行为类型"] == "当事人经营超过保质期的食品"
    assert book["行政处罚（自然人）"][0][:3] == ["行政相对人名称", "证件类型", "证件号码"]
    assert book["行政许可（法人及非法人组织）"][0][10:] == headers("legal_license")[10:]
    assert headers("natural_license")[3:] == [
        "行政许可决定文书名称",
        "行政许可决定文书号",
        "许可类别",
        "许可证书名称",
        "许可编号",
        "许可内容",
        "许可决定日期",
        "有效期自",
        "有效期至",
        "许可机关",
        "许可机关统一社会信用代码",
        "当前状态",
        "数据来源单位",
        "数据来源单位统一社会信用代码",
        "备注",
    ]


def test_identity_from_intake_text_redacted(client: Any, wf: Workflow) -> None:
    """The natural person's ID goes in 证件号码; a witness named in the facts is masked in 违法事实."""
    approved(
        client,
        wf,
        party=NATURAL,
        document_number="合市监罚〔2026〕200号",
        source_id="N-1",
        facts="经查，当事人张建国在蜀山区销售过期食品，证人王小燕（电话13805512345）目睹。",
        persons=[{"name": "王小燕", "role": "witness"}],
    )
    body = _json(client, wf, template="natural_penalty")
    [row] = body["templates"]["natural_penalty"]["rows"]
    assert row["证件类型"] == "身份证"
    assert row["证件号码"] == NATURAL["id_number"]
    assert row["行政相对人名称"] == "张建国"
    assert "王小燕" not in row["违法事实"] and "13805512345" not in row["违法事实"]
    assert "张建国" in row["违法事实"]  # the party's own name is published
    assert "340104198001011234" not in "".join(v for k, v in row.items() if k != "证件号码")


def test_incremental_then_withdrawal_with_status_2(client: Any, wf: Workflow, clock: Clock) -> None:
    first = approved(client, wf)
    assert len(_json(client, wf)["templates"]["legal_penalty"]["rows"]) == 1
    # Nothing new: the next export is empty.
    assert _json(client, wf)["templates"]["legal_penalty"]["rows"] == []
    second = approved(client, wf, source_id="S-2", document_number="合市监罚〔2026〕124号")
    rows = _json(client, wf)["templates"]["legal_penalty"]["rows"]
    assert [r["行政处罚决定书文号"] for r in rows] == ["合市监罚〔2026〕124号"]
    resp = client.post(
        f"/api/v1/decisions/{first}/withdraw",
        headers=token(wf, "reviewer", AGENCY),
        json={"reason": "revoked", "ruling_received_on": "2026-11-24", "explanation": "已被复议机关撤销。"},
    )
    assert resp.status_code == 200, resp.text
    [row] = _json(client, wf)["templates"]["legal_penalty"]["rows"]
    assert row["行政处罚决定书文号"] == "合市监罚〔2026〕123号"
    assert row["备注"] == "当前状态：2（无效）；原因：被依法撤销：已被复议机关撤销。"
    with wf.db.read() as s:
        items = s.execute(
            select(CreditExportItem.decision_id, CreditExportItem.status).order_by(CreditExportItem.id)
        ).all()
    assert [tuple(i) for i in items] == [(first, 1), (second, 1), (first, 2)]
    # --since re-sends what changed since the date, reported or not.
    again = _json(client, wf, since="2026-11-01")["templates"]["legal_penalty"]["rows"]
    assert len(again) == 2


def test_license_status_and_fields(client: Any, wf: Workflow) -> None:
    approved(
        client,
        wf,
        kind="licensing",
        source_id="L-1",
        document_number="合市监许〔2026〕9号",
        title="食品经营许可决定书",
        result="准予食品经营许可。",
        penalty=None,
        license={
            "name": "食品经营许可证",
            "number": "JY13401000000001",
            "valid_from": "2026-11-20",
            "category": "general",
        },
    )
    [row] = _json(client, wf, template="legal_license")["templates"]["legal_license"]["rows"]
    assert row["许可类别"] == "普通"
    assert row["有效期至"] == "2099/12/31"  # 长期
    assert row["当前状态"] == "1"
    assert row["许可编号"] == "JY13401000000001"


def test_invalid_rows_are_listed_not_exported(client: Any, wf: Workflow) -> None:
    bad = approved(
        client,
        wf,
        source_id="B-1",
        party={
            **NATURAL,
            "kind": "legal_person",
            "name": "某公司",
            "id_type": "uscc",
            "id_number": "91340100MA2N0000X1",
        },
    )
    body = _json(client, wf)
    assert body["templates"]["legal_penalty"]["rows"] == []
    [err] = body["errors"]
    assert err["decision_id"] == bad
    assert err["column"] == "行政相对人代码_1(统一社会信用代码)"
    assert "校验位" in err["message"]
    # Rejected rows stay unreported, so they are tried again.
    assert _json(client, wf)["errors"][0]["decision_id"] == bad
    with wf.db.read() as s:
        assert s.scalars(select(CreditExportItem)).all() == []


def test_csv_needs_one_template_and_has_bom(client: Any, wf: Workflow) -> None:
    approved(client, wf)
    resp = client.get(URL, params={"agency": AGENCY["code"], "format": "csv"}, headers=head(wf))
    assert resp.status_code == 400 and resp.json()["error"]["field"] == "template"
    resp = _export(client, wf, format="csv", template="legal_penalty")
    assert resp.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert rows[0] == LEGAL_PENALTY_HEADERS and len(rows) == 2


@pytest.mark.parametrize("role", ["submitter", "reviewer"])
def test_only_head_or_admin(client: Any, wf: Workflow, role: str) -> None:
    resp = client.get(URL, params={"agency": AGENCY["code"]}, headers=token(wf, role, AGENCY))
    assert resp.status_code == 403


def test_other_agency_is_not_found_and_admin_may(client: Any, wf: Workflow) -> None:
    approved(client, wf)
    other = token(wf, "head", OTHER_AGENCY)
    assert client.get(URL, params={"agency": AGENCY["code"]}, headers=other).status_code == 404
    admin = token(wf, "admin", None)
    resp = client.get(URL, params={"agency": AGENCY["code"], "format": "json"}, headers=admin)
    assert resp.status_code == 200 and len(resp.json()["templates"]["legal_penalty"]["rows"]) == 1


def test_every_export_is_an_audit_event(client: Any, wf: Workflow) -> None:
    _json(client, wf)
    _export(client, wf)
    with wf.db.read() as s:
        exports = s.scalars(select(CreditExport).order_by(CreditExport.id)).all()
        events = s.scalars(select(AuditEvent).where(AuditEvent.subject_type == "credit_export")).all()
    assert [e.format for e in exports] == ["json", "xlsx"]
    assert [(e.subject_id, e.action) for e in events] == [
        (exports[0].id, "export"),
        (exports[1].id, "export"),
    ]


def test_expiry_is_reported_with_status_2(client: Any, wf: Workflow, clock: Clock) -> None:
    from gongshi.worker import run_once

    approved(client, wf)
    assert len(_json(client, wf)["templates"]["legal_penalty"]["rows"]) == 1
    clock.set("2027-11-23T02:00:00+00:00")  # past the one-year publication period
    run_once(wf)
    [row] = _json(client, wf)["templates"]["legal_penalty"]["rows"]
    assert row["备注"] == "当前状态：2（无效）；原因：公示期满（2027/11/20）"
    assert _json(client, wf)["templates"]["legal_penalty"]["rows"] == []


def test_leak_gate_stops_a_row_whose_text_carries_protected_data(client: Any, wf: Workflow) -> None:
    """违法行为类型 comes from the intake, not from the redacted record: the gate checks it in the row."""
    decision_id = approved(
        client,
        wf,
        party=NATURAL,
        source_id="G-1",
        document_number="合市监罚〔2026〕300号",
        facts="经查，当事人张建国销售过期食品，证人王小燕目睹。",
        persons=[{"name": "王小燕", "role": "witness"}],
        penalty={
            "categories": ["warning"],
            "violation_type": "销售过期食品（证人王小燕，电话13805512345）",
        },
    )
    body = _json(client, wf, template="natural_penalty")
    assert body["templates"]["natural_penalty"]["rows"] == []
    [err] = body["errors"]
    assert (err["decision_id"], err["column"]) == (decision_id, "违法行为类型")
    assert "泄露检查" in err["message"]


def test_xlsx_cells_are_the_json_rows(client: Any, wf: Workflow) -> None:
    """Every cell of the XLSX sheets is the JSON export's value: text that looks like a number, a date
    or a formula stays text, markup characters survive, an empty cell is empty."""
    approved(
        client,
        wf,
        facts="=SUM(A1:A3) 经查，当事人在<仓库>&门店销售过期食品 0012 批次，生产日期2026/11/01。",
    )
    approved(client, wf, party=NATURAL, source_id="X-2", document_number="合市监罚〔2026〕201号")
    approved(
        client,
        wf,
        kind="licensing",
        source_id="X-3",
        document_number="合市监许〔2026〕10号",
        title="食品经营许可决定书",
        result="准予食品经营许可。",
        penalty=None,
        license={"name": "食品经营许可证", "number": "0013401000000001", "valid_from": "2026-11-20"},
    )
    body = _json(client, wf, since="2026-01-01")
    book = sheets(_export(client, wf, since="2026-01-01").content)
    compared = 0
    for template in body["templates"].values():
        rows = book[template["title"]]
        assert rows[0] == template["headers"]
        assert len(rows) == len(template["rows"]) + 1
        for cells, expected in zip(rows[1:], template["rows"], strict=True):
            assert [c or "" for c in cells] == [expected[h] for h in template["headers"]]
            compared += 1
    assert compared == 3
    assert "=SUM(A1:A3)" in book["行政处罚（法人及非法人组织）"][1][12]
