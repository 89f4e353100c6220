"""Compliance rules (记录办法 Art 17, 18, 7–10) as pure functions, and their console pages."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from gongshi.cases.compliance import check
from tests.cases.factories import add_entry, open_case, upload
from tests.factories import token

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def _att(delay_hours: float, *, media: str = "video/mp4", **kw: Any) -> SimpleNamespace:
    fields = {
        "id": 1,
        "entry_id": 1,
        "media_type": media,
        "captured_at": T0,
        "late_reason": None,
        "returned_at": None,
    }
    fields.update(kw)
    return SimpleNamespace(stored_at=T0 + timedelta(hours=delay_hours), **fields)


def _check(**kw: Any) -> Any:
    args: dict[str, Any] = {
        "kind": "penalty",
        "opened_on": date(2026, 11, 2),
        "concluded_on": None,
        "archived_on": None,
        "entry_types": ["source"],
        "attachments": [],
        "today": date(2026, 11, 25),
    }
    args.update(kw)
    return check(**args)


def test_av_within_24_hours_or_justified() -> None:
    assert _check(attachments=[_att(24)]).ok
    late = _check(attachments=[_att(25)])
    assert [i.code for i in late.issues] == ["av_stored_late"]
    assert _check(attachments=[_att(100, media="application/pdf")]).ok  # documents have no 24 h rule
    justified = _check(attachments=[_att(72, late_reason="异地执法")])
    assert justified.ok and justified.justified_late == [1]
    after_return = _att(72, late_reason="异地执法", returned_at=T0 + timedelta(hours=20))
    assert [i.code for i in _check(attachments=[after_return]).issues] == ["av_stored_late_after_return"]


def test_archive_within_30_days_of_conclusion() -> None:
    assert _check(concluded_on=date(2026, 10, 26)).archive_due == date(2026, 11, 25)
    assert not [i for i in _check(concluded_on=date(2026, 10, 26)).issues if i.code == "archive_overdue"]
    overdue = _check(concluded_on=date(2026, 10, 25))
    assert "archive_overdue" in [i.code for i in overdue.issues]
    late = _check(concluded_on=date(2026, 9, 1), archived_on=date(2026, 10, 2))
    assert "archived_late" in [i.code for i in late.issues]


def test_required_entries_by_kind() -> None:
    open_case = _check()
    assert open_case.ok and open_case.still_needed == ["rights_notified", "head_approval", "service"]
    done = _check(concluded_on=date(2026, 11, 20), entry_types=["source", "rights_notified", "head_approval"])
    assert [(i.code, i.missing) for i in done.issues] == [("missing_entries", ["service"])]
    assert _check(kind="other", entry_types=[], concluded_on=date(2026, 11, 20)).issues[0].missing == [
        "source"
    ]


def test_retention_periods() -> None:
    got = _check(archived_on=date(2026, 11, 20), attachments=[_att(1)])
    by = {r.category: r for r in got.retention}
    assert by["case_file"].keep_until == date(2056, 11, 20)
    assert by["audio_video"].years >= 5 and by["audio_video"].keep_until == date(2031, 11, 2)


def _console_login(client: Any, wf: Any, role: str = "head") -> None:
    from gongshi.auth.credentials import create_user
    from gongshi.storage.models import Agency

    with wf.db.write() as session:
        from sqlalchemy import select

        agency = session.scalar(select(Agency).where(Agency.code == "11340100MB0000000X"))
        create_user(session, username=role, password="password-123", role=role, agency=agency)
    r = client.get("/console/login")
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', r.text)
    assert csrf
    r = client.post(
        "/console/login",
        data={"username": role, "password": "password-123"},
        headers={"x-csrftoken": csrf.group(1)},
        follow_redirects=False,
    )
    assert r.status_code in (302, 303), r.text


def test_console_pages(client: Any, wf: Any) -> None:
    h = token(wf, "submitter")
    c = open_case(client, h)
    e = add_entry(client, h, c["id"], "source")
    add_entry(client, h, c["id"], "closure", occurred_at="2026-10-01T10:00:00+08:00")
    att = upload(client, h, c["id"], e["id"], b"video", captured_at="2026-11-20T09:00:00+08:00").json()
    _console_login(client, wf)
    listing = client.get("/console/cases")
    assert listing.status_code == 200 and c["case_number"] in listing.text and "逾期未归档" in listing.text
    page = client.get(f"/console/cases/{c['id']}")
    assert page.status_code == 200
    assert "记录时间线" in page.text and att["sha256"] in page.text and "完好" in page.text
    assert "音像记录超 24 小时存储" not in page.text and "在拍摄后" in page.text
    assert client.get(f"/console/cases/{c['id']}?files=true").status_code == 200
    file = client.get(f"/console/cases/{c['id']}/entries/{e['id']}/attachments/{att['id']}")
    assert file.status_code == 200 and file.content == b"video"
    assert "未找到案卷" in client.get(f"/console/cases/{c['id'] + 100}").text
    report = client.get("/console/cases/report")
    assert report.status_code == 200 and "合规报告" in report.text
    # The token of the signed-in session, from any of its pages.
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', report.text)
    assert csrf
    released = client.post(
        f"/console/cases/{c['id']}/release",
        data={"recipient_kind": "outside_body", "recipient": "市司法局", "purpose": "案卷评查"},
        headers={"x-csrftoken": csrf.group(1)},
    )
    assert released.status_code == 200 and "对外提供版本" in released.text
