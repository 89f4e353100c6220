"""verify detects changes made behind the application's back: rows, chain events, files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.cases.factories import add_entry, open_case, upload
from tests.factories import token


@pytest.fixture
def recorded(client: Any, wf: Any) -> dict[str, Any]:
    h = token(wf, "submitter")
    c = open_case(client, h)
    entries = [add_entry(client, h, c["id"], kind) for kind in ("source", "rights_notified", "head_approval")]
    att = upload(client, h, c["id"], entries[1]["id"], b"video-bytes").json()
    return {"h": h, "case": c, "entries": entries, "att": att}


def _verify(client: Any, r: dict[str, Any], query: str = "") -> dict[str, Any]:
    got = client.get(f"/api/v1/cases/{r['case']['id']}/verify{query}", headers=r["h"])
    assert got.status_code == 200
    out: dict[str, Any] = got.json()
    return out


def _sql(wf: Any, statement: str, **params: Any) -> None:
    with wf.db.engine.begin() as conn:
        conn.execute(text(statement), params)


def test_untouched_record_is_intact(client: Any, recorded: dict[str, Any]) -> None:
    out = _verify(client, recorded)
    assert out["intact"] is True and out["first_bad_entry"] is None and out["problems"] == []
    assert (out["entries"], out["attachments"], out["files_checked"]) == (3, 1, 1)
    assert _verify(client, recorded, "?files=false")["files_checked"] is None


def test_edited_entry_body(client: Any, wf: Any, recorded: dict[str, Any]) -> None:
    second = recorded["entries"][1]["id"]
    _sql(wf, "UPDATE case_entries SET body = :b WHERE id = :id", b=b'{"text":"forged"}', id=second)
    out = _verify(client, recorded)
    assert out["intact"] is False and out["first_bad_entry"] == second
    assert out["problems"][0]["kind"] == "altered"


def test_edited_occurred_at_column(client: Any, wf: Any, recorded: dict[str, Any]) -> None:
    third = recorded["entries"][2]["id"]
    _sql(
        wf, "UPDATE case_entries SET occurred_at = occurred_at - interval '1 day' WHERE id = :id", id=third
    ) if (not wf.db.is_sqlite) else _sql(
        wf, "UPDATE case_entries SET occurred_at = '2020-01-01 00:00:00' WHERE id = :id", id=third
    )
    assert _verify(client, recorded, "?files=false")["first_bad_entry"] == third


def test_deleted_entry(client: Any, wf: Any, recorded: dict[str, Any]) -> None:
    first = recorded["entries"][0]["id"]
    _sql(wf, "DELETE FROM case_entries WHERE id = :id", id=first)
    out = _verify(client, recorded)
    assert out["first_bad_entry"] == first and out["problems"][0]["kind"] == "deleted"


def test_deleted_entry_with_its_event(client: Any, wf: Any, recorded: dict[str, Any]) -> None:
    last = recorded["entries"][2]["id"]
    case_id = recorded["case"]["id"]
    # Remove the last entry and the event that announced it: the case's chain head notices.
    _sql(
        wf,
        "DELETE FROM audit_events WHERE subject_type = 'case' AND subject_id = :c AND seq = "
        "(SELECT max(seq) FROM audit_events WHERE subject_type = 'case' AND subject_id = :c)",
        c=case_id,
    )
    out = _verify(client, recorded, "?files=false")
    assert out["intact"] is False and out["problems"][0]["kind"] == "chain_broken"
    _sql(wf, "DELETE FROM case_attachments WHERE entry_id = :id", id=last)
    assert _verify(client, recorded, "?files=false")["intact"] is False


def test_inserted_entry(client: Any, wf: Any, recorded: dict[str, Any]) -> None:
    case_id = recorded["case"]["id"]
    _sql(
        wf,
        "INSERT INTO case_entries (case_id, stage, type, occurred_at, body, recorded_at, recorded_by) "
        "VALUES (:c, 'decision', 'legal_review', :t, :b, :t, 'token:1')",
        c=case_id,
        t="2026-11-03 00:00:00",
        b=b"{}",
    )
    out = _verify(client, recorded)
    assert out["intact"] is False and out["problems"][0]["kind"] == "inserted"
    assert out["first_bad_entry"] == recorded["entries"][2]["id"] + 1


def test_edited_case_and_attachment_rows(client: Any, wf: Any, recorded: dict[str, Any]) -> None:
    _sql(wf, "UPDATE case_attachments SET captured_at = stored_at WHERE id = :id", id=recorded["att"]["id"])
    out = _verify(client, recorded, "?files=false")
    assert out["first_bad_entry"] == recorded["entries"][1]["id"]
    assert out["problems"][0]["attachment_id"] == recorded["att"]["id"]
    _sql(wf, "UPDATE cases SET kind = 'inspection' WHERE id = :id", id=recorded["case"]["id"])
    kinds = {p["kind"] for p in _verify(client, recorded, "?files=false")["problems"]}
    assert kinds == {"altered"} and len(_verify(client, recorded, "?files=false")["problems"]) == 2


def test_changed_or_missing_file(client: Any, settings: Any, recorded: dict[str, Any]) -> None:
    sha = recorded["att"]["sha256"]
    path = Path(settings.data_dir) / "attachments" / sha[:2] / sha[2:4] / sha
    path.chmod(0o644)
    path.write_bytes(b"video-bytez")
    assert _verify(client, recorded, "?files=false")["intact"] is True  # quick mode skips files
    out = _verify(client, recorded)
    assert out["intact"] is False and out["problems"][0]["kind"] == "file_altered"
    assert out["first_bad_entry"] == recorded["entries"][1]["id"]
    path.unlink()
    assert _verify(client, recorded)["problems"][0]["kind"] == "file_missing"


def test_edited_chain_event(client: Any, wf: Any, recorded: dict[str, Any]) -> None:
    _sql(
        wf,
        "UPDATE audit_events SET actor = 'user:mallory' "
        "WHERE subject_type = 'case' AND subject_id = :c AND seq = 3",
        c=recorded["case"]["id"],
    )
    out = _verify(client, recorded, "?files=false")
    assert out["intact"] is False and out["problems"][0] == {
        "kind": "chain_broken",
        "message": "审计链在第 3 个事件处断开（事件被修改、删除或插入）",
        "event_seq": 3,
    }
    assert out["first_bad_entry"] == recorded["entries"][1]["id"]


def test_edited_archive_date(client: Any, wf: Any, recorded: dict[str, Any]) -> None:
    # Hiding an overdue archive by writing the date straight into the case row.
    _sql(wf, "UPDATE cases SET archived_on = '2026-11-20' WHERE id = :id", id=recorded["case"]["id"])
    out = _verify(client, recorded, "?files=false")
    assert out["intact"] is False and "归档日期" in out["problems"][0]["message"]
