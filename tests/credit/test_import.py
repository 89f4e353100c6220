"""Spreadsheet import: header variants, encodings, row errors in Chinese, idempotence, all-or-nothing."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from sqlalchemy import func, select

from gongshi.cli import main
from gongshi.core.context import Workflow
from gongshi.credit import importer
from gongshi.credit.rows import source_id_for
from gongshi.settings import Settings
from gongshi.storage.models import Decision
from tests.credit.helpers import AGENCY, approved, head
from tests.factories import token

# A platform's variant: full-width brackets, 法定代表人身份证号 instead of the two 证件 columns,
# 处罚金额（万元）, a required mark, and 行政相对人类别.
VARIANT_HEADERS = [
    "*行政相对人名称",
    "行政相对人类别",
    "行政相对人代码_1（统一社会信用代码）",
    "行政相对人代码_2（工商注册号）",
    "法定代表人",
    "法定代表人身份证号",
    "行政处罚决定书文号",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "处罚金额（万元）",
    "处罚决定日期",
    "处罚有效期",
    "公示截止期",
    "处罚机关",
    "处罚机关统一社会信用代码",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
]


def _row(number: str, code: str = "91340100MA2N0000XF", **changes: Any) -> list[Any]:
    from datetime import datetime

    values = {
        "*行政相对人名称": "合肥某某食品有限公司",
        "行政相对人类别": "法人及非法人组织",
        "行政相对人代码_1（统一社会信用代码）": code,
        "行政相对人代码_2（工商注册号）": None,
        "法定代表人": "李明华",
        "法定代表人身份证号": None,
        "行政处罚决定书文号": number,
        "违法行为类型": "经营超过保质期的食品",
        "违法事实": "当事人经营超过保质期的食品。",
        "处罚依据": "《中华人民共和国食品安全法》第一百二十四条",
        "处罚类别": "警告；罚款",
        "处罚内容": "警告，并处罚款5000元。",
        "处罚金额（万元）": 0.5,
        "处罚决定日期": datetime(2026, 11, 20),  # an Excel date cell
        "处罚有效期": "长期",
        "公示截止期": "2027-11-20",
        "处罚机关": AGENCY["name"],
        "处罚机关统一社会信用代码": AGENCY["code"],
        "数据来源单位": AGENCY["name"],
        "数据来源单位统一社会信用代码": AGENCY["code"],
        **changes,
    }
    return [values[h] for h in VARIANT_HEADERS]


def _xlsx(rows: list[list[Any]], headers: list[str] = VARIANT_HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _post(client: Any, wf: Workflow, content: bytes, name: str = "sgs.xlsx", role: str = "submitter") -> Any:
    return client.post("/api/v1/imports", files={"file": (name, content)}, headers=token(wf, role, AGENCY))


def test_valid_rows_stored_invalid_rows_reported_reupload_is_idempotent(client: Any, wf: Workflow) -> None:
    content = _xlsx(
        [
            _row("合市监罚〔2026〕301号"),
            _row("合市监罚〔2026〕302号", code="91340100MA2N0000X1"),  # wrong check character
            _row("合市监罚〔2026〕303号", **{"处罚类别": "罚款；批评教育", "违法事实": None}),
            _row("合市监罚〔2026〕304号"),
        ]
    )
    resp = _post(client, wf, content)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["stored"] == 2 and body["duplicates"] == 0
    assert {(e["row"], e["column"]) for e in body["errors"]} == {
        (3, "行政相对人代码_1（统一社会信用代码）"),
        (4, "处罚类别"),
        (4, "违法事实"),
    }
    messages = {e["column"]: e["message"] for e in body["errors"]}
    assert "校验位" in messages["行政相对人代码_1（统一社会信用代码）"]
    assert "第九条" in messages["处罚类别"] and messages["违法事实"] == "必填项不能为空"
    again = _post(client, wf, content).json()
    assert again["stored"] == 0 and again["duplicates"] == 2
    with wf.db.read() as s:
        decisions = s.scalars(select(Decision).order_by(Decision.id)).all()
    assert [d.document_number for d in decisions] == ["合市监罚〔2026〕301号", "合市监罚〔2026〕304号"]
    stored = source_id_for("合市监罚〔2026〕301号")
    assert decisions[0].source_id == stored and decisions[0].state == "received"
    from gongshi.publication.records import stored_intake

    intake = stored_intake(decisions[0])
    assert intake.penalty is not None and str(intake.penalty.fine_yuan) == "5000.00"
    assert intake.penalty.categories == ["fine", "warning"]
    assert intake.penalty.violation_type == "经营超过保质期的食品"
    assert intake.party.id_number == "91340100MA2N0000XF" and intake.party.legal_representative == "李明华"


def test_gb18030_csv_natural_person(client: Any, wf: Workflow) -> None:
    header = (
        "行政相对人名称,证件类型,证件号码,行政处罚决定书文号,违法行为类型,违法事实,处罚依据,"
        "处罚类别,处罚内容,罚款金额(万元),处罚决定日期,处罚有效期\n"
    )
    row = (
        "张建国,身份证,340104198001011234,合市监罚〔2026〕400号,无证经营,当事人无证经营。,"
        "《无证无照经营查处办法》第十三条,警告,警告。,,2026/11/18,2099/12/31\n"
    )
    resp = _post(client, wf, (header + row).encode("gb18030"), name="自然人.csv")
    assert resp.json() == {"stored": 1, "duplicates": 0, "errors": []}
    with wf.db.read() as s:
        d = s.scalar(select(Decision))
    assert d is not None and d.decided_on.isoformat() == "2026-11-18"


def test_export_reimported_is_all_duplicates(client: Any, wf: Workflow) -> None:
    approved(client, wf)
    approved(client, wf, source_id="S-2", document_number="合市监罚〔2026〕124号")
    exported = client.get(
        "/api/v1/exports/shuanggongshi", params={"agency": AGENCY["code"]}, headers=head(wf)
    ).content
    body = _post(client, wf, exported, name="export.xlsx").json()
    assert body == {"stored": 0, "duplicates": 2, "errors": []}


def test_not_a_template_and_roles(client: Any, wf: Workflow) -> None:
    resp = _post(client, wf, _xlsx([["x"]], headers=["名称", "金额"]))
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "no_template"
    assert _post(client, wf, b"%PDF-1.4", name="a.pdf").json()["error"]["code"] == "unsupported_file"
    assert _post(client, wf, _xlsx([_row("合市监罚〔2026〕1号")]), role="reviewer").status_code == 403


def test_nothing_half_written(client: Any, wf: Workflow, monkeypatch: pytest.MonkeyPatch) -> None:
    token(wf, "submitter", AGENCY)  # creates the agency row
    rows = [_row(f"合市监罚〔2026〕{i}号") for i in range(1, 1201)]
    real = importer.submit_batch
    calls = {"n": 0}

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "submit_batch", failing)
    with pytest.raises(RuntimeError):
        importer.import_file(wf, _admin(), AGENCY["code"], _xlsx(rows), "big.xlsx")
    with wf.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Decision)) == 0
    monkeypatch.setattr(importer, "submit_batch", real)
    result = importer.import_file(wf, _admin(), AGENCY["code"], _xlsx(rows), "big.xlsx")
    assert (result.stored, result.errors) == (1200, [])


def _admin() -> Any:
    from gongshi.auth.principal import Principal

    return Principal(actor="test", role="admin", agency_id=None)


def test_console_upload_with_progress_page(client: Any, wf: Workflow) -> None:
    from tests.credit.test_status_board import _login

    token(wf, "submitter", AGENCY)  # creates the agency row
    _login(client, wf, "submitter")
    page = client.get("/console/imports").text
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert csrf
    resp = client.post(
        "/console/imports",
        files={
            "file": (
                "sgs.xlsx",
                _xlsx([_row("合市监罚〔2026〕501号"), _row("合市监罚〔2026〕502号", code="x")]),
            )
        },
        data={"_csrf_token": csrf.group(1)},
        follow_redirects=False,
    )
    assert resp.status_code in (302, 303), resp.text
    url = resp.headers["location"]
    for _ in range(100):
        page = client.get(url).text
        if "已完成" in page or "失败" in page:
            break
        assert 'http-equiv="refresh"' in page
        time.sleep(0.1)
    assert "新存入 1 条" in page and "有误 1 行" in page
    assert "行政相对人代码_1（统一社会信用代码）" in page


def test_cli_import_with_progress(
    client: Any, wf: Workflow, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token(wf, "submitter", AGENCY)
    monkeypatch.setenv("GONGSHI_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("GONGSHI_DATA_DIR", str(tmp_path))
    path = tmp_path / "sgs.xlsx"
    path.write_bytes(
        _xlsx([_row("合市监罚〔2026〕601号"), _row("合市监罚〔2026〕602号", **{"违法事实": None})])
    )
    result = CliRunner().invoke(main, ["import", str(path), "--agency", AGENCY["code"]])
    assert result.exit_code == 0, result.output
    assert "新存入 1 条" in result.output
    assert "第 3 行「违法事实」：必填项不能为空" in result.output
