"""Demo decisions a county reviewer recognises (issue 12), for `gongshi demo load`.

Each decision tells one story of what its agency actually does: a market regulator's expired food or
false price tag, an environment bureau's untreated paint fumes, a transport bureau's unlicensed
lorry. Its document number carries its agency's abbreviation and a running number per year; every
date in its facts falls before the decision; telephone numbers carry the agency's city's area code.

This is apart from `gongshi.demo.corpus`, whose synthetic redaction corpus (`bench/redaction_eval.py`)
must keep generating exactly what it did; only its identifier helpers are shared.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from gongshi.demo.identifiers import make_mobile, make_resident_id, make_uscc
from gongshi.demo.story_catalogue import Story
from gongshi.domain.intake import AgencyRef, Intake, License, Party, Penalty, Person, Sensitivity


@dataclass(frozen=True)
class City:
    name: str
    area_code: str  # telephone area code
    local_digits: int  # digits of a local number after the area code
    first_digits: str  # what local numbers start with
    postcode: str
    districts: tuple[tuple[str, str], ...]  # (district, region code)
    roads: tuple[str, ...]


CITIES = {
    "合肥市": City(
        "合肥市",
        "0551",
        8,
        "56",
        "230000",
        (("蜀山区", "340104"), ("包河区", "340111"), ("庐阳区", "340103"), ("瑶海区", "340102")),
        ("长江西路", "黄山路", "金寨路", "望江西路", "徽州大道", "潜山路", "宿州路"),
    ),
    "芜湖市": City(
        "芜湖市",
        "0553",
        7,
        "2358",
        "241000",
        (("镜湖区", "340202"), ("鸠江区", "340207"), ("弋江区", "340209")),
        ("北京中路", "中山北路", "赭山西路", "银湖北路", "九华山路"),
    ),
    "蚌埠市": City(
        "蚌埠市",
        "0552",
        7,
        "234",
        "233000",
        (("龙子湖区", "340302"), ("蚌山区", "340303"), ("禹会区", "340304"), ("淮上区", "340311")),
        ("淮河路", "胜利中路", "解放路", "东海大道", "涂山路"),
    ),
}


@dataclass(frozen=True)
class DemoAgency:
    name: str
    region: str
    abbrev: str  # in document numbers: 合市监罚〔2026〕12号
    sector: str  # key of STORIES

    @property
    def city(self) -> City:
        return CITIES[self.name[:3]]


DEMO_AGENCIES = (
    DemoAgency("合肥市市场监督管理局", "340100", "合市监", "market"),
    DemoAgency("合肥市生态环境局", "340100", "合环", "environment"),
    DemoAgency("合肥市城市管理局", "340100", "合城管", "urban"),
    DemoAgency("芜湖市市场监督管理局", "340200", "芜市监", "market"),
    DemoAgency("芜湖市交通运输局", "340200", "芜交运", "transport"),
    DemoAgency("蚌埠市应急管理局", "340300", "蚌应急", "safety"),
)
# The character after the abbreviation, by kind: 罚 penalty, 许 licence, 强 coercion, 检 inspection.
KIND_MARK: dict[str, str] = {"penalty": "罚", "licensing": "许", "coercion": "强", "inspection": "检"}

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志红文斌海燕鹏飞浩宇晨阳俊峰雪梅"
_BRANDS = ("金穗", "鼎盛", "华源", "恒信", "徽禾", "新锐", "润泽", "万家", "聚福", "天和", "佳禾", "永安")


def person_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))


def landline(rng: random.Random, city: City) -> str:
    rest = city.local_digits - 1
    return f"{city.area_code}-{rng.choice(city.first_digits)}{rng.randint(0, 10**rest - 1):0{rest}d}"


def _uscc(rng: random.Random, region: str, head: str) -> str:
    while not (code := make_uscc(rng, region)).startswith(head):
        pass
    return code


def _weekday(d: date) -> date:
    """The Friday before a weekend day (inspections and notices happen on weekdays)."""
    return d - timedelta(days=max(0, d.weekday() - 4))


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


_PLACES = {"company": "生产经营场所", "shop": "经营场所", "person": "检查站"}


def agency_ref(agency: DemoAgency) -> AgencyRef:
    """The demo agency with a stable, valid credit code of a government organ (11…)."""
    return AgencyRef(code=_uscc(random.Random(agency.name), agency.region, "11"), name=agency.name)


def story_intake(
    rng: random.Random,
    agency: DemoAgency,
    story: Story,
    decided: date,
    document_number: str,
    source_id: str,
    sensitive: bool = False,
) -> Intake:
    """One decision telling `story`, dated `decided`; every date in it falls before `decided`.

    Its parts draw from `rng` in a fixed order (place, officers, dates, party, fields, facts, licence).
    """
    city = agency.city
    district, region = rng.choice(city.districts)
    road = rng.choice(city.roads)
    address = f"{city.name}{district}{road}{rng.randint(1, 399)}号"
    officers = [person_name(rng), person_name(rng)]
    checked = _weekday(decided - timedelta(days=rng.randint(20, 60)))
    bought = checked - timedelta(days=rng.randint(10, 120))
    persons = [Person(name=o, role="officer") for o in officers]
    party, who = _party(rng, story, city, district, region, address)
    fields = _fields(rng, story, bought, checked)
    witness = person_name(rng)
    persons.append(Person(name=witness, role="witness"))
    facts = _facts(rng, story, fields, officers, witness, who, address, checked, decided)
    if fields["minor"]:
        persons.append(Person(name=fields["minor"], role="minor"))
    penalty = license_ = None
    result = story.result.format(**fields) + "。"
    if story.kind == "penalty":
        penalty = Penalty(categories=list(story.categories), fine_yuan=fields["fine"])  # type: ignore[arg-type]
    if story.license_name:
        license_ = License(
            name=story.license_name,
            number=f"{agency.abbrev[:1]}{rng.randint(10**11, 10**12 - 1)}",
            valid_from=decided,
            valid_until=decided + timedelta(days=365 * 5 - 1),
        )
    return Intake(
        source_id=source_id,
        agency=agency_ref(agency),
        kind=story.kind,
        document_number=document_number,
        title=_title(story, party.name),
        decided_on=decided,
        party=party,
        facts=facts,
        legal_basis=f"依据{story.basis}的规定。",
        result=result,
        penalty=penalty,
        license=license_,
        persons=persons,
        sensitivity=Sensitivity(trade_secret=True) if sensitive else Sensitivity(),
    )


def _title(story: Story, party_name: str) -> str:
    return {
        "penalty": f"{party_name}行政处罚决定书",
        "licensing": f"{party_name}{story.license_name}准予许可决定书",
        "coercion": f"{party_name}行政强制措施决定书",
        "inspection": f"{party_name}行政检查结果",
    }[story.kind]


def _party(
    rng: random.Random, story: Story, city: City, district: str, region: str, address: str
) -> tuple[Party, str]:
    """The party the story is about, and how the facts refer to it."""
    if story.party == "person":
        name = person_name(rng)
        birth = date(rng.randint(1965, 1998), rng.randint(1, 12), rng.randint(1, 28))
        party = Party(
            kind="natural_person",
            name=name,
            id_type="resident_id",
            id_number=make_resident_id(rng, birth),
            address=address,
            phone=make_mobile(rng),
            birth_date=birth,
        )
        return party, f"当事人{name}"
    owner = person_name(rng)
    if story.party == "shop":
        label = f"{city.name}{district}{owner[0]}记{story.business[0] if len(story.business) == 1 else rng.choice(story.business)}"  # noqa: E501
        kind, head = "individual_business", "92"
    else:
        label = f"{city.name[:2]}{rng.choice(_BRANDS)}{rng.choice(story.business)}"
        kind, head = "legal_person", "91"
    party = Party(
        kind=kind,  # type: ignore[arg-type]
        name=label,
        id_type="uscc",
        id_number=_uscc(rng, region, head),
        legal_representative=owner,
        address=address,
        phone=landline(rng, city),
    )
    return party, "当事人"


def _fields(rng: random.Random, story: Story, bought: date, checked: date) -> dict[str, Any]:
    """The values of the story's `{…}` fields for one decision."""
    n = rng.randint(3, 40)
    value = rng.randint(3, 90) * 100
    fine = Decimal(rng.randint(*story.fine) * 1000) if story.fine != (0, 0) else None
    minor = person_name(rng) if story.minor else ""
    return {
        "n": n,
        "sold": rng.randint(2, 30),
        "value": value,
        "fine": fine,
        "bought": _cn_date(bought),
        "applied": _cn_date(checked),
        "plate": f"皖{rng.choice('ABC')}{rng.randint(10000, 99999)}",
        "minor": minor,
        "age": rng.randint(13, 17),
    }


def _facts(
    rng: random.Random,
    story: Story,
    fields: dict[str, Any],
    officers: list[str],
    witness: str,
    who: str,
    address: str,
    checked: date,
    decided: date,
) -> str:
    """The facts: what the officers found where, and (a penalty) when the party was told."""
    finding = story.finding.format(**fields)
    detail = story.detail.format(**fields)
    if story.kind == "licensing":
        return (
            f"{finding}。{_cn_date(_weekday(checked + timedelta(days=rng.randint(3, 10))))}，"
            f"本局工作人员{officers[0]}、{officers[1]}对其位于{address}的经营场所进行现场核查，{detail}。"
        )
    # An inspection's finding names the inspection itself (食品安全日常监督检查), found nothing yet.
    found = f"{finding}，{detail}" if story.kind == "inspection" else f"检查，发现{finding}。经查，{detail}"
    facts = (
        f"{_cn_date(checked)}，本局执法人员{officers[0]}、{officers[1]}出示执法证件后，对{who}位于"
        f"{address}的{_PLACES[story.party]}进行{found}。"
        f"现场负责人{witness}（联系电话：{make_mobile(rng)}）在现场检查笔录上签字确认。"
    )
    if story.kind == "penalty":
        notified = _weekday(decided - timedelta(days=rng.randint(8, 15)))
        facts += f"本局于{_cn_date(notified)}送达行政处罚告知书，当事人在法定期限内未提出陈述、申辩。"
    return facts
