"""The first stages of a demo case: 程序启动 and 调查取证 (source, filing, inspection, inquiry, evidence)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from gongshi.cases.entries import (
    Evidence,
    Inquiry,
    Inspection,
    Item,
    Reason,
    Source,
)
from gongshi.demo.case_media import inquiry_text, png, wav
from gongshi.demo.case_steps import CaseFacts, Step, at


def initiation(c: CaseFacts) -> None:
    """程序启动: the source of the case and the decision to file it."""
    rng, opened, abbrev, year, party = c.rng, c.opened, c.abbrev, c.year, c.intake.party
    source_detail, channel, head, case_number = c.source_detail, c.channel, c.head, c.case_number
    add = c.steps.append
    src_at = at(opened, 9, 30)
    add(
        Step(
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
    reason_at = at(opened, 15, 20)
    add(
        Step(
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


def inspection(c: CaseFacts) -> None:
    """调查取证: the on-site inspection and its photograph (stored late in case 3)."""
    rng, opened, abbrev, year, index = c.rng, c.opened, c.abbrev, c.year, c.index
    names, place, officers, finding = c.names, c.place, c.officers, c.finding
    add = c.steps.append
    insp_day = opened + timedelta(days=1)
    insp_at = at(insp_day, 9, 40)
    photo = png(rng)
    add(
        Step(
            at=at(insp_day, 14, 10),
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
            Step(
                at=returned + timedelta(hours=3),
                attach=("inspection", "现场照片1.png", "image/png", photo, photo_taken),
                late_reason="检查地点位于山区，无网络信号，执法记录仪次日返回机关后上传。",
                returned_at=returned,
            )
        )
    else:
        add(
            Step(
                at=at(insp_day, 14, 25),
                attach=("inspection", "现场照片1.png", "image/png", photo, photo_taken),
            )
        )


def inquiry(c: CaseFacts) -> date:
    """The inquiry, its written record and recording; returns the day it took place."""
    rng, opened, scenario, agency, index = c.rng, c.opened, c.scenario, c.agency, c.index
    names, speaker, officers, place, case_number = c.names, c.speaker, c.officers, c.place, c.case_number
    add = c.steps.append
    inq_day = opened + timedelta(days=rng.randint(3, 6))
    inq_at = at(inq_day, 14, 30)
    q1, q2 = scenario.questions
    add(
        Step(
            at=at(inq_day, 16, 50),
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
    record = inquiry_text(case_number, inq_at, agency.name, names, speaker.name, (q1, q2))
    add(
        Step(
            at=at(inq_day, 17, 5),
            attach=("inquiry", "询问笔录.txt", "text/plain", record, inq_at + timedelta(minutes=55)),
        )
    )
    recording_taken = inq_at + timedelta(minutes=56)
    recording = wav(rng)
    if index == 0:
        # Deliberate problem: the recording was stored three days later, with no reason given.
        add(
            Step(
                at=recording_taken + timedelta(days=3, hours=2),
                attach=("inquiry", "询问录音.wav", "audio/wav", recording, recording_taken),
            )
        )
    elif index % 2 == 0:
        add(
            Step(
                at=at(inq_day, 17, 10),
                attach=("inquiry", "询问录音.wav", "audio/wav", recording, recording_taken),
            )
        )
    if index == 5:
        inquiry_correction(c, inq_day, inq_at)
    return inq_day


def inquiry_correction(c: CaseFacts, inq_day: date, inq_at: datetime) -> None:
    """Case 5: the inquiry was recorded with the wrong place; a correction follows, the original stays."""
    agency, officers, speaker = c.agency, c.officers, c.speaker
    add = c.steps.append
    add(
        Step(
            at=at(inq_day + timedelta(days=1), 9, 15),
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


def evidence(c: CaseFacts, inq_day: date) -> None:
    """The evidence taken from the party and its list."""
    rng, scenario, officers, party = c.rng, c.scenario, c.officers, c.intake.party
    case_number, names = c.case_number, c.names
    add = c.steps.append
    ev_day = inq_day + timedelta(days=2)
    items = [Item(name=n, kind=k, quantity=q) for n, k, q in scenario.items]  # type: ignore[arg-type]
    items.append(Item(name="现场照片", kind="audiovisual", quantity=f"{rng.randint(4, 9)} 张"))
    add(
        Step(
            at=at(ev_day, 11, 0),
            key="evidence",
            entry=Evidence(
                stage="investigation",
                occurred_at=at(ev_day, 10, 0),
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
        Step(
            at=at(ev_day, 11, 5),
            attach=("evidence", "证据清单.txt", "text/plain", evidence_list, at(ev_day, 10, 40)),
        )
    )
