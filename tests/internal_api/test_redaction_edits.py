"""POST /api/v1/decisions/{id}/redactions: the reviewer's edits, their audit, the gate, re-redaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from gongshi.core.context import Workflow
from gongshi.publication import records
from gongshi.storage.models import Decision, Disclosure
from gongshi.worker import run_once
from tests.factories import intake, token
from tests.redaction.test_entities_edits import FACTS


def _in_review(client: Any, wf: Workflow, **overrides: Any) -> int:
    body = intake(**{"facts": FACTS, **overrides})
    decision_id: int = client.post("/api/v1/decisions", json=body, headers=token(wf, "submitter")).json()[
        "id"
    ]
    run_once(wf)
    return decision_id


def _edit(client: Any, decision_id: int, headers: dict[str, str], **body: Any) -> Any:
    return client.post(f"/api/v1/decisions/{decision_id}/redactions", json=body, headers=headers)


def _entity(record: dict[str, Any], text: str) -> dict[str, Any]:
    return next(e for e in record["entities"] if any(m["text"] == text for m in e["mentions"]))


def test_record_has_entities_and_doubts_with_ids(client: Any, wf: Workflow) -> None:
    rev = token(wf, "reviewer")
    record = client.get(f"/api/v1/decisions/{_in_review(client, wf)}", headers=rev).json()
    wang = _entity(record, "王建国")
    assert set(wang) == {"id", "category", "replacement", "source", "mentions"}
    assert wang["source"] == "engine" and len(wang["mentions"]) == 2
    assert set(wang["mentions"][0]) == {"field", "start", "end", "text"}
    assert record["doubts"] and all(q["id"] and q["status"] == "open" for q in record["doubts"])


def test_review_edits_then_publish(client: Any, wf: Workflow) -> None:
    rev = token(wf, "reviewer")
    decision_id = _in_review(client, wf, result="警告，并处罚款5000元。抄送小明。")
    resp = _edit(client, decision_id, rev, action="mask", text="小明", category="name", all_occurrences=True)
    assert resp.status_code == 200, resp.text
    record = resp.json()
    assert "小明" not in record["public"]["facts"] and "小明" not in record["public"]["result"]
    assert _entity(record, "小明")["source"] == "reviewer"
    village = _entity(record, "王庄")
    resp = _edit(
        client, decision_id, rev, action="unmask", entity_id=village["id"], reason="王庄是村名，不是人名"
    )
    assert resp.status_code == 200, resp.text
    assert "前往王庄调查" in resp.json()["public"]["facts"]
    # An identifier needs a head.
    card = _entity(resp.json(), "110101199003077777")
    refused = _edit(client, decision_id, rev, action="unmask", entity_id=card["id"], reason="误判")
    assert refused.status_code == 403
    # Approval waits for the doubts.
    blocked = client.post(f"/api/v1/decisions/{decision_id}/approve", json={}, headers=rev)
    assert blocked.status_code == 409 and blocked.json()["error"]["code"] == "doubts_open"
    for q in resp.json()["doubts"]:
        done = _edit(client, decision_id, rev, action="resolve_doubt", doubt_id=q["id"], resolution="keep")
        assert done.status_code == 200, done.text
    first = client.post(f"/api/v1/decisions/{decision_id}/approve", json={}, headers=rev).json()
    # An unmask and kept doubts: under the default rule another reviewer must approve too.
    assert first["state"] == "second_review"
    assert first["second_review"]["reasons"] == ["unmasks", "kept_doubts"]
    second = client.post(f"/api/v1/decisions/{decision_id}/approve", json={}, headers=token(wf, "reviewer"))
    assert second.json()["state"] == "approved"
    assert run_once(wf)["published"] == 1
    with wf.db.read() as s:
        disclosure = s.scalar(select(Disclosure))
        assert disclosure is not None and disclosure.status == "published"
        assert "小明" not in str(disclosure.record) and "王庄" in disclosure.record["facts"]
    trail = client.get(f"/api/v1/decisions/{decision_id}/audit", headers=rev).json()
    edits = [e for e in trail["events"] if e["action"] == "redaction_edit"]
    assert len(edits) == 2 + len(resp.json()["doubts"]) and trail["intact"]
    assert [a["text"] for a in edits[0]["data"]["added"]] == ["小明", "小明"]
    assert [r["text"] for r in edits[1]["data"]["removed"]] == ["王庄"]
    assert edits[1]["actor"].startswith("token:") and edits[1]["reason"] == "王庄是村名，不是人名"


def test_head_unmasks_an_identifier_and_undo_restores(client: Any, wf: Workflow) -> None:
    head = token(wf, "head")
    decision_id = _in_review(client, wf)
    record = client.get(f"/api/v1/decisions/{decision_id}", headers=head).json()
    card = _entity(record, "110101199003077777")
    resp = _edit(client, decision_id, head, action="unmask", entity_id=card["id"], reason="是许可证号")
    assert resp.status_code == 200 and "110101199003077777" in resp.json()["public"]["facts"]
    undone = _edit(client, decision_id, head, action="undo")
    assert undone.status_code == 200
    assert undone.json()["public"] == record["public"] and undone.json()["redactions"] == record["redactions"]
    assert _edit(client, decision_id, head, action="undo").status_code == 409


def test_recategorise_link_and_one_mention(client: Any, wf: Workflow) -> None:
    rev = token(wf, "reviewer")
    decision_id = _in_review(client, wf, result="警告。建国签收。")
    record = _edit(client, decision_id, rev, action="mask", text="建国", category="name").json()
    # 建国 inside 王建国 is already masked there; the lone 建国 is a new mention.
    short, full = _entity(record, "建国"), _entity(record, "王建国")
    linked = _edit(client, decision_id, rev, action="link", entity_ids=[full["id"], short["id"]]).json()
    wang = _entity(linked, "王建国")
    assert {m["text"] for m in wang["mentions"]} == {"王建国", "建国"}
    assert wang["replacement"] == "王某1" and "王某1签收" in linked["public"]["result"]
    li = _entity(linked, "李四")
    moved = _edit(
        client, decision_id, rev, action="recategorise", entity_id=li["id"], category="other"
    ).json()
    assert _entity(moved, "李四")["category"] == "other"
    second = wang["mentions"][1]
    one = _edit(
        client,
        decision_id,
        rev,
        action="unmask",
        entity_id=wang["id"],
        mention={"field": second["field"], "start": second["start"]},
        reason="此处为公司名称的一部分",
    ).json()
    assert len(_entity(one, "王建国")["mentions"]) == 2
    bad = _edit(client, decision_id, rev, action="recategorise", entity_id=li["id"], category="nonsense")
    assert bad.status_code == 400
    assert (
        _edit(client, decision_id, rev, action="mask", text="不存在的人", category="name").status_code == 400
    )


def test_gate_blocks_a_reviewer_masked_string_in_any_spacing(client: Any, wf: Workflow) -> None:
    rev = token(wf, "reviewer")
    decision_id = _in_review(client, wf)
    _edit(client, decision_id, rev, action="mask", text="小明", category="name")
    with wf.db.write() as s:
        d = s.get(Decision, decision_id)
        assert d is not None and d.redaction is not None
        intake_ = records.stored_intake(d)
        assert records.leak_hits(d, intake_, wf.policy()) == []
        d.redaction = {**d.redaction, "public": {**d.redaction["public"], "result": "抄送小 明"}}
        assert [h["rule"] for h in records.leak_hits(d, intake_, wf.policy())] == ["name"]


def test_rules_changing_reapplies_the_edits(client: Any, wf: Workflow) -> None:
    rev = token(wf, "reviewer")
    decision_id = _in_review(client, wf)
    _edit(client, decision_id, rev, action="mask", text="小明", category="name")
    village = _entity(client.get(f"/api/v1/decisions/{decision_id}", headers=rev).json(), "王庄")
    _edit(client, decision_id, rev, action="unmask", entity_id=village["id"], reason="村名")
    with wf.db.write() as s:
        d = s.get(Decision, decision_id)
        assert d is not None
        before = d.redaction
        records.apply_redaction(d, records.stored_intake(d), wf.policy())
        assert d.redaction == before
        assert "小明" not in d.redaction["public"]["facts"] and "王庄" in d.redaction["public"]["facts"]


def test_edits_only_in_review(client: Any, wf: Workflow) -> None:
    rev = token(wf, "reviewer")
    decision_id = _in_review(client, wf, facts="当事人经营超过保质期的食品。")
    assert client.post(f"/api/v1/decisions/{decision_id}/approve", json={}, headers=rev).status_code == 200
    late = _edit(client, decision_id, rev, action="mask", text="保质期", category="other")
    assert late.status_code == 409
    assert _edit(client, decision_id, token(wf, "submitter"), action="undo").status_code == 403


def test_a_record_redacted_before_entities_existed_can_be_reviewed(client: Any, wf: Workflow) -> None:
    rev = token(wf, "reviewer")
    decision_id = _in_review(client, wf)
    with wf.db.write() as s:
        d = s.get(Decision, decision_id)
        assert d is not None and d.redaction is not None
        old = {k: v for k, v in d.redaction.items() if k not in ("entities", "engine", "reviewer")}
        old["doubts"] = [{k: v for k, v in q.items() if k not in ("id", "status")} for q in old["doubts"]]
        d.redaction = old
    record = client.get(f"/api/v1/decisions/{decision_id}", headers=rev).json()
    assert record["doubts"] and all(q["id"] and q["status"] == "open" for q in record["doubts"])
    for q in record["doubts"]:
        done = _edit(client, decision_id, rev, action="resolve_doubt", doubt_id=q["id"], resolution="keep")
        assert done.status_code == 200, done.text
    assert _entity(done.json(), "王建国")["source"] == "engine"
    assert client.post(f"/api/v1/decisions/{decision_id}/approve", json={}, headers=rev).status_code == 200
