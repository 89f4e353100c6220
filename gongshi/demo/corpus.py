"""Synthetic labelled decisions of every kind, party type and phrasing, with gold spans and keeps."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from msgspec import Struct

from gongshi.domain.intake import (
    KINDS,
    AgencyRef,
    Intake,
    License,
    Party,
    PartyKind,
    Penalty,
    Person,
    PersonRole,
    Sensitivity,
)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
REGIONS = ("340104", "340102", "340111", "110105", "310115", "440305", "320106", "330106", "510107", "420106")


def make_resident_id(rng: random.Random, birth: date | None = None) -> str:
    """A valid 18-digit resident ID (GB 11643 mod 11-2)."""
    birth = birth or date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
    body = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    total = sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def make_old_resident_id(rng: random.Random) -> str:
    """A valid old-style 15-digit resident ID."""
    y, m, d = rng.randint(50, 89), rng.randint(1, 12), rng.randint(1, 28)
    return f"{rng.choice(REGIONS)}{y:02d}{m:02d}{d:02d}{rng.randint(0, 999):03d}"


def make_uscc(rng: random.Random, region: str | None = None) -> str:
    """A valid unified social credit code (GB 32100)."""
    head = rng.choice(("91", "92", "93", "12", "52", "11"))
    org = "".join(rng.choice(_USCC_CHARS[:10] if i > 1 else _USCC_CHARS) for i in range(9))
    body = head + (region or rng.choice(REGIONS)) + ("MA" + org[2:] if rng.random() < 0.6 else org)
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_CHARS[(31 - total % 31) % 31]


def make_card(rng: random.Random, length: int | None = None, luhn: bool = True) -> str:
    """A bank card number (UnionPay 62…), Luhn-valid unless told otherwise."""
    length = length or rng.choice((16, 19, 19, 19))
    body = rng.choice(("6222", "6217", "6228", "6212", "6230", "6225")) + "".join(
        str(rng.randint(0, 9)) for _ in range(length - 5)
    )
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    check = (10 - total % 10) % 10
    return body + str(check if luhn else (check + rng.randint(1, 9)) % 10)


def make_mobile(rng: random.Random) -> str:
    """A mainland mobile number."""
    return (
        rng.choice(("13", "15", "18", "17", "19", "14", "16"))
        + str(rng.randint(0, 9))
        + "".join(str(rng.randint(0, 9)) for _ in range(8))
    )


def make_landline(rng: random.Random) -> str:
    """A landline with its area code."""
    area = rng.choice(("0551", "010", "021", "0552", "0553", "025", "0755"))
    return f"{area}-{rng.randint(2, 8)}{rng.randint(0, 9_999_999):07d}"[: len(area) + 9]


def make_plate(rng: random.Random) -> str:
    """A vehicle plate, ordinary or new-energy."""
    prov = rng.choice("皖京沪苏浙粤川鄂鲁豫")
    city = rng.choice("ABCDEFGHJK")
    if rng.random() < 0.3:
        return f"{prov}{city}{rng.choice('DF')}{rng.randint(0, 99999):05d}"
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    tail = [str(rng.randint(0, 9)) for _ in range(5)]
    tail[rng.randint(0, 4)] = rng.choice(letters) if rng.random() < 0.5 else tail[0]
    return f"{prov}{city}{''.join(tail)}"


def make_passport(rng: random.Random) -> str:
    """A passport or travel permit number (E/EA/G/C/CA/H/M/K series)."""
    kind = rng.choice(("E", "EA", "G", "C", "CA", "H", "M", "K", "MA"))
    digits = 8 if len(kind) == 1 else 7
    letter = kind[1] if len(kind) == 2 and kind != "MA" else ""
    prefix = kind[0] + letter if kind != "MA" else "MA"
    return prefix + "".join(str(rng.randint(0, 9)) for _ in range(digits))


def make_property_cert(rng: random.Random) -> str:
    """A property certificate number in one of its common forms."""
    year = rng.randint(2015, 2025)
    city = rng.choice(("合肥市", "芜湖市", "蚌埠市", "淮南市", "马鞍山市", "肥西县"))
    n = rng.randint(1, 9_999_999)
    return rng.choice(
        (
            f"皖（{year}）{city}不动产权第{n:07d}号",
            f"皖({year}){city}不动产权第{n:07d}号",
            f"房权证合产字第{rng.randint(100000, 99999999)}号",
            f"合国用（{year - 10}）第{rng.randint(100, 9999)}号",
        )
    )


class GoldSpan(Struct, kw_only=True, frozen=True):
    """A protected string that must not survive redaction, and its category."""

    field: str
    text: str
    category: str


class LabelledCase(Struct, kw_only=True, frozen=True):
    """One synthetic decision with what must go, what must stay, and the expected status."""

    intake: Intake
    gold: list[GoldSpan]
    must_keep: list[str]
    expected_status: str


def generate(n: int, seed: int = 0) -> list[LabelledCase]:
    """`n` labelled decisions, reproducible from `seed`."""
    rng = random.Random(seed)
    return [_build_case(rng, i) for i in range(n)]


def demo_intakes(n: int = 300, seed: int = 7) -> list[Intake]:
    """Plain intake objects for demo data."""
    return [case.intake for case in generate(n, seed)]


_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃戴莫孔向汤常文关宁时成华安易章柯甘祁喻赖傅洪萧"  # noqa: E501
_COMPOUND = ("欧阳", "司马", "诸葛", "上官", "慕容", "东方", "皇甫", "令狐")
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志红文斌海燕鹏飞浩宇晨阳俊峰雪梅子涵欣怡梓轩佳琪雨婷思远嘉豪立新卫东春生秋菊冬梅德胜家乐晓东慧琳永福金凤诺然诗源庆淑珍彤萱"  # noqa: E501
_CITIES = (
    ("合肥市", "蜀山区"),
    ("合肥市", "包河区"),
    ("芜湖市", "镜湖区"),
    ("蚌埠市", "龙子湖区"),
    ("安庆市", "迎江区"),
    ("阜阳市", "颍州区"),
    ("六安市", "金安区"),
    ("宿州市", "埇桥区"),
)
_ROADS = (
    "长江西路",
    "黄山路",
    "望江东路",
    "金寨路",
    "徽州大道",
    "淮河路",
    "人民路",
    "胜利路",
    "解放路",
    "和平路",
)
_AGENCIES = (
    "市场监督管理局",
    "生态环境局",
    "城市管理局",
    "交通运输局",
    "应急管理局",
    "卫生健康委员会",
    "自然资源和规划局",
    "住房和城乡建设局",
)
_STATUTES = (
    "《中华人民共和国食品安全法》第一百二十四条第一款第（三）项",
    "《中华人民共和国广告法》第五十五条第一款",
    "《中华人民共和国产品质量法》第五十条",
    "《中华人民共和国大气污染防治法》第一百一十七条",
    "《中华人民共和国安全生产法》第一百零一条",
    "《城市市容和环境卫生管理条例》第三十四条",
    "《中华人民共和国道路运输条例》第六十三条",
    "《中华人民共和国行政处罚法》第三十二条第（一）项",
)
_INDUSTRY = (
    "餐饮管理有限公司",
    "商贸有限公司",
    "建筑工程有限公司",
    "物流有限公司",
    "食品有限公司",
    "药房连锁有限公司",
    "环保科技有限公司",
    "汽车服务有限公司",
)
_SHOPS = ("便利店", "小吃店", "五金店", "烟酒店", "理发店", "水果店", "副食品店", "汽修部")
# Sentences whose words start with a surname character but name nobody: they must come out unchanged.
_DISTRACTORS = (
    ("当事人在高温天气下未采取防暑降温措施。", "高温天气"),
    ("涉案方便面、火腿肠均已下架封存。", "方便面"),
    ("当事人将需冷藏的食品常温存放。", "常温存放"),
    ("当事人在万达广场一楼开设门店。", "万达广场"),
    ("周边居民多次反映当事人占道经营。", "周边居民"),
    ("黄金饰品的标签未标注金含量。", "黄金饰品"),
    ("当事人明知其销售的白酒系假冒产品仍予以销售。", "明知"),
    ("关于整改情况，当事人承诺一周内完成。", "关于整改情况"),
    ("该店安全出口被货物堵塞。", "安全出口"),
    ("石化加油站未按规定设置油气回收装置。", "石化加油站"),
    ("江淮汽车维修点的钟表柜台价格标签不清。", "钟表柜台"),
    ("路面有明显油污，冷藏柜温度显示为12℃。", "冷藏柜温度"),
    ("执法人员于当晚对当事人进行突击检查。", "于当晚"),
    ("经营户均表示愿意整改。", "经营户"),
)
_ROLES_BEFORE = (
    "证人",
    "投诉人",
    "举报人",
    "员工",
    "现场负责人",
    "邻居",
    "店员",
    "消费者",
    "驾驶员",
    "委托代理人",
)


def _name(rng: random.Random) -> str:
    surname = rng.choice(_COMPOUND) if rng.random() < 0.06 else rng.choice(_SURNAMES)
    given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.7 else "")
    return surname + given


def _distinct_names(rng: random.Random, n: int) -> list[str]:
    names: list[str] = []
    while len(names) < n:
        candidate = _name(rng)
        if all(candidate not in other and other not in candidate for other in names):
            names.append(candidate)
    return names


def _address(rng: random.Random, detailed: bool = True) -> str:
    city, district = rng.choice(_CITIES)
    prefix = rng.choice(("安徽省", ""))
    road = rng.choice(_ROADS)
    tail = f"{rng.randint(1, 999)}号"
    if detailed:
        tail += rng.choice(
            (
                f"{rng.randint(1, 30)}栋{rng.randint(1, 3)}单元{rng.randint(101, 2802)}室",
                f"{rng.randint(1, 20)}幢{rng.randint(101, 1806)}室",
                "",
                f"附{rng.randint(1, 9)}号",
            )
        )
    return f"{prefix}{city}{district}{road}{tail}"


def _styled_number(rng: random.Random, raw: str) -> str:
    """The same number as an agency clerk might type it: full-width, spaced or dashed."""
    roll = rng.random()
    if roll < 0.15:
        return raw.translate({cp - 0xFEE0: cp for cp in range(0xFF10, 0xFF1A)} | {ord("X"): "Ｘ"})
    if roll < 0.25 and len(raw) > 11:
        return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))
    if roll < 0.3 and len(raw) == 11:
        return f"{raw[:3]}-{raw[3:7]}-{raw[7:]}"
    return raw


class _Builder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.gold: list[GoldSpan] = []
        self.keep: list[str] = []
        self.persons: list[Person] = []

    def protect(self, text: str, category: str, field: str = "facts") -> str:
        self.gold.append(GoldSpan(field=field, text=text, category=category))
        return text

    def person(self, role: PersonRole, name: str, hint: bool | None = None) -> str:
        if hint if hint is not None else self.rng.random() < 0.4:
            self.persons.append(Person(name=name, role=role))
        return self.protect(name, "name")

    def id_phrase(self, number: str) -> str:
        label = self.rng.choice(("公民身份号码：", "身份证号码", "身份证号：", "身份证号 ", "证件号码："))
        return label + self.protect(_styled_number(self.rng, number), "resident_id")

    def witness_sentence(self, name: str, role: str, date_text: str) -> str:
        rng = self.rng
        sex = rng.choice("男女")
        pick = rng.randrange(19)
        if pick == 0:
            return (
                f"{role}{name}（{sex}，{rng.randint(1960, 2000)}年{rng.randint(1, 12)}月出生，"
                f"{self.id_phrase(make_resident_id(rng))}，住{self.protect(_address(rng), 'address')}）证实了上述情况。"  # noqa: E501
            )
        if pick == 1:
            phone = self.protect(_styled_number(rng, make_mobile(rng)), "phone")
            return f"{role}{name}（联系电话：{phone}）反映，当事人长期存在上述行为。"
        job = rng.choice(("厨师", "收银员", "仓库管理员", "司机"))
        return (
            f"经询问，{role}{name}称其于{date_text}在当事人处购买了涉案商品。",
            f"{name}（{sex}）系当事人雇佣的{job}，对上述事实供认不讳。",
            f"{role}{name}在询问笔录中陈述，涉案货物由其负责保管。",
            f"据{role}{name}介绍，涉案产品系从外地购进。",
            f"{name}等人当场证实了当事人的违法行为。",
            f"现场检查时，{role}{name}在场并在现场检查笔录上签字确认。",
            f"{role}{name}，{sex}，{rng.randint(1960, 2000)}年出生，到场后对检查结果无异议。",
            f"据{name}反映，其多次在当事人处购买同类商品。",
            f"{role}：{name}，{sex}，{rng.randint(1960, 2000)}年{rng.randint(1, 12)}月出生。",
            f"{name}的证言与现场检查笔录相互印证。",
            f"当事人与{name}于{date_text}签订了《房屋租赁合同》。",
            f"本局依法向{name}调查取证，{name}对上述情况予以确认。",
            f"{name}系当事人的{rng.choice(('表弟', '邻居', '朋友', '远房亲戚'))}，案发时在店内帮忙。",
            f"经{name}辨认，涉案商品系当事人销售。",
            f"根据{name}提供的聊天记录，涉案商品由当事人发货。",
            f"{role}{name}拒绝在询问笔录上签字。",
            f"当晚，{name}又来到店内，{rng.choice(('要求退货', '索要发票', '购买香烟'))}。",
        )[pick - 2]

    def pii_sentence(self, party_name: str) -> str:
        rng = self.rng
        choice = rng.randrange(9)
        if choice == 0:
            plate = make_plate(rng)
            shown = plate if rng.random() < 0.6 else plate[:2] + "·" + plate[2:]
            lead = rng.choice(("车牌号为", "号牌号码为", "", "牌照为"))
            return f"当事人使用{lead}{self.protect(shown, 'plate')}的{rng.choice(('货车', '面包车', '轿车', '三轮车'))}运输涉案物品。"  # noqa: E501
        if choice == 1:
            card = _styled_number(rng, make_card(rng))
            owner = self.person("other", _name(rng))
            return f"当事人将货款转入{owner}名下的银行卡（卡号：{self.protect(card, 'bank_account')}）。"
        if choice == 2:
            account = "".join(str(rng.randint(0, 9)) for _ in range(rng.choice((17, 19, 20, 22))))
            bank = rng.choice(("中国工商银行合肥庐阳支行", "徽商银行芜湖分行", "中国建设银行合肥城南支行"))
            return (
                f"上述款项通过当事人对公账户（开户行：{bank}，账号：{self.protect(account, 'bank_account')}）"
                "收取。"
            )
        if choice == 3:
            cert = make_property_cert(rng)
            return f"当事人以其名下位于{_address(rng, False)}的房产（{self.protect(cert, 'property_cert')}）作为经营场所。"  # noqa: E501
        if choice == 4:
            email = f"{rng.choice(('zhang', 'liwei', 'hf_shop', 'sales'))}{rng.randint(1, 999)}@{rng.choice(('163.com', 'qq.com', 'sina.cn'))}"  # noqa: E501
            return f"当事人通过电子邮箱{self.protect(email, 'email')}向客户发送报价单。"
        if choice == 5:
            name = self.person("employee", _name(rng))
            number = make_passport(rng)
            kind = "护照号码" if number[0] in "EG" else "通行证号码"
            return f"当事人聘用的{name}（{kind}：{self.protect(number, 'passport')}）未办理相关手续。"
        if choice == 6:
            name = self.person("employee", _name(rng))
            disease = rng.choice(("活动性肺结核", "病毒性肝炎", "化脓性皮肤病"))
            return f"经查，员工{name}患有{self.protect(disease, 'health')}，仍在岗从事接触直接入口食品工作。"
        if choice == 7:
            amount = f"{rng.randint(1000, 9999) // 10 * 10 + rng.choice((3, 7))}元"
            return f"当事人称其家庭月收入仅{self.protect(amount, 'finance')}，请求从轻处罚。"
        landline = make_landline(rng)
        return f"当事人的订货电话{self.protect(landline, 'phone')}印制于产品包装上。"


def _chinese_amount(n: int) -> str:
    return f"{n:,}".replace(",", "") + "元"


def _build_case(rng: random.Random, i: int) -> LabelledCase:
    b = _Builder(rng)
    kind = rng.choice(KINDS + ("penalty",) * 5 + ("licensing",) * 2)
    party_kind: PartyKind = rng.choice(
        ("legal_person", "legal_person", "natural_person", "individual_business", "other_org")
    )
    city, district = rng.choice(_CITIES)
    agency = AgencyRef(code=make_uscc(rng, "340100"), name=f"{city}{rng.choice(_AGENCIES)}")
    decided = date(2025, 1, 1) + timedelta(days=rng.randint(0, 480))
    doc = f"{city[:1]}{rng.choice(('市监', '环', '城管', '交'))}{rng.choice(('罚', '许', '强', '查'))}〔{decided.year}〕{rng.randint(1, 999)}号"  # noqa: E501
    names = _distinct_names(rng, 11)
    withheld = False
    party_lines: list[str] = []
    if party_kind in ("legal_person", "other_org"):
        org_name = f"{city}{rng.choice(('金穗', '鼎盛', '华源', '恒信', '徽禾', '新锐', '润泽', '万家'))}{rng.choice(_INDUSTRY)}"  # noqa: E501
        if party_kind == "other_org":
            org_name = f"{city}{district}{rng.choice(('老年协会', '民办培训学校', '商会', '物业服务中心'))}"
        rep, reg_addr, uscc = names[0], _address(rng, False), make_uscc(rng)
        party = Party(
            kind=party_kind,
            name=org_name,
            id_type="uscc",
            id_number=uscc,
            legal_representative=rep,
            address=reg_addr,
            phone=make_landline(rng),
        )
        party_lines.append(
            rng.choice(
                (
                    f"当事人：{org_name}\n统一社会信用代码：{uscc}\n住所：{reg_addr}\n法定代表人：{rep}\n",
                    f"当事人{org_name}，统一社会信用代码{uscc}，住所地{reg_addr}，法定代表人{rep}。",
                )
            )
        )
        b.keep += [org_name, uscc, rep]
    else:
        person_name, addr, phone = names[0], _address(rng), make_mobile(rng)
        birth = date(rng.randint(1960, 2003), rng.randint(1, 12), rng.randint(1, 28))
        id_number = make_resident_id(rng, birth)
        if party_kind == "natural_person":
            party = Party(
                kind="natural_person",
                name=person_name,
                id_type="resident_id",
                id_number=id_number,
                address=addr,
                phone=phone,
                birth_date=birth,
            )
            party_lines.append(
                f"当事人：{person_name}，{rng.choice('男女')}，{b.id_phrase(id_number)}，"
                f"{rng.choice(('住址：', '住', '家住', '户籍地：'))}{b.protect(addr, 'address')}，"
                f"联系电话：{b.protect(_styled_number(rng, phone), 'phone')}。"
            )
            b.keep.append(person_name)
        else:
            shop = f"{city}{district}{person_name[:1]}记{rng.choice(_SHOPS)}"
            uscc = make_uscc(rng)
            party = Party(
                kind="individual_business",
                name=shop,
                id_type="uscc",
                id_number=uscc,
                legal_representative=person_name,
                address=addr,
                phone=phone,
            )
            party_lines.append(
                f"当事人：{shop}，统一社会信用代码：{uscc}，经营者：{person_name}，"
                f"{b.id_phrase(id_number)}，经营场所：{addr}。"
            )
            # Registration facts of an individual business, published: its name, code, operator, premises.
            b.keep += [shop, uscc, person_name, addr]
    date_text = f"{decided.year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    officers = [names[1], names[2]]
    for o in officers:
        b.person("officer", o, rng.random() < 0.5)
    lines = [
        *party_lines,
        rng.choice(
            (
                f"{date_text}，本局执法人员{officers[0]}、{officers[1]}对当事人经营场所进行现场检查，",
                f"{date_text}，执法人员{officers[0]}和{officers[1]}依法出示执法证件后对当事人进行检查，",
                f"根据群众举报，{date_text}我局执法人员{officers[0]}、{officers[1]}到当事人处调查，",
            )
        )
        + rng.choice(
            (
                f"发现当事人销售的{rng.choice(('王老吉凉茶', '速冻水饺', '散装白酒', '儿童玩具（适用3岁以上）'))}已超过保质期。",  # noqa: E501
                "发现当事人未取得许可擅自从事经营活动。",
                "发现当事人在黄山路路段违规设置户外广告牌。",
            )
        ),
    ]
    amount = rng.randint(1, 200) * 500
    lines.append(f"经查，当事人违法所得{_chinese_amount(amount // 10)}，货值金额{_chinese_amount(amount)}。")
    b.keep += [f"违法所得{_chinese_amount(amount // 10)}", date_text]
    roles = list(_ROLES_BEFORE)
    rng.shuffle(roles)
    for k in range(rng.randint(1, 3)):
        role = roles[k]
        person_role: PersonRole = (
            "witness" if role == "证人" else "complainant" if role in ("投诉人", "举报人") else "other"
        )
        lines.append(b.witness_sentence(b.person(person_role, names[3 + k]), role, date_text))
    if rng.random() < 0.35:
        lines.append(f"次日，{b.person('other', names[7], hint=rng.random() < 0.5)}再次到店内购买同类商品。")
    if rng.random() < 0.2:
        a, c = b.person("other", names[8]), b.person("other", names[9])
        lines.append(
            rng.choice(
                (
                    f"当事人雇请{a}、{c}等人从事装卸作业。",
                    f"{a}、{c}二人系当事人的股东。",
                    f"执法人员分别对{a}、{c}进行了询问。",
                )
            )
        )
    if rng.random() < 0.15:
        supplier = (
            f"{rng.choice(_CITIES)[0]}{rng.choice(('鑫源', '百味', '好邻居', '天润'))}{rng.choice(_INDUSTRY)}"
        )
        rep_other = b.person("other", names[10])
        lines.append(f"供货方{supplier}的法定代表人{rep_other}称，涉案货物系正规渠道进货。")
        b.keep.append(supplier)
    for _ in range(rng.randint(0, 2)):
        sentence, keep = rng.choice(_DISTRACTORS)
        lines.append(sentence)
        b.keep.append(keep)
    for _ in range(rng.randint(0, 3)):
        lines.append(b.pii_sentence(party.name))
    if rng.random() < 0.3:
        lines.append(
            f"如有疑问可拨打12345或12315热线，或致电400-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}。"
        )
        b.keep.append("12315")
    sensitivity = Sensitivity()
    roll = rng.random()
    if roll < 0.04:
        sensitivity = Sensitivity(
            **{rng.choice(("trade_secret", "privacy_harm", "public_security", "state_secret")): True}
        )
        withheld = True
    elif roll < 0.12:
        withheld = True
        minor = names[6]
        age = rng.randint(12, 17)
        variant = rng.randrange(4)
        if variant == 0:
            b.persons.append(Person(name=minor, role="minor"))
            lines.append(f"当事人向{b.protect(minor, 'name')}销售香烟一包。")
        elif variant == 1:
            lines.append(f"当事人向未成年人{b.protect(minor, 'name')}（{age}周岁）销售酒精饮料。")
        elif variant == 2:
            lines.append(
                f"当事人雇佣的{b.protect(minor, 'name')}年仅{'十' + '一二三四五六七'[age - 11] if age > 10 else age}周岁。"  # noqa: E501
            )
        else:
            birth = decided - timedelta(days=365 * age + 30)
            lines.append(
                f"当事人接纳的顾客{b.protect(minor, 'name')}（{b.id_phrase(make_resident_id(rng, birth))}）。"
            )
    statute = rng.choice(_STATUTES)
    b.keep += [statute, doc, agency.name]
    fine = Decimal(rng.randint(1, 100) * 1000)
    penalty = None
    license_ = None
    result = "责令当事人立即改正。"
    if kind == "penalty":
        penalty = Penalty(categories=["warning", "fine"], fine_yuan=fine)
        result = f"决定给予警告，并处罚款人民币{fine}元。"
        if rng.random() < 0.1:
            refund = b.person("complainant", names[5], hint=False)
            b.gold[-1] = GoldSpan(field="result", text=refund, category="name")
            result += f"责令当事人向{refund}退还货款。"
        b.keep.append(f"{fine}元")
    elif kind == "licensing":
        number = f"JY1{rng.randint(10**12, 10**13 - 1)}"
        license_ = License(
            name="食品经营许可证",
            number=number,
            valid_from=decided,
            valid_until=decided + timedelta(days=365 * 5),
        )
        result = f"准予许可，许可证编号：{number}，有效期至{decided.year + 5}年。"
        b.keep.append(number)
    facts = "".join(lines)
    title = f"{party.name}{'行政处罚决定书' if kind == 'penalty' else '行政执法决定书'}"
    full_text = None
    if rng.random() < 0.3:
        full_text = (
            f"{agency.name}\n{title}\n{doc}\n{facts}\n依据{statute}，{result}\n{agency.name}\n{date_text}"
        )
    intake = Intake(
        source_id=f"SYN-{i:06d}",
        agency=agency,
        kind=kind,
        document_number=doc,
        title=title,
        decided_on=decided,
        party=party,
        facts=facts,
        legal_basis=f"依据{statute}的规定。",
        result=result,
        penalty=penalty,
        license=license_,
        persons=b.persons,
        sensitivity=sensitivity,
        full_text=full_text,
    )
    return LabelledCase(
        intake=intake,
        gold=b.gold,
        must_keep=b.keep,
        expected_status="withheld" if withheld else "publishable",
    )
