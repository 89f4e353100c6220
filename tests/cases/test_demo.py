"""The demo case records `gongshi demo load` adds: intact, flagged where meant to be, loaded once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from gongshi.demo import demo_token, load_demo
from gongshi.settings import Settings
from gongshi.storage.case_models import Case, CaseAttachment, CaseDecision, CaseEntry
from gongshi.storage.models import AuditEvent, Decision


def _counts(wf: Any) -> dict[str, int]:
    with wf.db.read() as s:
        return {
            model.__tablename__: s.scalar(select(func.count()).select_from(model)) or 0
            for model in (Case, CaseEntry, CaseAttachment, CaseDecision, AuditEvent)
        }


def test_demo_cases_are_intact_flagged_and_loaded_once(settings: Settings, wf: Any, client: Any) -> None:
    lines = list(load_demo(settings))
    assert any(line.startswith("demo cases: ") for line in lines), lines
    h = {"Authorization": f"Bearer {demo_token(settings, 'admin')}"}

    items = client.get("/api/v1/cases", headers=h).json()["items"]
    assert 10 <= len(items) <= 15
    issues: set[str] = set()
    justified = 0
    for item in items:
        issues.update(i["code"] for i in item["compliance"]["issues"])
        justified += len(item["compliance"]["justified_late"])
        v = client.get(f"/api/v1/cases/{item['id']}/verify", headers=h).json()
        assert v["intact"] and v["problems"] == [] and v["files_checked"] == v["attachments"] > 0, v

        case = client.get(f"/api/v1/cases/{item['id']}", headers=h).json()
        assert case["kind"] == "penalty"
        stages = {e["stage"] for e in case["entries"]}
        assert {"initiation", "investigation", "decision", "service"} <= stages
        # Linked to its decision, which belongs to the same agency and party.
        [link] = case["decisions"]
        with wf.db.read() as s:
            decision = s.get(Decision, link["decision_id"])
            assert decision is not None and decision.kind == "penalty"
            assert decision.state in ("published", "in_review")
            assert decision.document_number == link["document_number"]
        inspection = next(e for e in case["entries"] if e["type"] == "inspection")
        assert all(o["certificate_number"] for o in inspection["record"]["officers"])
        for entry in case["entries"]:
            for att in entry["attachments"]:
                assert att["captured_at"] < att["stored_at"]
                got = client.get(att["url"], headers=h)
                assert got.status_code == 200 and len(got.content) == att["size"]
                if att["media_type"] == "image/png":
                    assert got.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert {"av_stored_late", "missing_entries", "archive_overdue"} <= issues
    assert justified >= 1
    missing = [i for item in items for i in item["compliance"]["issues"] if i["code"] == "missing_entries"]
    assert ["service"] in [i["missing"] for i in missing]

    before = _counts(wf)
    again = list(load_demo(settings))
    assert any("demo cases already loaded" in line for line in again), again
    assert _counts(wf) == before
