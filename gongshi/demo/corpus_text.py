"""The words of the synthetic corpus: names, places, statutes, and the sentences that carry protected data.

The tables are data, long on purpose. `SentenceBuilder` labels what it writes: a protected string is
recorded as gold as it is put in a sentence.
"""

from __future__ import annotations

import random

from msgspec import Struct

from gongshi.demo.identifiers import (
    make_card,
    make_landline,
    make_mobile,
    make_passport,
    make_plate,
    make_property_cert,
    make_resident_id,
)
from gongshi.domain.intake import Person, PersonRole


class GoldSpan(Struct, kw_only=True, frozen=True):
    """A protected string that must not survive redaction, and its category."""

    field: str
    text: str
    category: str


_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃戴莫孔向汤常文关宁时成华安易章柯甘祁喻赖傅洪萧"  # noqa: E501
_COMPOUND = ("欧阳", "司马", "诸葛", "上官", "慕容", "东方", "皇甫", "令狐")
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志红文斌海燕鹏飞浩宇晨阳俊峰雪梅子涵欣怡梓轩佳琪雨婷思远嘉豪立新卫东春生秋菊冬梅德胜家乐晓东慧琳永福金凤诺然诗源庆淑珍彤萱"  # noqa: E501
CITIES = (
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
AGENCIES = (
    "市场监督管理局",
    "生态环境局",
    "城市管理局",
    "交通运输局",
    "应急管理局",
    "卫生健康委员会",
    "自然资源和规划局",
    "住房和城乡建设局",
)
STATUTES = (
    "《中华人民共和国食品安全法》第一百二十四条第一款第（三）项",
    "《中华人民共和国广告法》第五十五条第一款",
    "《中华人民共和国产品质量法》第五十条",
    "《中华人民共和国大气污染防治法》第一百一十七条",
    "《中华人民共和国安全生产法》第一百零一条",
    "《城市市容和环境卫生管理条例》第三十四条",
    "《中华人民共和国道路运输条例》第六十三条",
    "《中华人民共和国行政处罚法》第三十二条第（一）项",
)
INDUSTRY = (
    "餐饮管理有限公司",
    "商贸有限公司",
    "建筑工程有限公司",
    "物流有限公司",
    "食品有限公司",
    "药房连锁有限公司",
    "环保科技有限公司",
    "汽车服务有限公司",
)
SHOPS = ("便利店", "小吃店", "五金店", "烟酒店", "理发店", "水果店", "副食品店", "汽修部")
# Sentences whose words start with a surname character but name nobody: they must come out unchanged.
DISTRACTORS = (
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
ROLES_BEFORE = (
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


def random_name(rng: random.Random) -> str:
    surname = rng.choice(_COMPOUND) if rng.random() < 0.06 else rng.choice(_SURNAMES)
    given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.7 else "")
    return surname + given


def distinct_names(rng: random.Random, n: int) -> list[str]:
    names: list[str] = []
    while len(names) < n:
        candidate = random_name(rng)
        if all(candidate not in other and other not in candidate for other in names):
            names.append(candidate)
    return names


def address(rng: random.Random, detailed: bool = True) -> str:
    city, district = rng.choice(CITIES)
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


def styled_number(rng: random.Random, raw: str) -> str:
    """The same number as an agency clerk might type it: full-width, spaced or dashed."""
    roll = rng.random()
    if roll < 0.15:
        return raw.translate({cp - 0xFEE0: cp for cp in range(0xFF10, 0xFF1A)} | {ord("X"): "Ｘ"})
    if roll < 0.25 and len(raw) > 11:
        return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))
    if roll < 0.3 and len(raw) == 11:
        return f"{raw[:3]}-{raw[3:7]}-{raw[7:]}"
    return raw


class SentenceBuilder:
    """Writes sentences of a case, collecting its gold spans, must-keep strings and named persons."""

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
        return label + self.protect(styled_number(self.rng, number), "resident_id")

    def witness_sentence(self, name: str, role: str, date_text: str) -> str:
        rng = self.rng
        sex = rng.choice("男女")
        pick = rng.randrange(19)
        if pick == 0:
            return (
                f"{role}{name}（{sex}，{rng.randint(1960, 2000)}年{rng.randint(1, 12)}月出生，"
                f"{self.id_phrase(make_resident_id(rng))}，住{self.protect(address(rng), 'address')}）证实了上述情况。"  # noqa: E501
            )
        if pick == 1:
            phone = self.protect(styled_number(rng, make_mobile(rng)), "phone")
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
            card = styled_number(rng, make_card(rng))
            owner = self.person("other", random_name(rng))
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
            return f"当事人以其名下位于{address(rng, False)}的房产（{self.protect(cert, 'property_cert')}）作为经营场所。"  # noqa: E501
        if choice == 4:
            email = f"{rng.choice(('zhang', 'liwei', 'hf_shop', 'sales'))}{rng.randint(1, 999)}@{rng.choice(('163.com', 'qq.com', 'sina.cn'))}"  # noqa: E501
            return f"当事人通过电子邮箱{self.protect(email, 'email')}向客户发送报价单。"
        if choice == 5:
            name = self.person("employee", random_name(rng))
            number = make_passport(rng)
            kind = "护照号码" if number[0] in "EG" else "通行证号码"
            return f"当事人聘用的{name}（{kind}：{self.protect(number, 'passport')}）未办理相关手续。"
        if choice == 6:
            name = self.person("employee", random_name(rng))
            disease = rng.choice(("活动性肺结核", "病毒性肝炎", "化脓性皮肤病"))
            return f"经查，员工{name}患有{self.protect(disease, 'health')}，仍在岗从事接触直接入口食品工作。"
        if choice == 7:
            amount = f"{rng.randint(1000, 9999) // 10 * 10 + rng.choice((3, 7))}元"
            return f"当事人称其家庭月收入仅{self.protect(amount, 'finance')}，请求从轻处罚。"
        landline = make_landline(rng)
        return f"当事人的订货电话{self.protect(landline, 'phone')}印制于产品包装上。"
