"""The plan of one demo case: the steps an agency's case system records, stage by stage, each at its time.

`index` (the case's position among the demo cases) selects the deliberate problems a few cases have.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.cases.entries import (
    CaseIn,
    CaseSource,
    Officer,
    PersonRef,
)
from gongshi.demo.case_decision import (
    closure_and_archive,
    performance,
    proposal_and_notice,
    review_and_approval,
    service,
)
from gongshi.demo.case_investigation import evidence, initiation, inquiry, inspection
from gongshi.demo.case_scenarios import DEFAULT_SCENARIO, SCENARIOS
from gongshi.demo.case_steps import CaseFacts, Plan, at
from gongshi.demo.stories import DEMO_AGENCIES
from gongshi.domain.intake import Intake, Party, decode_intake
from gongshi.storage.models import Agency, Decision
from gongshi.storage.portal_models import AgencyOfficer

# Short names used in case and document numbers (合市监立〔2026〕12号).
_ABBREV = {a.name: a.abbrev for a in DEMO_AGENCIES}


def _officers(session: Session, agency_id: int, day: date, rng: random.Random) -> list[Officer]:
    rows = session.scalars(
        select(AgencyOfficer)
        .where(AgencyOfficer.agency_id == agency_id, AgencyOfficer.role == "officer")
        .order_by(AgencyOfficer.position)
    ).all()
    valid = [o for o in rows if o.valid_from <= day <= o.valid_until] or list(rows)
    pair = rng.sample(valid, 2) if len(valid) >= 2 else valid
    if not pair:
        return [
            Officer(name="王建国", certificate_number=None),
            Officer(name="李敏", certificate_number=None),
        ]
    return [Officer(name=o.name, certificate_number=o.certificate_number) for o in pair]


def _speaker(party: Party) -> PersonRef:
    """Who answers for the party: a firm's legal representative, or the person."""
    return PersonRef(
        name=(party.legal_representative or party.name) if party.kind != "natural_person" else party.name,
        role="party",
        phone=party.phone,
    )


def plan_case(session: Session, decision: Decision, index: int, rng: random.Random) -> Plan:
    """The case behind one decision; `index` selects the deliberate problems of a few cases.

    The stages run in this order because each draws from `rng` in turn: same seed, same case.
    """
    intake: Intake = decode_intake(decision.intake)
    agency = session.get(Agency, decision.agency_id)
    assert agency is not None
    scenario = next((v for k, v in SCENARIOS.items() if agency.name.endswith(k)), DEFAULT_SCENARIO)
    party = intake.party
    fine = intake.penalty.fine_yuan if intake.penalty else None
    opened = intake.decided_on - timedelta(days=rng.randint(35, 55))
    abbrev = _ABBREV.get(agency.name, agency.name[:1] + "执")
    case_number = f"{abbrev}立〔{opened.year}〕{rng.randint(10, 399)}号"
    source_type, channel, source_detail = rng.choice(scenario.sources)
    officers = _officers(session, decision.agency_id, opened, rng)
    c = CaseFacts(
        decision=decision,
        intake=intake,
        agency=agency,
        index=index,
        rng=rng,
        abbrev=abbrev,
        scenario=scenario,
        head=(agency.profile or {}).get("head") or "机关负责人",
        fine=fine,
        serious=fine is not None and fine >= Decimal(100000),
        opened=opened,
        case_number=case_number,
        channel=channel,
        source_detail=source_detail,
        officers=officers,
        names="、".join(f"{o.name}（执法证号 {o.certificate_number}）" for o in officers),
        finding=rng.choice(scenario.findings),
        place=party.address or "当事人经营场所",
        speaker=_speaker(party),
    )
    initiation(c)
    inspection(c)
    inq_day = inquiry(c)
    evidence(c, inq_day)
    proposal_and_notice(c)
    review_and_approval(c)
    served = service(c)
    paid = performance(c, served)
    if paid is not None:
        closure_and_archive(c, paid)
    return Plan(
        case_in=CaseIn(
            agency=intake.agency,
            case_number=case_number,
            kind="penalty",
            party=party,
            opened_on=opened,
            source=CaseSource(type=source_type, detail=source_detail),  # type: ignore[arg-type]
        ),
        opened_at=at(opened, 10, 5),
        steps=c.steps,
    )
