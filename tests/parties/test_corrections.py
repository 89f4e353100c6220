"""Correction requests (Art 19): anyone reports an error; accepted → corrected revision, rejected → reason."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from gongshi.core.context import Workflow
from gongshi.parties.corrections import MAX_EVIDENCE_BYTES, correction_in_progress
from gongshi.settings import Settings
from gongshi.storage.models import AuditEvent, Notification
from gongshi.storage.request_models import CorrectionEvidence, CorrectionRequest
from gongshi.worker import run_once
from tests.conftest import Clock
from tests.factories import AGENCY_B, intake, token
from tests.parties.helpers import portal_client, publish


def _report(portal: Any, public_id: str, **overrides: Any) -> Any:
    body = {
        "disclosure_id": public_id,
        "description": "罚款金额应为3000元，不是5000元。",
        "contact": "li@example.com",
    }
    body.update(overrides)
    return portal.post("/api/public/v1/requests/correction", json=body)


def _request_id(client: Any, wf: Workflow, tracking_no: str) -> int:
    listed = client.get("/api/v1/requests/corrections", headers=token(wf, "reviewer")).json()
    return next(r["id"] for r in listed if r["tracking_no"] == tracking_no)


def test_accepted_then_corrected(client: Any, wf: Workflow, settings: Settings, clock: Clock) -> None:
    decision_id, public_id = publish(client, wf)
    rev = token(wf, "reviewer")
    with portal_client(settings, wf) as portal:
        resp = _report(portal, public_id)
        assert resp.status_code == 202, resp.text
        tn = resp.json()["tracking_no"]
        assert portal.get(f"/api/public/v1/requests/{tn}").json()["status"] == "received"
        rid = _request_id(client, wf, tn)
        with wf.db.read() as s:
            assert correction_in_progress(s, public_id) is False
        accepted = client.post(
            f"/api/v1/requests/corrections/{rid}/accept", json={"note": "属实"}, headers=rev
        )
        assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
        assert (
            client.post(
                f"/api/v1/requests/corrections/{rid}/reject", json={"reason": "不对不对"}, headers=rev
            ).status_code
            == 409
        )
        with wf.db.read() as s:
            assert correction_in_progress(s, public_id) is True
        status = portal.get(f"/api/public/v1/requests/{tn}").json()
        assert status["status"] == "accepted" and status["status_label"] == "已确认有误，正在更正"
        clock.set("2026-11-26T09:00:00+08:00")
        fixed = intake(
            result="警告，并处罚款3000元。",
            penalty={"categories": ["warning", "fine"], "fine_yuan": "3000.00"},
        )
        out = client.post(
            f"/api/v1/decisions/{decision_id}/corrections",
            json={"intake": fixed, "note": f"纠错申请 {tn}"},
            headers=rev,
        )
        assert out.status_code in (200, 201), out.text
        with wf.db.read() as s:
            assert correction_in_progress(s, public_id) is False
        # The status page knows at once; the worker then settles the request and tells the requester.
        status = portal.get(f"/api/public/v1/requests/{tn}").json()
        assert status["status"] == "corrected" and status["corrected_at"].startswith("2026-11-26")
        assert run_once(wf)["parties"] >= 1
        html = portal.get(f"/requests/{tn}")
        assert "已更正" in html.text and "更正于" in html.text
    with wf.db.read() as s:
        row = s.get(CorrectionRequest, rid)
        assert row is not None and row.state == "corrected"
        subjects = [
            n.subject
            for n in s.scalars(select(Notification).where(Notification.recipient == "li@example.com"))
        ]
        actions = [
            e.action
            for e in s.scalars(
                select(AuditEvent).where(
                    AuditEvent.subject_type == "correction_request", AuditEvent.subject_id == rid
                )
            )
        ]
    assert actions == ["receive", "accept", "corrected"]
    assert len(subjects) == 3


def test_rejected_with_reason_and_scoping(client: Any, wf: Workflow, settings: Settings) -> None:
    _, public_id = publish(client, wf)
    with portal_client(settings, wf) as portal:
        tn = _report(portal, public_id, contact=None).json()["tracking_no"]
        rid = _request_id(client, wf, tn)
        assert (
            client.get(
                f"/api/v1/requests/corrections/{rid}", headers=token(wf, "reviewer", AGENCY_B)
            ).status_code
            == 404
        )
        no_reason = client.post(
            f"/api/v1/requests/corrections/{rid}/reject", json={}, headers=token(wf, "reviewer")
        )
        assert no_reason.status_code == 400
        done = client.post(
            f"/api/v1/requests/corrections/{rid}/reject",
            json={"reason": "经核对原始决定书，金额无误。"},
            headers=token(wf, "reviewer"),
        )
        assert done.json()["state"] == "rejected"
        status = portal.get(f"/api/public/v1/requests/{tn}").json()
    assert status["status"] == "rejected" and status["answer"] == "经核对原始决定书，金额无误。"


def test_bad_reports(client: Any, wf: Workflow, settings: Settings) -> None:
    decision_id, public_id = publish(client, wf)
    with portal_client(settings, wf) as portal:
        assert _report(portal, "nosuchdisclosure").status_code == 404
        assert _report(portal, public_id, description="错").status_code == 400
        assert _report(portal, public_id, contact="???").status_code == 400
        client.post(
            f"/api/v1/decisions/{decision_id}/withdraw",
            json={"reason": "error", "explanation": "信息有误，已撤下。"},
            headers=token(wf, "reviewer"),
        )
        assert _report(portal, public_id).status_code == 422


def test_html_form_with_file_upload(client: Any, wf: Workflow, settings: Settings) -> None:
    _, public_id = publish(client, wf)
    with portal_client(settings, wf) as portal:
        form = portal.get("/requests/correction", params={"disclosure": public_id})
        assert form.status_code == 200
        assert f'value="{public_id}"' in form.text and "合肥某某食品有限公司行政处罚决定书" in form.text
        done = portal.post(
            "/requests/correction",
            data={
                "disclosure_id": public_id,
                "description": "当事人名称写错了一个字。",
                "evidence": "见营业执照",
            },
            files={"file": ("执照.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png")},
        )
        assert done.status_code == 200 and "申请已收到" in done.text
        too_big = portal.post(
            "/requests/correction",
            data={"disclosure_id": public_id, "description": "附件太大的申请。"},
            files={"file": ("big.pdf", b"%PDF" + b"0" * MAX_EVIDENCE_BYTES, "application/pdf")},
        )
        assert too_big.status_code == 413 and "不能超过" in too_big.text
        wrong_type = portal.post(
            "/requests/correction",
            data={"disclosure_id": public_id, "description": "附件类型不对。"},
            files={"file": ("x.exe", b"MZ", "application/x-msdownload")},
        )
        assert wrong_type.status_code == 400
        no_file = portal.post(
            "/requests/correction",
            data={"disclosure_id": public_id, "description": "没有附件的申请。"},
            files={"file": ("", b"", "application/octet-stream")},
        )
        assert no_file.status_code == 200
    with wf.db.read() as s:
        files = s.scalars(select(CorrectionEvidence)).all()
        requests = s.scalars(select(CorrectionRequest)).all()
    assert len(requests) == 2 and len(files) == 1
    assert files[0].filename == "执照.png" and files[0].size == 108
    rid = next(r.id for r in requests if r.evidence == "见营业执照")
    got = client.get(f"/api/v1/requests/corrections/{rid}/files/{files[0].id}", headers=token(wf, "reviewer"))
    assert got.status_code == 200 and got.content.startswith(b"\x89PNG")
    assert got.headers["content-disposition"].startswith("attachment")


def test_form_errors_are_chinese_and_name_the_field_once(
    client: Any, wf: Workflow, settings: Settings
) -> None:
    """A field its schema refuses (too short, too long, missing) is told in Chinese, not msgspec's."""
    _, public_id = publish(client, wf)
    with portal_client(settings, wf) as portal:
        no_file = {"file": ("", b"", "application/octet-stream")}
        short = portal.post(
            "/requests/correction", data={"disclosure_id": public_id, "description": "ab"}, files=no_file
        )
        missing = portal.post(
            "/requests/access", data={"document_number": "x", "name": "y", "id_number": "34010419900101128X"}
        )
        long = portal.post(
            "/requests/access",
            data={
                "document_number": "x" * 300,
                "name": "y",
                "id_number": "34010419900101128X",
                "contact": "a@b.cn",
            },
        )
        api = portal.post(
            "/api/public/v1/requests/correction", json={"disclosure_id": public_id, "description": "ab"}
        )
    assert short.status_code == 400 and "“错误内容”至少要填写 4 个字" in short.text
    assert missing.status_code == 400 and "请填写“联系方式”" in missing.text
    assert long.status_code == 400 and "“决定文号”不能超过 200 个字" in long.text
    for page in (short, missing, long):
        assert "Expected" not in page.text and "$." not in page.text and "（错误内容）" not in page.text
        assert "missing required" not in page.text and "（联系方式）" not in page.text
    assert api.status_code == 400 and api.json()["error"]["field"] == "description"
    assert api.json()["error"]["message"] == "“错误内容”至少要填写 4 个字"


def test_a_page_refused_by_the_framework_says_so_in_chinese(wf: Workflow, settings: Settings) -> None:
    """Litestar's own 400s (a form post that is not multipart) show a Chinese page, not its English."""
    with portal_client(settings, wf) as portal:
        page = portal.post("/requests/correction", data={"description": "不是 multipart 的表单"})
        api = portal.post(
            "/api/public/v1/requests/correction", content=b"{", headers={"content-type": "application/json"}
        )
    assert page.status_code == 400 and "请求参数有误" in page.text
    assert "Invalid" not in page.text and "multipart/form-data" not in page.text
    assert api.status_code == 400 and api.json()["error"]["code"]


def test_forms_without_parameters_and_the_tracking_box(wf: Workflow, settings: Settings) -> None:
    with portal_client(settings, wf) as portal:
        blank = portal.get("/requests/correction")
        assert blank.status_code == 200 and 'name="disclosure_id"' in blank.text
        unknown = portal.get("/requests/correction", params={"disclosure": "gone123"})
        assert 'value="gone123"' in unknown.text
        jump = portal.get(
            "/requests/status", params={"tracking_no": " jc20261125-abc "}, follow_redirects=False
        )
        assert jump.status_code == 303 and jump.headers["location"] == "/requests/JC20261125-ABC"
        assert portal.get("/requests/JC20261125-NOSUCH1").status_code == 404
        assert (
            portal.get("/api/public/v1/requests/GK20261125-NOSUCH1", params={"id_number": "1234"}).status_code
            == 404
        )
