"""Demo directory data for `gongshi demo load`: profiles, officers and bases, and one annual report."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy import func, select

from gongshi.agencies import editing, reports
from gongshi.agencies.schemas import (
    AgencyPut,
    BasisIn,
    OfficerIn,
    OfficersPut,
    Profile,
    ReportFigures,
    ReportPut,
)
from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.demo.stories import CITIES, landline
from gongshi.storage.models import Agency, Decision
from gongshi.storage.portal_models import AnnualReport

ADMIN = Principal(actor="demo", role="admin", agency_id=None)
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = (
    "建国",
    "伟",
    "芳",
    "敏",
    "静",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
)
_COMMON = [
    BasisIn(
        title="中华人民共和国行政处罚法",
        level="law",
        document_number="主席令第七十号",
        effective_on=date(2021, 7, 15),
    ),
    BasisIn(
        title="中华人民共和国行政许可法",
        level="law",
        document_number="主席令第七号",
        effective_on=date(2004, 7, 1),
    ),
    BasisIn(
        title="中华人民共和国行政强制法",
        level="law",
        document_number="主席令第四十九号",
        effective_on=date(2012, 1, 1),
    ),
    BasisIn(title="安徽省行政执法公示办法", level="normative", effective_on=date(2020, 9, 1)),
]
_BY_KIND = {
    "市场监督管理局": (
        "市场监管综合执法",
        "中华人民共和国食品安全法",
        "食品生产经营监督检查；价格、广告、计量违法行为查处",
    ),
    "生态环境局": (
        "生态环境保护综合执法",
        "中华人民共和国环境保护法",
        "排污许可；环境违法行为查处；建设项目环境影响评价审批",
    ),
    "城市管理局": ("城市管理综合执法", "城市市容和环境卫生管理条例", "市容环境卫生、户外广告、违法建设查处"),
    "交通运输局": (
        "交通运输综合执法",
        "中华人民共和国道路运输条例",
        "道路运输经营许可；超限运输、非法营运查处",
    ),
    "应急管理局": (
        "应急管理综合执法",
        "中华人民共和国安全生产法",
        "安全生产许可；生产经营单位安全生产监督检查",
    ),
    "卫生健康委员会": (
        "卫生健康综合监督执法",
        "中华人民共和国基本医疗卫生与健康促进法",
        "医疗机构执业许可；公共场所卫生监督",
    ),
    "自然资源和规划局": (
        "自然资源综合执法",
        "中华人民共和国土地管理法",
        "建设用地审批；违法占地查处；不动产登记",
    ),
    "住房和城乡建设局": (
        "住房城乡建设执法",
        "中华人民共和国建筑法",
        "施工许可；建筑市场、物业管理违法行为查处",
    ),
}


def _kind(name: str) -> tuple[str, str, str]:
    for suffix, info in _BY_KIND.items():
        if name.endswith(suffix):
            return info
    return ("行政执法", "中华人民共和国行政处罚法", "本机关法定职责范围内的行政执法事项")


def _profile(rng: random.Random, agency: Agency) -> AgencyPut:
    _, statute, duties = _kind(agency.name)
    city = agency.name[:3]
    area = CITIES.get(city, CITIES["合肥市"])  # the telephone area code and postcode of its city
    head = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
    return AgencyPut(
        profile=Profile(
            head=head,
            duties=f"负责{city}{duties}等工作，依法实施行政许可、行政处罚、行政强制和行政检查。",
            address=f"{city}政务中心{rng.randint(1, 9)}号楼{rng.randint(2, 12)}层",
            postcode=area.postcode,
            phone=landline(rng, area),
            service_hours="工作日 上午 9:00—12:00，下午 13:30—17:30（法定节假日除外）",
            supervision=f"投诉举报电话 12345；监督电话 {landline(rng, area)}；来信请寄{city}政务中心信访室。",
            matters=[m.strip() for m in duties.split("；")],
        ),
        bases=[
            BasisIn(title=statute, level="law" if "法" in statute[-2:] else "administrative_regulation"),
            *_COMMON,
        ],
    )


def _officers(rng: random.Random, agency: Agency, today: date) -> OfficersPut:
    category, _, _ = _kind(agency.name)
    officers = []
    for i in range(rng.randint(3, 6)):
        start = date(rng.randint(2021, 2025), rng.randint(1, 12), 1)
        until = start + timedelta(days=5 * 365)
        if i == 2 and rng.random() < 0.4:
            until = today - timedelta(days=rng.randint(3, 40))  # an expired certificate, marked on the portal
        officers.append(
            OfficerIn(
                name=rng.choice(_SURNAMES) + rng.choice(_GIVEN),
                certificate_number=f"皖{agency.code[2:8]}{rng.randint(10000, 99999)}{i}",
                category=category,
                unit=rng.choice(("执法稽查支队", "综合执法大队", "法规科", "行政审批科")),
                role="auxiliary" if i == 5 else "officer",
                valid_from=start,
                valid_until=until,
            )
        )
    return OfficersPut(officers=officers, note="演示数据")


def load_directory(wf: Workflow, seed: int = 20261125) -> Iterator[str]:
    """Fill profiles and officer lists of demo agencies that have none; publish one annual report."""
    today = wf.today()
    with wf.db.read() as s:
        empty = list(
            s.scalars(select(Agency).where(func.coalesce(Agency.code, "") != "").order_by(Agency.id))
        )
        empty = [a for a in empty if not a.profile]
    for agency in empty:
        rng = random.Random(f"{seed}:{agency.code}")
        with wf.db.write() as s:
            editing.save_agency(wf, s, ADMIN, agency.code, _profile(rng, agency))
            editing.save_officers(wf, s, ADMIN, agency.code, _officers(rng, agency, today))
    if empty:
        yield f"demo directory: {len(empty)} agency profiles with officers and enforcement bases"
    year = today.year - 1
    with wf.db.read() as s:
        if s.scalar(select(func.count()).select_from(AnnualReport)):
            return
        busiest = s.execute(
            select(Agency.code, func.count())
            .join(Decision, Decision.agency_id == Agency.id)
            .where(Decision.decided_on >= date(year, 1, 1), Decision.decided_on <= date(year, 12, 31))
            .group_by(Agency.code)
            .order_by(func.count().desc(), Agency.code)
        ).first()
    if busiest is None:
        return
    code = busiest[0]
    figures = ReportFigures(
        enforcement_posts=24,
        officers_on_duty=21,
        auxiliary_staff=6,
        reconsideration_received=5,
        reconsideration_upheld=3,
        reconsideration_overturned=1,
        reconsideration_other=0,
        reconsideration_pending=1,
        litigation_received=2,
        litigation_won=1,
        litigation_lost=0,
        litigation_other=0,
        litigation_pending=1,
        complaints_received=186,
        complaints_handled=181,
        criminal_transfers=2,
        criminal_cases_opened=1,
        other_notes="演示数据：本年度开展“双随机、一公开”抽查 12 次。",
    )
    with wf.db.write() as s:
        reports.save_figures(wf, s, ADMIN, code, year, ReportPut(figures=figures))
        reports.publish_report(wf, s, ADMIN, code, year)
    yield f"demo annual report: {code} {year}"
