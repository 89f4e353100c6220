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

from gongshi.demo.identifiers import make_mobile, make_resident_id, make_uscc
from gongshi.domain.intake import AgencyRef, Intake, Kind, License, Party, Penalty, Person, Sensitivity


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


@dataclass(frozen=True)
class Story:
    """One kind of case an agency meets; `{…}` fields are filled per decision."""

    kind: Kind
    party: str  # company | shop | person
    business: tuple[str, ...]  # name endings for the party
    finding: str
    detail: str
    basis: str
    result: str
    categories: tuple[str, ...] = ("fine",)
    fine: tuple[int, int] = (0, 0)  # yuan, in thousands
    license_name: str = ""
    minor: bool = False


_MARKET = (
    Story(
        "penalty",
        "shop",
        ("超市", "便利店", "副食品店"),
        "货架上摆放的{n}袋速冻水饺已超过保质期，仍标价销售",
        "上述水饺系当事人于{bought}从批发市场购进，货值金额{value}元，已售出{sold}袋",
        "《中华人民共和国食品安全法》第三十四条第（十）项、第一百二十四条第一款第（五）项",
        "没收超过保质期的速冻水饺{rest}袋，并处罚款人民币{fine}元",
        ("confiscation", "fine"),
        (5, 20),
    ),
    Story(
        "penalty",
        "company",
        ("商贸有限公司", "百货有限公司"),
        "其销售的电饭煲标示“原价399元、现价199元”，而该商品前七日内最低交易价格为219元",
        "当事人以虚构原价的方式进行价格促销，自{bought}起共销售该款电饭煲{sold}台",
        "《中华人民共和国价格法》第十四条第（四）项、第四十条第一款，《明码标价和禁止价格欺诈规定》第十九条",
        "警告，并处罚款人民币{fine}元",
        ("warning", "fine"),
        (10, 50),
    ),
    Story(
        "penalty",
        "company",
        ("餐饮管理有限公司",),
        "当事人未取得食品经营许可证，在其经营场所从事餐饮服务",
        "当事人自{bought}起开始经营，违法所得{value}元",
        "《中华人民共和国食品安全法》第三十五条第一款、第一百二十二条第一款",
        "没收违法所得{value}元，并处罚款人民币{fine}元",
        ("confiscation", "fine"),
        (50, 100),
    ),
    Story(
        "penalty",
        "shop",
        ("烟酒店", "便利店"),
        "当事人向未成年人{minor}（{age}周岁）销售卷烟一包",
        "当事人未查验购买者身份证件，店内未设置不向未成年人销售烟酒的标志",
        "《中华人民共和国未成年人保护法》第五十九条第一款、第一百二十三条",
        "责令改正，给予警告，并处罚款人民币{fine}元",
        ("warning", "fine"),
        (1, 5),
        minor=True,
    ),
    Story(
        "licensing",
        "company",
        ("餐饮管理有限公司", "食品有限公司"),
        "当事人于{applied}申请食品经营许可",
        "经书面审查和现场核查，申请材料齐全，经营场所、设备设施和管理制度符合要求",
        "《中华人民共和国食品安全法》第三十五条，《食品经营许可和备案管理办法》第十七条",
        "准予许可",
        license_name="食品经营许可证",
    ),
    Story(
        "coercion",
        "company",
        ("食品有限公司",),
        "其仓库内存放的{n}箱散装白酒无生产日期、无厂名厂址",
        "为防止涉案产品流入市场，经本局负责人批准，对上述白酒实施扣押",
        "《中华人民共和国食品安全法》第一百一十条第（四）项",
        "扣押散装白酒{n}箱，期限三十日",
    ),
    Story(
        "inspection",
        "shop",
        ("超市",),
        "对当事人开展食品安全日常监督检查",
        "检查了经营许可、从业人员健康证明、进货查验记录和食品贮存等{n}项内容，未发现问题",
        "《中华人民共和国食品安全法》第一百一十条",
        "检查结果为符合",
    ),
)
_ENVIRONMENT = (
    Story(
        "penalty",
        "company",
        ("汽车服务有限公司", "汽车维修有限公司"),
        "当事人的喷漆作业未在密闭空间内进行，未配套建设挥发性有机物收集处理设施",
        "当事人自{bought}起在上述场所从事汽车喷涂作业",
        "《中华人民共和国大气污染防治法》第四十五条、第一百零八条第（一）项",
        "责令改正，并处罚款人民币{fine}元",
        ("fine",),
        (20, 50),
    ),
    Story(
        "penalty",
        "company",
        ("食品有限公司", "印染有限公司"),
        "其废水总排口化学需氧量浓度为{value}mg/L，超过《污水综合排放标准》（GB 8978-1996）规定的限值",
        "本局委托有资质的检测机构于检查当日采样，{bought}出具检测报告",
        "《中华人民共和国水污染防治法》第十条、第八十三条第（二）项",
        "责令改正，并处罚款人民币{fine}元",
        ("fine",),
        (100, 300),
    ),
    Story(
        "penalty",
        "company",
        ("机械制造有限公司", "汽车维修有限公司"),
        "当事人将废机油等危险废物露天堆放于厂区西侧空地，未设置危险废物识别标志",
        "现场堆放废机油约{n}桶",
        "《中华人民共和国固体废物污染环境防治法》第七十七条、第一百一十二条第一款第（一）项",
        "责令改正，并处罚款人民币{fine}元",
        ("fine",),
        (100, 200),
    ),
    Story(
        "licensing",
        "company",
        ("印染有限公司", "机械制造有限公司"),
        "当事人于{applied}申请排污许可证",
        "经审查，当事人的污染防治设施和排放浓度、排放量符合排污许可证申请与核发技术规范",
        "《排污许可管理条例》第十一条",
        "准予核发排污许可证",
        license_name="排污许可证",
    ),
    Story(
        "coercion",
        "company",
        ("化工有限公司",),
        "当事人在线监测数据显示其超标排放污染物，且未采取整改措施",
        "经本局负责人批准，对当事人的{n}套生产设施实施查封",
        "《中华人民共和国环境保护法》第二十五条，《环境保护主管部门实施查封、扣押办法》第四条",
        "查封生产设施{n}套，期限三十日",
    ),
)
_URBAN = (
    Story(
        "penalty",
        "shop",
        ("小吃店", "水果店"),
        "当事人在店门外人行道上摆放桌椅、货架等物品占道经营，占用面积约{n}平方米",
        "执法人员于{bought}已责令其改正，当事人逾期未改正",
        "《城市市容和环境卫生管理条例》第十四条、第三十六条第（二）项",
        "责令改正，并处罚款人民币{fine}元",
        ("fine",),
        (1, 2),
    ),
    Story(
        "penalty",
        "company",
        ("建筑工程有限公司", "渣土运输有限公司"),
        "当事人的渣土运输车辆未采取密闭措施，沿途撒漏建筑垃圾约{n}米",
        "涉事车辆由当事人自{bought}起承运工地建筑垃圾",
        "《城市建筑垃圾管理规定》第十四条、第二十三条",
        "责令改正，并处罚款人民币{fine}元",
        ("fine",),
        (5, 20),
    ),
    Story(
        "penalty",
        "shop",
        ("烧烤店", "小吃店"),
        "当事人在居民住宅楼底商从事烧烤经营，未安装油烟净化设施，油烟直排",
        "周边居民自{bought}起多次投诉",
        "《中华人民共和国大气污染防治法》第八十一条第二款、第一百一十八条第二款",
        "责令改正，并处罚款人民币{fine}元",
        ("fine",),
        (5, 10),
    ),
    Story(
        "licensing",
        "company",
        ("广告有限公司", "文化传媒有限公司"),
        "当事人于{applied}申请设置大型户外广告",
        "经审查，设置地点、规格和安全设计符合本市户外广告设置规划",
        "《城市市容和环境卫生管理条例》第十一条",
        "准予设置，有效期三年",
        license_name="户外广告设置许可",
    ),
)
_TRANSPORT = (
    Story(
        "penalty",
        "person",
        (),
        "当事人驾驶号牌为{plate}的重型货车从事道路货物运输，未取得道路运输经营许可",
        "当事人自{bought}起承运建材，每趟收取运费{value}元",
        "《中华人民共和国道路运输条例》第二十一条、第六十三条",
        "没收违法所得{value}元，并处罚款人民币{fine}元",
        ("confiscation", "fine"),
        (10, 30),
    ),
    Story(
        "penalty",
        "company",
        ("物流有限公司",),
        "当事人所属号牌为{plate}的车辆车货总质量为{value}千克，超过规定限值，未办理超限运输许可",
        "经现场称重检测，超限幅度约{n}%",
        "《公路安全保护条例》第三十五条、第六十四条",
        "责令改正，并处罚款人民币{fine}元",
        ("fine",),
        (3, 30),
    ),
    Story(
        "licensing",
        "company",
        ("物流有限公司", "运输有限公司"),
        "当事人于{applied}申请道路货物运输经营许可",
        "经审查，当事人有与其经营业务相适应并经检测合格的车辆{n}辆，驾驶人员均取得从业资格证",
        "《中华人民共和国道路运输条例》第二十一条、第二十四条",
        "准予许可",
        license_name="道路运输经营许可证",
    ),
    Story(
        "coercion",
        "person",
        (),
        "当事人驾驶号牌为{plate}的小型客车从事网约车经营，无法提供车辆营运证",
        "经本局负责人批准，依法暂扣该车辆",
        "《中华人民共和国道路运输条例》第六十六条",
        "暂扣车辆一辆，期限十五日",
    ),
)
_SAFETY = (
    Story(
        "penalty",
        "company",
        ("机械制造有限公司", "化工有限公司"),
        "当事人未按规定对从业人员进行安全生产教育和培训，{n}名新入职员工未经培训即上岗作业",
        "当事人的安全生产教育培训档案自{bought}起未再更新",
        "《中华人民共和国安全生产法》第二十八条第一款、第九十七条第（三）项",
        "责令限期改正，并处罚款人民币{fine}元",
        ("fine",),
        (10, 50),
    ),
    Story(
        "penalty",
        "company",
        ("商贸有限公司", "仓储有限公司"),
        "当事人在有较大危险因素的液化气储存区未设置明显的安全警示标志",
        "该储存区自{bought}起投入使用",
        "《中华人民共和国安全生产法》第三十五条、第九十九条第（一）项",
        "责令限期改正，并处罚款人民币{fine}元",
        ("fine",),
        (10, 50),
    ),
    Story(
        "licensing",
        "company",
        ("化工有限公司", "商贸有限公司"),
        "当事人于{applied}申请危险化学品经营许可",
        "经审查和现场核查，经营场所、储存设施和安全管理制度符合要求",
        "《危险化学品安全管理条例》第三十三条、第三十五条",
        "准予许可",
        license_name="危险化学品经营许可证",
    ),
    Story(
        "inspection",
        "company",
        ("化工有限公司",),
        "对当事人开展安全生产执法检查",
        "检查了安全生产责任制、隐患排查治理和应急预案等{n}项内容，发现一般事故隐患2处，已当场责令整改",
        "《中华人民共和国安全生产法》第六十五条",
        "责令限期整改一般事故隐患2处",
    ),
)
STORIES: dict[str, tuple[Story, ...]] = {
    "market": _MARKET,
    "environment": _ENVIRONMENT,
    "urban": _URBAN,
    "transport": _TRANSPORT,
    "safety": _SAFETY,
}
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
    """One decision telling `story`, dated `decided`; every date in it falls before `decided`."""
    city = agency.city
    district, region = rng.choice(city.districts)
    road = rng.choice(city.roads)
    address = f"{city.name}{district}{road}{rng.randint(1, 399)}号"
    officers = [person_name(rng), person_name(rng)]
    checked = _weekday(decided - timedelta(days=rng.randint(20, 60)))
    bought = checked - timedelta(days=rng.randint(10, 120))
    persons = [Person(name=o, role="officer") for o in officers]
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
        who = f"当事人{name}"
    else:
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
        who = "当事人"
    n = rng.randint(3, 40)
    value = rng.randint(3, 90) * 100
    fine = Decimal(rng.randint(*story.fine) * 1000) if story.fine != (0, 0) else None
    minor = person_name(rng) if story.minor else ""
    fields = {
        "n": n,
        "rest": max(1, n - 2),
        "sold": rng.randint(2, 30),
        "value": value,
        "fine": fine,
        "bought": _cn_date(bought),
        "applied": _cn_date(checked),
        "plate": f"皖{rng.choice('ABC')}{rng.randint(10000, 99999)}",
        "minor": minor,
        "age": rng.randint(13, 17),
    }
    finding = story.finding.format(**fields)
    detail = story.detail.format(**fields)
    witness = person_name(rng)
    persons.append(Person(name=witness, role="witness"))
    if story.kind == "licensing":
        facts = (
            f"{finding}。{_cn_date(_weekday(checked + timedelta(days=rng.randint(3, 10))))}，"
            f"本局工作人员{officers[0]}、{officers[1]}对其位于{address}的经营场所进行现场核查，{detail}。"
        )
    else:
        facts = (
            f"{_cn_date(checked)}，本局执法人员{officers[0]}、{officers[1]}出示执法证件后，对{who}位于"
            f"{address}的{_PLACES[story.party]}进行检查，发现{finding}。经查，{detail}。"
            f"现场负责人{witness}（联系电话：{make_mobile(rng)}）在现场检查笔录上签字确认。"
        )
        if story.kind == "penalty":
            notified = _weekday(decided - timedelta(days=rng.randint(8, 15)))
            facts += f"本局于{_cn_date(notified)}送达行政处罚告知书，当事人在法定期限内未提出陈述、申辩。"
    if minor:
        persons.append(Person(name=minor, role="minor"))
    penalty = license_ = None
    result = story.result.format(**fields) + "。"
    if story.kind == "penalty":
        penalty = Penalty(categories=list(story.categories), fine_yuan=fine)  # type: ignore[arg-type]
    if story.license_name:
        license_ = License(
            name=story.license_name,
            number=f"{agency.abbrev[:1]}{rng.randint(10**11, 10**12 - 1)}",
            valid_from=decided,
            valid_until=decided + timedelta(days=365 * 5 - 1),
        )
    title = {
        "penalty": f"{party.name}行政处罚决定书",
        "licensing": f"{party.name}{story.license_name}准予许可决定书",
        "coercion": f"{party.name}行政强制措施决定书",
        "inspection": f"{party.name}行政检查结果",
    }[story.kind]
    return Intake(
        source_id=source_id,
        agency=agency_ref(agency),
        kind=story.kind,
        document_number=document_number,
        title=title,
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
