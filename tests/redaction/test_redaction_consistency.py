"""Engine and leak gate agree: what redaction publishes passes a gate built in a fresh process."""

from __future__ import annotations

import msgspec
import pytest

from gongshi.demo.corpus import generate
from gongshi.domain.intake import AgencyRef, Intake, Party, Person
from gongshi.redaction import LeakGate, Policy, as_builtins, redact
from gongshi.redaction import protected as protected_mod
from tests.redaction.test_redaction_engine import ORG, make


def _fresh_gate(intake: Intake, policy: Policy | None = None) -> LeakGate:
    """The gate the publisher builds in another process: nothing remembered from the redaction."""
    protected_mod.forget()
    return LeakGate.for_intake(intake, policy or Policy())


def _published_bytes(intake: Intake, policy: Policy | None = None) -> bytes:
    # Exactly as gongshi.publication.records stores and gates it.
    return msgspec.json.encode(as_builtins(redact(intake, policy or Policy()))["public"])


def test_corpus_output_passes_a_fresh_gate() -> None:
    blocked = []
    for case in generate(160, seed=7):
        if case.expected_status != "publishable":
            continue
        data = _published_bytes(case.intake)
        hits = _fresh_gate(case.intake).scan(data)
        if hits:
            text = data.decode()
            blocked.append((case.intake.source_id, [text[h.start - 8 : h.end + 4] for h in hits]))
    assert blocked == []


def test_job_titles_are_not_names_for_the_gate() -> None:
    # The old gate guessed names after 雇佣的/聘用的 on its own and blocked "司机", "人雇".
    facts = "黄立新（男）系当事人雇佣的司机，对上述事实供认不讳。李娜系当事人聘用的厨师。"
    intake = make(facts)
    data = _published_bytes(intake)
    assert "黄立新" not in data.decode() and "李娜" not in data.decode()
    assert _fresh_gate(intake).scan(data) == []


def test_fresh_gate_still_knows_the_names_redaction_masks() -> None:
    facts = "现场负责人徐海燕称，上述水饺系厨师马俊杰采购。次日，徐海燕再次到店。"
    intake = make(facts)
    gate = _fresh_gate(intake)
    for leak in ("徐海燕", "马俊杰", "徐 海 燕", "马\u3000俊杰"):
        assert any(h.rule == "name" for h in gate.scan(f"经查，{leak}到场。")), leak
    assert gate.scan(_published_bytes(intake)) == []


def test_name_inside_a_published_string_is_no_leak() -> None:
    party = Party(
        kind="legal_person",
        name="合肥王建商贸有限公司",
        id_type="uscc",
        id_number="91340100MA2MTJ5P8Q",
        legal_representative="周德明",
        address="合肥市蜀山区黄山路268号",
    )
    intake = make("证人王建证实，当事人合肥王建商贸有限公司销售过期食品。", party=party)
    data = _published_bytes(intake)
    public = msgspec.json.decode(data)
    assert "王建证实" not in public["facts"] and "合肥王建商贸有限公司" in public["facts"]
    assert _fresh_gate(intake).scan(data) == []
    # …but the same name outside the party's name still blocks.
    assert _fresh_gate(intake).scan("证人王建证实。".encode())


def test_spaced_name_is_masked_like_the_gate_compares() -> None:
    intake = make("证人李娜证实当事人销售过期食品。经复核，李 娜再次确认。")
    out = redact(intake).public.facts
    assert "李 娜" not in out and "李娜" not in out
    assert _fresh_gate(intake).scan(_published_bytes(intake)) == []


def test_officers_kept_by_policy_pass_a_fresh_gate() -> None:
    policy = Policy(keep_officer_names=True)
    intake = make(
        "执法人员邓志刚、何丽萍出示执法证件，证人王晓红在场。",
        persons=[Person(name="邓志刚", role="officer")],
    )
    data = _published_bytes(intake, policy)
    assert "邓志刚" in data.decode() and "王晓红" not in data.decode()
    assert _fresh_gate(intake, policy).scan(data) == []
    assert _fresh_gate(intake).scan(data)  # under the default policy the officers' names are leaks


def test_minor_party_override_hides_the_party_for_the_gate() -> None:
    party = Party(kind="natural_person", name="孙小雨", id_type="resident_id", id_number="340104201001012310")
    intake = make("当事人孙小雨无证经营。", party=party, title="行政处罚决定书")
    policy = Policy(minor_override=True)
    data = _published_bytes(intake, policy)
    assert "孙小雨" not in data.decode()
    assert _fresh_gate(intake, policy).scan(data) == []
    assert _fresh_gate(intake, policy).scan("孙小雨".encode())


@pytest.mark.parametrize("agency_name", ["合肥市市场监督管理局", "合肥市王建路街道办事处"])
def test_agency_name_never_blocks(agency_name: str) -> None:
    intake = msgspec.structs.replace(
        make("证人王建证实。", party=ORG), agency=AgencyRef(code="11340100MB0000000X", name=agency_name)
    )
    assert _fresh_gate(intake).scan(_published_bytes(intake)) == []
