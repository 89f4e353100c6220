"""Second review (issue 11): the agency's rule, the state it leads to, who may act there, the API shape."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from gongshi.core.context import Workflow
from gongshi.domain.intake import Intake
from gongshi.publication import second_review as sr
from gongshi.redaction import edits as ed
from gongshi.storage.models import AuditEvent, Decision
from gongshi.worker import run_once
from tests.factories import AGENCY_A, AGENCY_B, intake, token

PERSON = {
    "kind": "natural_person",
    "name": "张建国",
    "id_type": "resident_id",
    "id_number": "340104198501011234",
}
NOTHING = sr.SecondReviewRule(unmasks=False, kept_doubts=False, natural_person=False, sample_percent=0)


def _decision(decision_id: int = 1, edits: list[ed.Edit] | None = None, doubts: Any = ()) -> Decision:
    return Decision(id=decision_id, redaction_edits=ed.dump(edits or []), redaction={"doubts": list(doubts)})


def _intake(**overrides: Any) -> Intake:
    return msgspec.convert(intake(**overrides), Intake)


# The rule, on its own.


def test_the_default_rule_asks_for_unmasks_kept_doubts_and_natural_persons_but_samples_none() -> None:
    assert (
        sr.SecondReviewRule(unmasks=True, kept_doubts=True, natural_person=True, sample_percent=0)
        == sr.DEFAULT
    )
    assert sr.rule_of(None) == sr.DEFAULT
    assert sr.reasons(sr.DEFAULT, _decision(), "legal_person") == []


def test_each_trigger_alone() -> None:
    unmask = ed.Unmask(key="王庄", reason="村名")
    unticked = ed.Mask(text="小明", category="name", skip=[ed.MentionRef(field="facts", start=3)])
    plain_mask = ed.Mask(text="小明", category="name")
    kept, masked = {"id": "q1", "status": "kept"}, {"id": "q2", "status": "masked"}
    company = _intake().party.kind
    assert sr.reasons(sr.DEFAULT, _decision(edits=[unmask]), company) == ["unmasks"]
    # Unticking an occurrence of a masked string publishes it there: that counts as an unmask.
    assert sr.reasons(sr.DEFAULT, _decision(edits=[unticked]), company) == ["unmasks"]
    assert sr.reasons(sr.DEFAULT, _decision(edits=[plain_mask]), company) == []
    assert sr.reasons(sr.DEFAULT, _decision(doubts=[kept]), company) == ["kept_doubts"]
    assert sr.reasons(sr.DEFAULT, _decision(doubts=[masked]), company) == []
    assert sr.reasons(sr.DEFAULT, _decision(), "natural_person") == ["natural_person"]
    everything = _decision(edits=[unmask], doubts=[kept])
    assert sr.reasons(sr.DEFAULT, everything, "natural_person") == [
        "unmasks",
        "kept_doubts",
        "natural_person",
    ]
    # A trigger switched off is not a reason.
    assert sr.reasons(NOTHING, everything, "natural_person") == []
    # The review page reads the party's kind without decoding the whole intake.
    assert sr.party_kind(Decision(intake=msgspec.json.encode(intake(party=PERSON)))) == "natural_person"
    assert sr.party_kind(Decision(intake=msgspec.json.encode(intake()))) == "legal_person"


def test_the_sample_is_deterministic_and_about_the_share_asked_for() -> None:
    drawn = [i for i in range(1, 10_001) if sr.sampled(i, 10)]
    assert drawn == [i for i in range(1, 10_001) if sr.sampled(i, 10)]  # a re-run agrees
    assert 900 <= len(drawn) <= 1100
    assert not any(sr.sampled(i, 0) for i in range(1, 1000))
    assert all(sr.sampled(i, 100) for i in range(1, 1000))
    # A larger share draws every decision a smaller one drew.
    assert set(drawn) <= {i for i in range(1, 10_001) if sr.sampled(i, 20)}
    rule = msgspec.structs.replace(NOTHING, sample_percent=10)
    assert sr.reasons(rule, _decision(drawn[0]), "legal_person") == ["sample"]
    assert sr.reasons(rule, _decision(next(i for i in range(1, 100) if i not in drawn)), "legal_person") == []


def test_a_rule_outside_its_range_or_with_a_typo_is_refused() -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"sample_percent": 101}, sr.SecondReviewRule)
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"natural_persons": False}, sr.SecondReviewRule)


# Through the API.


def _in_review(client: Any, wf: Workflow, **overrides: Any) -> int:
    body = intake(**overrides)
    decision_id: int = client.post("/api/v1/decisions", json=body, headers=token(wf, "submitter")).json()[
        "id"
    ]
    run_once(wf)
    return decision_id


def _approve(client: Any, decision_id: int, who: dict[str, str], **body: Any) -> Any:
    return client.post(f"/api/v1/decisions/{decision_id}/approve", json=body, headers=who)


def test_a_natural_person_needs_a_second_reviewer(client: Any, wf: Workflow) -> None:
    first, other = token(wf, "reviewer"), token(wf, "reviewer")
    decision_id = _in_review(client, wf, party=PERSON)
    before = client.get(f"/api/v1/decisions/{decision_id}", headers=first).json()
    # In review, the record says what approving will do.
    assert before["second_review"] == {
        "required": True,
        "pending": False,
        "reasons": ["natural_person"],
        "reason_labels": ["当事人为自然人"],
        "first_reviewer": None,
        "first_reviewer_name": None,
        "first_approved_at": None,
        "second_reviewer": None,
        "second_reviewer_name": None,
        "second_approved_at": None,
    }
    once = _approve(client, decision_id, first, note="初审同意")
    assert once.status_code == 200, once.text
    record = once.json()
    assert (record["state"], record["state_label"]) == ("second_review", "待复核")
    block = record["second_review"]
    assert block["required"] and block["pending"] and block["reasons"] == ["natural_person"]
    assert block["first_reviewer"].startswith("token:") and block["first_approved_at"]
    assert record["approved_at"] is None
    # Nothing is published while the second review is pending.
    assert run_once(wf)["published"] == 0
    # The same person cannot be the second reviewer.
    same = _approve(client, decision_id, first)
    assert same.status_code == 403
    assert same.json()["error"]["code"] == "same_reviewer"
    assert "复核须由另一名审核人完成" in same.json()["error"]["message"]
    twice = _approve(client, decision_id, other, note="复核同意")
    assert twice.status_code == 200, twice.text
    done = twice.json()
    assert done["state"] == "approved" and done["approved_at"]
    assert done["second_review"]["pending"] is False
    assert done["second_review"]["second_reviewer"] not in (None, block["first_reviewer"])
    assert run_once(wf)["published"] == 1
    actions = [
        e["action"]
        for e in client.get(f"/api/v1/decisions/{decision_id}/audit", headers=first).json()["events"]
    ]
    assert actions == ["receive", "redacted", "approve_first", "approve_second", "publish"]


def test_a_decision_the_rule_does_not_flag_is_approved_at_once(client: Any, wf: Workflow) -> None:
    rev = token(wf, "reviewer")
    decision_id = _in_review(client, wf)
    record = client.get(f"/api/v1/decisions/{decision_id}", headers=rev).json()
    assert record["second_review"]["required"] is False and record["second_review"]["reasons"] == []
    assert _approve(client, decision_id, rev).json()["state"] == "approved"


def test_send_back_withhold_and_return_from_second_review(client: Any, wf: Workflow) -> None:
    first, other = token(wf, "reviewer"), token(wf, "reviewer")
    ids = [
        _in_review(
            client, wf, party=PERSON, source_id=f"SR-{i}", document_number=f"合市监罚〔2026〕{60 + i}号"
        )
        for i in range(3)
    ]
    for decision_id in ids:
        assert _approve(client, decision_id, first).json()["state"] == "second_review"
    back = client.post(f"/api/v1/decisions/{ids[0]}/send-back", json={"note": "文号有误"}, headers=other)
    assert back.json()["state"] == "returned"
    held = client.post(
        f"/api/v1/decisions/{ids[1]}/withhold",
        json={"reason": "privacy_harm", "note": "涉及个人隐私"},
        headers=other,
    )
    assert held.json()["state"] == "withheld"
    # The second reviewer wants the redaction changed: back to review, where edits are possible again.
    reopened = client.post(
        f"/api/v1/decisions/{ids[2]}/return-to-review", json={"note": "还有一处姓名"}, headers=other
    )
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["state"] == "in_review"
    no_reason = client.post(f"/api/v1/decisions/{ids[2]}/return-to-review", json={}, headers=other)
    assert no_reason.status_code == 400
    # Returning needs the second-review state.
    again = client.post(f"/api/v1/decisions/{ids[2]}/return-to-review", json={"note": "再退"}, headers=other)
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_state"
    # Approved again, it asks for a second review again; now the other reviewer was first.
    assert _approve(client, ids[2], other).json()["state"] == "second_review"
    assert _approve(client, ids[2], other).status_code == 403
    assert _approve(client, ids[2], first).json()["state"] == "approved"


def test_the_list_shows_who_must_act_and_filters_by_state(client: Any, wf: Workflow) -> None:
    rev = token(wf, "reviewer")
    waiting = _in_review(client, wf, party=PERSON)
    plain = _in_review(client, wf, source_id="SR-plain", document_number="合市监罚〔2026〕77号")
    _approve(client, waiting, rev)
    listed = client.get("/api/v1/decisions?state=second_review", headers=rev).json()["items"]
    assert [i["id"] for i in listed] == [waiting]
    assert listed[0]["second_review"]["pending"] is True
    assert listed[0]["second_review"]["first_reviewer"].startswith("token:")
    everything = {i["id"]: i for i in client.get("/api/v1/decisions", headers=rev).json()["items"]}
    assert everything[plain]["second_review"] is None


def test_the_rule_is_read_by_anyone_and_set_by_a_head_audited(client: Any, wf: Workflow) -> None:
    code = AGENCY_A["code"]
    rev, head = token(wf, "reviewer"), token(wf, "head")
    url = f"/api/v1/agencies/{code}/second-review"
    read = client.get(url, headers=rev).json()
    assert read["is_default"] is True and read["rule"] == msgspec.to_builtins(sr.DEFAULT)
    assert read["labels"]["unmasks"] == "有审核人取消遮蔽"
    off = {"unmasks": True, "kept_doubts": True, "natural_person": False, "sample_percent": 100}
    assert client.put(url, json=off, headers=rev).status_code == 403
    assert client.put(url, json={"sample_percent": 150}, headers=head).status_code == 400
    assert client.put(url, json={"sample": 5}, headers=head).status_code == 400
    saved = client.put(url, json=off, headers=head)
    assert saved.status_code == 200, saved.text
    assert saved.json()["rule"] == off and saved.json()["is_default"] is False
    assert client.get(url, headers=rev).json()["rule"] == off
    # Another agency's rule is not this head's (404, as for a missing agency).
    token(wf, "reviewer", AGENCY_B)
    assert client.get(f"/api/v1/agencies/{AGENCY_B['code']}/second-review", headers=head).status_code == 404
    with wf.db.read() as s:
        events = s.query(AuditEvent).filter_by(subject_type="agency", action="second_review_rule").all()
    assert len(events) == 1 and events[0].data["after"] == off and events[0].data["before"]["natural_person"]
    # The new rule applies: a natural person is no longer a reason, but every decision is in the sample.
    decision_id = _in_review(client, wf, party=PERSON)
    assert _approve(client, decision_id, rev).json()["second_review"]["reasons"] == ["sample"]
