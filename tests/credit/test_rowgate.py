"""The export's two-stage leak gate gives the full gate's verdict on every row, clean or not."""

from __future__ import annotations

import msgspec

from gongshi.credit.rowgate import leaked_columns
from gongshi.demo.corpus import demo_intakes
from gongshi.domain.intake import Intake
from gongshi.redaction import LeakGate, Policy, redact

POLICY = Policy()
KEYS = ["violation_type", "facts", "legal_basis", "result"]


def _full_gate(intake: Intake, names: tuple[str, ...], row: dict[str, str]) -> list[str]:
    """What the export did before: the full gate (published strings included) on every row."""
    gate = LeakGate.for_intake(msgspec.structs.replace(intake, full_text=None), POLICY, names=names)
    present = [k for k in KEYS if row.get(k)]
    if not gate.scan("\n".join(row[k] for k in present)):
        return []
    return [k for k in present if gate.scan(row[k])] or present[:1]


def _rows(intake: Intake) -> tuple[tuple[str, ...], list[dict[str, str]]]:
    result = redact(intake, POLICY)
    public = result.public
    names = tuple(
        {
            (getattr(intake, s.field) or "")[s.start : s.end]
            for s in result.redactions
            if s.category == "name" and isinstance(getattr(intake, s.field, None), str)
        }
    )
    clean = {
        "violation_type": (intake.penalty.violation_type or "") if intake.penalty else "",
        "facts": public.facts or "",
        "legal_basis": public.legal_basis or "",
        "result": public.result or "",
    }
    rows = [clean]
    party = intake.party
    if party.phone:
        rows.append({**clean, "result": f"{clean['result']}联系人电话{party.phone}"})
    if party.id_number and party.id_type != "uscc":
        rows.append({**clean, "facts": f"{clean['facts']}身份证号{party.id_number}"})
    rows += [{**clean, "facts": f"{clean['facts']}证人{n}在场。"} for n in names[:2]]
    # A landline the agency gives as its public contact: the cheap stage sees a phone, the full one
    # knows it is published on purpose.
    rows.append({**clean, "result": f"{clean['result']}举报电话：0551-65521234。"})
    return names, rows


def test_two_stages_agree_with_the_full_gate_on_demo_decisions() -> None:
    seen = {"clean": 0, "leak": 0}
    for intake in demo_intakes(80, seed=11):
        intake = msgspec.structs.replace(intake, result=(intake.result or "") + "（举报电话：0551-65521234）")
        names, rows = _rows(intake)
        for row in rows:
            expected = _full_gate(intake, names, row)
            assert leaked_columns(intake, POLICY, names, row, KEYS) == expected, (intake.source_id, row)
            seen["leak" if expected else "clean"] += 1
    assert seen["clean"] > 50 and seen["leak"] > 50, seen


def test_a_public_phone_passes_the_second_stage() -> None:
    [intake] = demo_intakes(1, seed=3)
    intake = msgspec.structs.replace(intake, result="罚款五千元。举报电话：0551-65521234。")
    row = {"facts": "经查，当事人销售过期食品。", "result": "罚款五千元。举报电话：0551-65521234。"}
    # The cheap stage alone would stop the row; the full gate knows the landline is public.
    assert LeakGate(names=()).scan(row["result"])
    assert leaked_columns(intake, POLICY, (), row, ["facts", "result"]) == []
    leaky = {**row, "facts": f"经查，当事人电话{intake.party.phone or '13805512345'}。"}
    assert leaked_columns(intake, POLICY, (), leaky, ["facts", "result"]) == ["facts"]
