"""Demo case records for `make run`: a dozen full-process records (记录办法) behind penalty decisions.

Each case belongs to a published or in-review penalty decision of a demo agency, and goes through
the stages as an agency's case-handling system would report them: the source and the filing, the
inspection, inquiry and evidence (with the officers and their certificate numbers from the agency
directory), the rights notice, legal review and approval, service, performance, closure and
archiving. A few small attachments are made in memory (a PNG photograph, a WAV recording, a text
record). Some cases have deliberate problems, so the console's compliance flags have something to
show: a recording stored three days after it was made, a concluded case without its service record,
and a case concluded long ago but never archived.

Everything goes through `gongshi.cases.records`, so every row is in the case's audit chain and
`GET /api/v1/cases/{id}/verify` proves each demo record intact. Entries and attachments carry the
times they would have been recorded at, not the time the demo was loaded.
"""

from __future__ import annotations

import math
import random
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.cases import records
from gongshi.cases.entries import (
    Archive,
    CaseIn,
    CaseSource,
    Closure,
    CollectiveDiscussion,
    DecisionRef,
    Evidence,
    HeadApproval,
    Inquiry,
    Inspection,
    Item,
    LegalReview,
    Officer,
    Performance,
    PersonRef,
    Proposal,
    Reason,
    RightsNotified,
    Service,
    Source,
)
from gongshi.cases.store import AttachmentStore, attachment_store
from gongshi.core.context import Workflow
from gongshi.demo.stories import DEMO_AGENCIES
from gongshi.domain.clock import SHANGHAI
from gongshi.domain.intake import Intake, decode_intake
from gongshi.storage.case_models import Case
from gongshi.storage.models import Agency, Decision
from gongshi.storage.portal_models import AgencyOfficer

CASES = 12
ACTOR = "demo"

# Short names used in case and document numbers (合市监立〔2026〕12号).
_ABBREV = {a.name: a.abbrev for a in DEMO_AGENCIES}


@dataclass(frozen=True)
class _Scenario:
    """What an agency of one kind typically finds, and the evidence it takes."""

    sources: tuple[tuple[str, str, str], ...]  # (case source type, entry channel, detail)
    findings: tuple[str, ...]
    items: tuple[tuple[str, str, str], ...]  # (name, kind, quantity)
    questions: tuple[tuple[str, str], ...]  # (question, answer) of the inquiry


_SCENARIOS = {
    "市场监督管理局": _Scenario(
        sources=(
            ("complaint", "complaint", "12315 平台投诉：消费者反映在当事人经营场所购买的食品已超过保质期。"),
            ("ex_officio", "inspection", "“双随机、一公开”食品经营监督抽查。"),
        ),
        findings=(
            "经营场所货架上陈列的预包装食品中有 12 袋已超过标注的保质期，当事人未能提供进货查验记录。",
            "当事人销售的散装熟食未标明生产日期和保质期，食品经营许可证超出有效期未延续。",
        ),
        items=(
            ("营业执照复印件", "documentary", "1 份"),
            ("进货单据", "documentary", "3 张"),
            ("超过保质期的预包装食品", "physical", "12 袋"),
        ),
        questions=(
            ("涉案食品是从哪里进货的？", "从批发市场进的货，进货单在店里，没有做查验记录。"),
            ("涉案食品销售了多少？", "这批货一共进了 20 袋，卖掉了 8 袋，剩下的都在货架上。"),
        ),
    ),
    "生态环境局": _Scenario(
        sources=(
            ("complaint", "complaint", "12345 热线转办：周边居民反映当事人厂区夜间排放刺激性气味废气。"),
            ("ex_officio", "inspection", "重点排污单位自动监控数据异常，现场核查。"),
        ),
        findings=(
            "喷漆车间废气处理设施（活性炭吸附装置）未开启，喷漆废气未经处理直接排放。",
            "危险废物贮存间未设置识别标志，废机油桶露天堆放，无防渗漏措施。",
        ),
        items=(
            ("排污许可证副本复印件", "documentary", "1 份"),
            ("废气处理设施运行台账", "documentary", "1 册"),
            ("自动监控数据截图", "electronic", "6 页"),
        ),
        questions=(
            ("检查时废气处理设施为什么没有运行？", "活性炭更换要停机，这两天在等新的活性炭到货。"),
            ("设施停运期间是否继续生产？", "订单比较急，喷漆线一直在生产。"),
        ),
    ),
    "城市管理局": _Scenario(
        sources=(
            ("complaint", "complaint", "数字城管平台案件：人行道被占用，行人通行受阻。"),
            ("ex_officio", "inspection", "日常巡查发现。"),
        ),
        findings=(
            "当事人在经营场所门前人行道上堆放货物、摆摊设点，占用道路面积约 20 平方米，"
            "经责令改正后仍未改正。",
            "当事人未经批准在建筑物外墙设置户外广告招牌，招牌长约 6 米、宽约 1.2 米。",
        ),
        items=(
            ("责令限期改正通知书及送达回证", "documentary", "1 份"),
            ("现场测量记录", "documentary", "1 份"),
            ("营业执照复印件", "documentary", "1 份"),
        ),
        questions=(
            ("门前堆放的货物是否为你店所有？", "是我们店的，店里放不下，临时放在门口。"),
            ("此前是否收到过责令改正通知？", "收到过，当时收了一部分，后来又摆出来了。"),
        ),
    ),
    "交通运输局": _Scenario(
        sources=(
            ("referral", "referral", "公安交警部门路面查车后移送。"),
            ("ex_officio", "inspection", "货运源头治超联合检查。"),
        ),
        findings=(
            "当事人使用一辆重型厢式货车从事道路货物运输经营，现场未能出示道路运输经营许可证和车辆道路运输证。",
            "涉案车辆未按规定进行年度审验，驾驶员未能出示道路运输从业资格证。",
        ),
        items=(
            ("车辆行驶证复印件", "documentary", "1 份"),
            ("货物运单", "documentary", "2 张"),
            ("行车记录仪视频拷贝", "audiovisual", "1 段"),
        ),
        questions=(
            ("涉案车辆运输的是谁的货物？运费多少？", "帮一家物流公司拉货，一趟运费一千二百元。"),
            ("是否办理了道路运输经营许可？", "还没有办，正在准备材料。"),
        ),
    ),
    "应急管理局": _Scenario(
        sources=(
            ("ex_officio", "inspection", "安全生产执法检查计划内检查。"),
            ("complaint", "report", "12350 举报：企业仓库安全出口被堵。"),
        ),
        findings=(
            "仓库安全出口被货物堵塞，部分灭火器压力不足，当事人未按规定对从业人员进行安全生产教育和培训。",
            "当事人未按规定对重大危险源进行定期检测、评估，特种作业人员未持证上岗。",
        ),
        items=(
            ("安全生产教育培训档案", "documentary", "1 册"),
            ("隐患排查治理台账", "documentary", "1 册"),
            ("现场检查记录", "documentary", "1 份"),
        ),
        questions=(
            ("从业人员上岗前是否经过安全生产培训？", "新来的几个工人还没有来得及培训。"),
            ("安全出口为什么堆放货物？", "最近进货多，仓库放不下，临时堆在那里。"),
        ),
    ),
}
_DEFAULT_SCENARIO = _SCENARIOS["市场监督管理局"]

_STATEMENTS = (
    "当事人表示对认定的违法事实无异议，放弃陈述、申辩和听证的权利。",
    "当事人提出陈述、申辩，称系初次违法且已当场整改，请求从轻处罚。经复核，当事人已改正违法行为，"
    "在裁量基准范围内予以采纳。",
    "当事人口头陈述：对违法事实无异议，因经营困难请求分期缴纳罚款。已制作陈述申辩笔录。",
)
_SERVICE_METHODS = (
    ("direct", "直接送达，当事人在送达回证上签名。"),
    ("post", "通过中国邮政 EMS 邮寄送达当事人住所，签收回执已附卷。"),
    ("electronic", "经当事人书面同意，通过电子送达平台送达，系统记录已送达。"),
    ("left_at_residence", "当事人拒绝签收，执法人员邀请社区工作人员见证，留置送达并拍照记录。"),
)


@dataclass
class _Step:
    """One thing the agency system recorded, at the time it recorded it."""

    at: datetime
    entry: Any = None
    key: str = ""
    attach: tuple[str, str, str, bytes, datetime] | None = (
        None  # entry key, name, media type, bytes, captured
    )
    late_reason: str | None = None
    returned_at: datetime | None = None
    link: DecisionRef | None = None
    corrects: str = ""


@dataclass
class _Plan:
    case_in: CaseIn
    opened_at: datetime
    steps: list[_Step] = field(default_factory=list)


def load_cases(wf: Workflow, seed: int = 20261125) -> Iterator[str]:
    """Record demo cases behind penalty decisions; does nothing when any case exists."""
    with wf.db.read() as s:
        existing = s.scalar(select(func.count()).select_from(Case)) or 0
        if existing:
            yield f"demo cases already loaded ({existing} cases)"
            return
        plans = [
            (d.agency_id, _plan(s, d, i, random.Random(f"{seed}:{d.id}"))) for i, d in enumerate(_choose(s))
        ]
    if not plans:
        return
    store = attachment_store(wf.settings.data_dir)
    now = wf.clock()
    for agency_id, plan in plans:
        principal = Principal(actor=ACTOR, role="submitter", agency_id=agency_id)
        with wf.db.write() as s:
            _record(s, principal, store, plan, now)
    yield f"demo cases: {len(plans)} full-process case records"


def _choose(session: Session) -> list[Decision]:
    """Up to CASES penalty decisions (published first, then in review), spread over the agencies.

    Position 2 (the case never archived) goes to the oldest decision, so its closure is long past.
    """
    rows = session.scalars(
        select(Decision)
        .where(Decision.kind == "penalty", Decision.state.in_(("published", "in_review")))
        .order_by(Decision.state.desc(), Decision.id)  # published before in_review
    ).all()
    by_agency: dict[int, list[Decision]] = {}
    for d in rows:
        by_agency.setdefault(d.agency_id, []).append(d)
    picked: list[Decision] = []
    for depth in range(CASES):
        for agency_id in sorted(by_agency):
            if depth < len(by_agency[agency_id]) and len(picked) < CASES:
                picked.append(by_agency[agency_id][depth])
    if len(picked) > 2:
        oldest = min(range(len(picked)), key=lambda i: (picked[i].decided_on, picked[i].id))
        picked[2], picked[oldest] = picked[oldest], picked[2]
    return picked


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), SHANGHAI)


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


def _plan(session: Session, decision: Decision, index: int, rng: random.Random) -> _Plan:
    """The case behind one decision; `index` selects the deliberate problems of a few cases."""
    intake: Intake = decode_intake(decision.intake)
    agency = session.get(Agency, decision.agency_id)
    assert agency is not None
    abbrev = _ABBREV.get(agency.name, agency.name[:1] + "执")
    scenario = next((v for k, v in _SCENARIOS.items() if agency.name.endswith(k)), _DEFAULT_SCENARIO)
    head = (agency.profile or {}).get("head") or "机关负责人"
    party = intake.party
    fine = intake.penalty.fine_yuan if intake.penalty else None
    serious = fine is not None and fine >= Decimal(100000)

    decided = intake.decided_on
    opened = decided - timedelta(days=rng.randint(35, 55))
    year = opened.year
    case_number = f"{abbrev}立〔{year}〕{rng.randint(10, 399)}号"
    source_type, channel, source_detail = rng.choice(scenario.sources)
    officers = _officers(session, decision.agency_id, opened, rng)
    names = "、".join(f"{o.name}（执法证号 {o.certificate_number}）" for o in officers)
    finding = rng.choice(scenario.findings)
    place = party.address or "当事人经营场所"
    speaker = PersonRef(
        name=(party.legal_representative or party.name) if party.kind != "natural_person" else party.name,
        role="party",
        phone=party.phone,
    )
    plan = _Plan(
        case_in=CaseIn(
            agency=intake.agency,
            case_number=case_number,
            kind="penalty",
            party=party,
            opened_on=opened,
            source=CaseSource(type=source_type, detail=source_detail),  # type: ignore[arg-type]
        ),
        opened_at=_at(opened, 10, 5),
    )
    add = plan.steps.append

    # 程序启动
    src_at = _at(opened, 9, 30)
    add(
        _Step(
            at=src_at + timedelta(minutes=40),
            key="source",
            entry=Source(
                stage="initiation",
                occurred_at=src_at,
                text=f"案件来源：{source_detail}",
                channel=channel,  # type: ignore[arg-type]
                reference=f"{abbrev}线索〔{year}〕{rng.randint(100, 999)}号",
            ),
        )
    )
    reason_at = _at(opened, 15, 20)
    add(
        _Step(
            at=reason_at + timedelta(minutes=30),
            entry=Reason(
                stage="initiation",
                occurred_at=reason_at,
                text=f"经初步核查，{party.name}涉嫌违法，符合立案条件，报请立案调查。",
                filed=True,
                approved_by=head,
                document_number=case_number,
            ),
        )
    )

    # 调查取证
    insp_day = opened + timedelta(days=1)
    insp_at = _at(insp_day, 9, 40)
    photo = _png(rng)
    add(
        _Step(
            at=_at(insp_day, 14, 10),
            key="inspection",
            entry=Inspection(
                stage="investigation",
                occurred_at=insp_at,
                text=f"执法人员{names}到{place}进行现场检查，出示执法证件，当事人在场。"
                "检查全程使用执法记录仪记录，制作现场检查笔录一份。",
                officers=officers,
                credentials_shown=True,
                location=place,
                findings=finding,
                document_number=f"{abbrev}检〔{year}〕{rng.randint(100, 999)}号",
            ),
        )
    )
    photo_taken = insp_at + timedelta(minutes=12)
    if index == 3:
        # Remote work (Art 17 para 2): stored late, with the reason and the time the officers returned.
        returned = photo_taken + timedelta(hours=30)
        add(
            _Step(
                at=returned + timedelta(hours=3),
                attach=("inspection", "现场照片1.png", "image/png", photo, photo_taken),
                late_reason="检查地点位于山区，无网络信号，执法记录仪次日返回机关后上传。",
                returned_at=returned,
            )
        )
    else:
        add(
            _Step(
                at=_at(insp_day, 14, 25),
                attach=("inspection", "现场照片1.png", "image/png", photo, photo_taken),
            )
        )

    inq_day = opened + timedelta(days=rng.randint(3, 6))
    inq_at = _at(inq_day, 14, 30)
    q1, q2 = scenario.questions
    add(
        _Step(
            at=_at(inq_day, 16, 50),
            key="inquiry",
            entry=Inquiry(
                stage="investigation",
                occurred_at=inq_at,
                text=f"执法人员{names}在本机关询问室对{speaker.name}进行询问，告知其有申请回避的权利"
                f"和如实回答的义务。问：{q1[0]}答：{q1[1]}问：{q2[0]}答：{q2[1]}"
                "询问笔录经被询问人核对无误后签名捺印。",
                officers=officers,
                credentials_shown=True,
                interviewee=speaker,
                location=f"{agency.name}询问室" if index != 5 else place,
                document_number=f"询问笔录 第 1 份（共 {rng.randint(3, 6)} 页）",
            ),
        )
    )
    record = _inquiry_text(case_number, inq_at, agency.name, names, speaker.name, (q1, q2))
    add(
        _Step(
            at=_at(inq_day, 17, 5),
            attach=("inquiry", "询问笔录.txt", "text/plain", record, inq_at + timedelta(minutes=55)),
        )
    )
    recording_taken = inq_at + timedelta(minutes=56)
    recording = _wav(rng)
    if index == 0:
        # Deliberate problem: the recording was stored three days later, with no reason given.
        add(
            _Step(
                at=recording_taken + timedelta(days=3, hours=2),
                attach=("inquiry", "询问录音.wav", "audio/wav", recording, recording_taken),
            )
        )
    elif index % 2 == 0:
        add(
            _Step(
                at=_at(inq_day, 17, 10),
                attach=("inquiry", "询问录音.wav", "audio/wav", recording, recording_taken),
            )
        )
    if index == 5:
        # A correction: the inquiry was recorded with the wrong place. The original stays.
        add(
            _Step(
                at=_at(inq_day + timedelta(days=1), 9, 15),
                corrects="inquiry",
                entry=Inquiry(
                    stage="investigation",
                    occurred_at=inq_at,
                    text=f"更正：询问地点为{agency.name}询问室，原记录误填为当事人经营场所。其余内容不变。",
                    officers=officers,
                    credentials_shown=True,
                    interviewee=speaker,
                    location=f"{agency.name}询问室",
                    reason="询问地点录入错误，依据询问笔录原件更正。",
                ),
            )
        )

    ev_day = inq_day + timedelta(days=2)
    items = [Item(name=n, kind=k, quantity=q) for n, k, q in scenario.items]  # type: ignore[arg-type]
    items.append(Item(name="现场照片", kind="audiovisual", quantity=f"{rng.randint(4, 9)} 张"))
    add(
        _Step(
            at=_at(ev_day, 11, 0),
            key="evidence",
            entry=Evidence(
                stage="investigation",
                occurred_at=_at(ev_day, 10, 0),
                text="向当事人调取书证、物证，制作证据提取单，当事人核对后签名确认。",
                officers=officers,
                items=items,
                provider=party.name,
            ),
        )
    )
    evidence_list = "\n".join(
        [f"证据清单（{case_number}）", ""]
        + [f"{i}. {it.name}（{it.quantity}）" for i, it in enumerate(items, 1)]
        + ["", f"提供人：{party.name}", f"提取人：{names}", ""]
    ).encode()
    add(
        _Step(
            at=_at(ev_day, 11, 5),
            attach=("evidence", "证据清单.txt", "text/plain", evidence_list, _at(ev_day, 10, 40)),
        )
    )

    # 调查终结, 告知, 审查决定
    basis = intake.legal_basis or "依据有关法律、法规的规定。"
    result = intake.result or "决定给予警告。"
    prop_day = decided - timedelta(days=rng.randint(14, 18))
    add(
        _Step(
            at=_at(prop_day, 16, 0),
            entry=Proposal(
                stage="decision",
                occurred_at=_at(prop_day, 15, 0),
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
    statement = _STATEMENTS[2] if index == 4 else rng.choice(_STATEMENTS[:2])
    add(
        _Step(
            at=_at(notice_day + timedelta(days=3), 17, 0),
            key="rights",
            entry=RightsNotified(
                stage="investigation",
                occurred_at=_at(notice_day, 10, 30),
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
    review_day = decided - timedelta(days=rng.randint(3, 5))
    add(
        _Step(
            at=_at(review_day, 16, 30),
            entry=LegalReview(
                stage="decision",
                occurred_at=_at(review_day, 15, 0),
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
            _Step(
                at=_at(disc_day, 17, 30),
                entry=CollectiveDiscussion(
                    stage="decision",
                    occurred_at=_at(disc_day, 15, 0),
                    text="案件属于情节复杂、重大违法行为给予较重行政处罚，提交机关负责人集体讨论。",
                    participants=[head, "分管负责人", "法规科负责人", "承办机构负责人"],
                    conclusion=f"同意承办机构处理意见：{result}",
                ),
            )
        )
    add(
        _Step(
            at=_at(decided, 11, 0),
            entry=HeadApproval(
                stage="decision",
                occurred_at=_at(decided, 10, 0),
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
    add(_Step(at=_at(decided, 11, 30), link=ref))

    # 送达执行
    served = intake.served_on or decided + timedelta(days=rng.randint(1, 3))
    method, how = _SERVICE_METHODS[index % len(_SERVICE_METHODS)]
    if index != 1:  # Deliberate problem: case 1 is concluded without a record of service.
        add(
            _Step(
                at=_at(served, 16, 0),
                entry=Service(
                    stage="service",
                    occurred_at=_at(served, 10, 0),
                    text=f"送达《行政处罚决定书》（{intake.document_number}）。{how}",
                    officers=officers,
                    method=method,  # type: ignore[arg-type]
                    document=f"行政处罚决定书 {intake.document_number}",
                    recipient=speaker,
                ),
            )
        )
    paid = served + timedelta(days=rng.randint(5, 14))
    if index == 4:
        # Still running: the party pays in instalments, so the case is not concluded yet.
        add(
            _Step(
                at=_at(paid, 16, 0),
                entry=Performance(
                    stage="service",
                    occurred_at=_at(paid, 9, 0),
                    text="经当事人申请、机关负责人批准，罚款分三期缴纳，已缴纳第一期。",
                    status="instalments",
                    amount_yuan=str((fine / 3).quantize(Decimal("0.01"))) if fine else None,
                ),
            )
        )
        return plan
    add(
        _Step(
            at=_at(paid, 16, 0),
            entry=Performance(
                stage="service",
                occurred_at=_at(paid, 9, 0),
                text=f"当事人已通过非税收入缴款系统足额缴纳罚款{fine}元，并已改正违法行为。"
                if fine
                else "当事人已履行处罚决定并改正违法行为。",
                status="full",
                amount_yuan=str(fine) if fine else None,
            ),
        )
    )
    closed = paid + timedelta(days=rng.randint(2, 5))
    add(
        _Step(
            at=_at(closed, 17, 0),
            entry=Closure(
                stage="service",
                occurred_at=_at(closed, 16, 0),
                text="当事人已全部履行行政处罚决定，承办人提出结案意见，经批准结案。",
            ),
        )
    )
    if index == 2:  # Deliberate problem: concluded long ago and never archived.
        return plan
    archived = closed + timedelta(days=rng.randint(7, 25))
    add(
        _Step(
            at=_at(archived, 15, 0),
            entry=Archive(
                stage="archive",
                occurred_at=_at(archived, 14, 0),
                text="案卷材料整理完毕，按文书档案管理规定立卷归档，音像记录随卷移交。",
                file_number=f"{abbrev}档〔{archived.year}〕{rng.randint(100, 999)}号",
                location=f"{agency.name}档案室",
            ),
        )
    )
    return plan


def _record(
    session: Session, principal: Principal, store: AttachmentStore, plan: _Plan, now: datetime
) -> None:
    """Record a planned case through the case services, step by step in time order."""
    case = records.open_case(session, principal, plan.case_in, _utc(plan.opened_at, now)).case
    entries: dict[str, Any] = {}
    for step in sorted(plan.steps, key=lambda s: s.at):
        at = _utc(step.at, now)
        if step.entry is not None:
            entry = step.entry
            if step.corrects:
                entry = msgspec.structs.replace(entry, corrects=entries[step.corrects].id)
            row = records.add_entry(session, principal, case, entry, at).entry
            if step.key:
                entries[step.key] = row
        elif step.attach is not None:
            key, filename, media_type, content, captured = step.attach
            writer = store.writer()
            writer.write(content)
            sha256 = writer.commit()
            stored = records.StoredFile(
                sha256=sha256,
                size=len(content),
                media_type=media_type,
                filename=filename,
                captured_at=captured.astimezone(UTC),
                late_reason=step.late_reason,
                returned_at=step.returned_at.astimezone(UTC) if step.returned_at else None,
            )
            records.add_attachment(session, principal, case, entries[key], stored, at)
        elif step.link is not None:
            records.link_decision(session, principal, case, step.link, at)


def _utc(at: datetime, now: datetime) -> datetime:
    """A recording time in UTC, whole seconds, never after the real clock."""
    return min(at.astimezone(UTC), now).replace(microsecond=0)


def _inquiry_text(
    case_number: str,
    at: datetime,
    agency: str,
    officers: str,
    interviewee: str,
    qa: tuple[tuple[str, str], ...],
) -> bytes:
    lines = [
        "询问笔录（摘录）",
        "",
        f"案件编号：{case_number}",
        f"询问时间：{at:%Y年%m月%d日 %H时%M分}",
        f"询问地点：{agency}询问室",
        f"询问人：{officers}",
        f"被询问人：{interviewee}",
        "",
        "问：我们是执法人员，已向你出示执法证件。你是否申请回避？",
        "答：不申请。",
    ]
    for q, a in qa:
        lines += [f"问：{q}", f"答：{a}"]
    lines += ["问：以上所说是否属实？", "答：属实。", "", "被询问人签名：（已签名捺印）", ""]
    return "\n".join(lines).encode()


def _png(rng: random.Random, width: int = 96, height: int = 64) -> bytes:
    """A small RGB photograph stand-in: a sky, a wall and a shop sign, in slightly varied colours."""
    sign = (rng.randint(150, 230), rng.randint(20, 80), rng.randint(20, 80))
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")  # filter: none
        for x in range(width):
            if y < height // 3:
                px = (120 + y * 2, 170 + y, 230)
            elif height // 3 + 4 <= y < height // 3 + 14 and 16 <= x < width - 16:
                px = sign
            else:
                shade = 150 + (x * 7 + y * 3) % 40
                px = (shade, shade - 10, shade - 25)
            row += bytes(px)
        rows.append(bytes(row))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def _wav(rng: random.Random, seconds: float = 1.5, rate: int = 8000) -> bytes:
    """A short, quiet tone as 8-bit mono PCM WAV: a recording stand-in that players can play."""
    freq = rng.choice((330, 392, 440))
    n = int(seconds * rate)
    data = bytes(128 + int(24 * math.sin(2 * math.pi * freq * i / rate)) for i in range(n))
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate, 1, 8)
    return (
        b"RIFF"
        + struct.pack("<I", 36 + n)
        + b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"data"
        + struct.pack("<I", n)
        + data
    )
