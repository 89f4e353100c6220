"""Report status in the console, the 7-working-day board, the console export page and the CLI."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gongshi.cli import main
from gongshi.core.context import Workflow
from gongshi.settings import Settings
from tests.credit.helpers import AGENCY, approved, head, sheets
from tests.factories import token


def _board_items(client: Any, wf: Workflow) -> list[dict[str, Any]]:
    resp = client.get("/api/v1/deadlines", headers=token(wf, "reviewer", AGENCY))
    assert resp.status_code == 200, resp.text
    return [i for a in resp.json()["agencies"] for i in a["credit_report"]]


def test_unreported_after_seven_working_days_is_on_the_board(client: Any, wf: Workflow) -> None:
    # Today is Wednesday 2026-11-25; decided Friday 2026-11-13 → due Tuesday 2026-11-24: overdue.
    late = approved(
        client, wf, decided_on="2026-11-13", source_id="late", document_number="合市监罚〔2026〕1号"
    )
    # Decided 2026-11-20 → due 2026-12-01: not yet within the 2-working-day "due soon" window.
    approved(client, wf)
    items = _board_items(client, wf)
    assert [(i["id"], i["due_on"], i["bucket"]) for i in items] == [(late, "2026-11-24", "overdue")]
    assert (
        client.get(
            "/api/v1/exports/shuanggongshi", params={"agency": AGENCY["code"]}, headers=head(wf)
        ).status_code
        == 200
    )
    assert _board_items(client, wf) == []


def _login(client: Any, wf: Workflow, role: str) -> None:
    from sqlalchemy import select

    from gongshi.auth.credentials import create_user
    from gongshi.storage.models import Agency

    with wf.db.write() as s:
        agency = s.scalar(select(Agency).where(Agency.code == AGENCY["code"]))
        create_user(s, username=f"u-{role}", password="pass-word-1", role=role, agency=agency)
    page = client.get("/console/login")
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert csrf
    resp = client.post(
        "/console/login",
        data={"username": f"u-{role}", "password": "pass-word-1", "_csrf_token": csrf.group(1)},
        follow_redirects=True,
    )
    assert resp.status_code == 200 and "审核队列" in resp.text


def test_console_shows_report_status_and_exports(client: Any, wf: Workflow) -> None:
    decision_id = approved(client, wf)
    _login(client, wf, "head")
    page = client.get(f"/console/decisions/{decision_id}").text
    assert "双公示上报" in page and "未上报" in page
    check = client.get("/console/exports", params={"check": "1"}).text
    assert "可导出 1 条" in check
    resp = client.get("/console/exports/shuanggongshi", params={"format": "xlsx"})
    assert resp.status_code == 200
    assert len(sheets(resp.content)["行政处罚（法人及非法人组织）"]) == 2
    assert "已上报" in client.get(f"/console/decisions/{decision_id}").text
    approved(client, wf, publish=False, source_id="q", document_number="合市监罚〔2026〕9号")
    queue = client.get("/console", params={"state": "approved"}).text
    assert '<th scope="col">双公示</th>' in queue and "<td>未上报</td>" in queue


def test_console_reviewer_cannot_export(client: Any, wf: Workflow) -> None:
    approved(client, wf)
    _login(client, wf, "reviewer")
    assert "只有机关负责人或管理员" in client.get("/console/exports").text
    resp = client.get("/console/exports/shuanggongshi", params={"format": "xlsx"})
    assert "无权" in resp.text


def test_cli_export(
    client: Any, wf: Workflow, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    approved(client, wf)
    monkeypatch.setenv("GONGSHI_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("GONGSHI_DATA_DIR", str(tmp_path))
    out = tmp_path / "out.xlsx"
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "export",
            "shuanggongshi",
            "--agency",
            AGENCY["code"],
            "--template",
            "legal_penalty",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "导出 1 条" in result.output
    assert list(sheets(out.read_bytes())) == ["行政处罚（法人及非法人组织）"]
    again = runner.invoke(main, ["export", "shuanggongshi", "--agency", AGENCY["code"], "-o", str(out)])
    assert "导出 0 条" in again.output
    bad = runner.invoke(main, ["export", "shuanggongshi", "--agency", "nope", "-o", str(out)])
    assert bad.exit_code != 0 and "没有代码为 nope 的机关" in bad.output
