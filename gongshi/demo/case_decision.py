"""The later stages of a demo case: proposal, rights notice, review, approval, service, payment, closure."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from gongshi.cases.entries import (
    Archive,
    Closure,
    CollectiveDiscussion,
    DecisionRef,
    HeadApproval,
    LegalReview,
    Performance,
    Proposal,
    RightsNotified,
    Service,
)
from gongshi.demo.case_scenarios import SERVICE_METHODS, STATEMENTS
from gongshi.demo.case_steps import CaseFacts, Step, at


def proposal_and_notice(c: CaseFacts) -> None:
    """调查终结, 告知: the handling proposal and the notice of the party's rights."""
    rng, intake, decided, finding, index = c.rng, c.intake, c.intake.decided_on, c.finding, c.index
    serious, fine, officers, abbrev, year = c.serious, c.fine, c.officers, c.abbrev, c.year
    add = c.steps.append
    basis = intake.legal_basis or "依据有关法律、法规的规定。"
    prop_day = decided - timedelta(days=rng.randint(14, 18))
    add(
        Step(
            at=at(prop_day, 16, 0),
            entry=Proposal(
                stage="decision",
                occurred_at=at(prop_day, 15, 0),
                text="调查终结，承办人提出处理建议，报审核。",
                facts=f"经查，{finding}",
                evidence="现场检查笔录、询问笔录、现场照片及证据提取单等证据，能够相互印证。",
                legal_basis=basis,
                discretion="当事人违法行为情节一般，积极配合调查，依据本机关行政处罚裁量基准在法定幅度内处罚。",
            ),
        )
    )
    notice_day = prop_day + timedelta(days=2)
    rights = ["statement", "defence", "hearing"] if serious or fine else ["statement", "defence"]
    statement = STATEMENTS[2] if index == 4 else rng.choice(STATEMENTS[:2])
    add(
        Step(
            at=at(notice_day + timedelta(days=3), 17, 0),
            key="rights",
            entry=RightsNotified(
                stage="investigation",
                occurred_at=at(notice_day, 10, 30),
                text="向当事人送达《行政处罚告知书》，告知拟作出的行政处罚内容及事实、理由、依据，"
                "并告知其依法享有陈述、申辩" + ("、要求听证" if "hearing" in rights else "") + "的权利。",
                officers=officers,
                rights=rights,  # type: ignore[arg-type]
                method="直接送达《行政处罚告知书》",
                party_statement=statement,
                hearing_requested=False if "hearing" in rights else None,
                document_number=f"{abbrev}罚告〔{year}〕{rng.randint(10, 399)}号",
            ),
        )
    )


def review_and_approval(c: CaseFacts) -> None:
    """审查决定: legal review, collective discussion when serious, approval, then the decision linked."""
    rng, intake, decided, agency, index = c.rng, c.intake, c.intake.decided_on, c.agency, c.index
    serious, head, result, decision = c.serious, c.head, c.result, c.decision
    add = c.steps.append
    review_day = decided - timedelta(days=rng.randint(3, 5))
    add(
        Step(
            at=at(review_day, 16, 30),
            entry=LegalReview(
                stage="decision",
                occurred_at=at(review_day, 15, 0),
                text="法制审核机构对案件进行法制审核。",
                reviewer=f"{agency.name}法规科",
                opinion="执法主体合法，案件事实清楚，证据确凿，适用依据正确，程序合法，处罚适当，同意承办机构意见。",
                passed=True,
            ),
        )
    )
    if serious:
        disc_day = decided - timedelta(days=1)
        add(
            Step(
                at=at(disc_day, 17, 30),
                entry=CollectiveDiscussion(
                    stage="decision",
                    occurred_at=at(disc_day, 15, 0),
                    text="案件属于情节复杂、重大违法行为给予较重行政处罚，提交机关负责人集体讨论。",
                    participants=[head, "分管负责人", "法规科负责人", "承办机构负责人"],
                    conclusion=f"同意承办机构处理意见：{result}",
                ),
            )
        )
    add(
        Step(
            at=at(decided, 11, 0),
            entry=HeadApproval(
                stage="decision",
                occurred_at=at(decided, 10, 0),
                text=f"机关负责人审批，作出行政处罚决定：{result}",
                approver=head,
                opinion="同意。",
                approved=True,
                document_number=intake.document_number,
            ),
        )
    )
    # The decision exists now: link it, by id or (as some agency systems do) by its document number.
    ref = (
        DecisionRef(decision_id=decision.id, document_number=decision.document_number)
        if index % 2 == 0
        else DecisionRef(document_number=decision.document_number)
    )
    add(Step(at=at(decided, 11, 30), link=ref))


def service(c: CaseFacts) -> date:
    """送达: the decision served (no record of it in case 1); returns the day it was served."""
    rng, intake, decided, index = c.rng, c.intake, c.intake.decided_on, c.index
    officers, speaker = c.officers, c.speaker
    add = c.steps.append
    served = intake.served_on or decided + timedelta(days=rng.randint(1, 3))
    method, how = SERVICE_METHODS[index % len(SERVICE_METHODS)]
    if index != 1:  # Deliberate problem: case 1 is concluded without a record of service.
        add(
            Step(
                at=at(served, 16, 0),
                entry=Service(
                    stage="service",
                    occurred_at=at(served, 10, 0),
                    text=f"送达《行政处罚决定书》（{intake.document_number}）。{how}",
                    officers=officers,
                    method=method,  # type: ignore[arg-type]
                    document=f"行政处罚决定书 {intake.document_number}",
                    recipient=speaker,
                ),
            )
        )
    return served


def performance(c: CaseFacts, served: date) -> date | None:
    """The fine paid in full, or (case 4) in instalments; returns the day of full payment or None."""
    rng, index, fine = c.rng, c.index, c.fine
    add = c.steps.append
    paid = served + timedelta(days=rng.randint(5, 14))
    if index == 4:
        # Still running: the party pays in instalments, so the case is not concluded yet.
        add(
            Step(
                at=at(paid, 16, 0),
                entry=Performance(
                    stage="service",
                    occurred_at=at(paid, 9, 0),
                    text="经当事人申请、机关负责人批准，罚款分三期缴纳，已缴纳第一期。",
                    status="instalments",
                    amount_yuan=str((fine / 3).quantize(Decimal("0.01"))) if fine else None,
                ),
            )
        )
        return None
    add(
        Step(
            at=at(paid, 16, 0),
            entry=Performance(
                stage="service",
                occurred_at=at(paid, 9, 0),
                text=f"当事人已通过非税收入缴款系统足额缴纳罚款{fine}元，并已改正违法行为。"
                if fine
                else "当事人已履行处罚决定并改正违法行为。",
                status="full",
                amount_yuan=str(fine) if fine else None,
            ),
        )
    )
    return paid


def closure_and_archive(c: CaseFacts, paid: date) -> None:
    """The case concluded and archived (case 2: concluded long ago and never archived)."""
    rng, index, abbrev, agency = c.rng, c.index, c.abbrev, c.agency
    add = c.steps.append
    closed = paid + timedelta(days=rng.randint(2, 5))
    add(
        Step(
            at=at(closed, 17, 0),
            entry=Closure(
                stage="service",
                occurred_at=at(closed, 16, 0),
                text="当事人已全部履行行政处罚决定，承办人提出结案意见，经批准结案。",
            ),
        )
    )
    if index == 2:  # Deliberate problem: concluded long ago and never archived.
        return
    archived = closed + timedelta(days=rng.randint(7, 25))
    add(
        Step(
            at=at(archived, 15, 0),
            entry=Archive(
                stage="archive",
                occurred_at=at(archived, 14, 0),
                text="案卷材料整理完毕，按文书档案管理规定立卷归档，音像记录随卷移交。",
                file_number=f"{abbrev}档〔{archived.year}〕{rng.randint(100, 999)}号",
                location=f"{agency.name}档案室",
            ),
        )
    )
