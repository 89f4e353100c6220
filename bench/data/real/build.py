"""Build the real-text redaction corpus: src/*.json (tagged published documents) -> corpus.jsonl.

Run: .venv/bin/python bench/data/real/build.py [--check] [--src DIR] [--out FILE]

Every src file is validated (an error names the file and the tag), every tag is filled with a
realistic value chosen deterministically from the document id, and one line per document is written:
id, part (dev|test by the sha256 rule of /work/briefs/corpus_format.md, fixed in advance), domain, kind,
source_url, intake (a valid gongshi intake), gold (must-remove items with category, role and their
spans), keep (must-keep strings incl. the automatic ones, with spans), expected_status, withhold_reason.
`--check` validates and fills without writing.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TAG = re.compile(r"⟦([^⟦⟧]*)⟧")
ID_RE = re.compile(r"^[a-z0-9]{1,8}(?:-[a-z0-9]{1,16}){1,4}$")
KEY_RE = re.compile(r"^[A-Za-z0-9_]{1,16}$")
DOMAINS = frozenset(
    [
        "market_regulation",
        "environment",
        "transport",
        "public_security",
        "emergency",
        "natural_resources",
        "tax",
        "health",
        "culture",
        "agriculture",
        "housing",
        "urban_management",
        "education",
        "water",
        "forestry",
        "other",
    ]
)
KINDS = {
    "penalty": "penalty",
    "licensing": "licensing",
    "coercion": "coercion",
    "inspection": "inspection",
    "review": "other",
    "other": "other",
}
PARTY_KINDS = frozenset(["legal_person", "natural_person", "individual_business", "other_org"])
ID_TYPES = frozenset(
    [
        "uscc",
        "resident_id",
        "passport",
        "hk_macao_permit",
        "taiwan_permit",
        "foreign_permanent_residence",
        "other",
    ]
)
NAME_ROLES = frozenset(
    [
        "party",
        "legal_rep",
        "operator",
        "witness",
        "complainant",
        "victim",
        "bystander",
        "employee",
        "officer",
        "agent",
        "relative",
        "minor",
        "other",
    ]
)
OWNER_ROLES = frozenset(["party", "legal_rep", "operator", "third", "officer"])
PUBLIC_ROLES = frozenset(["party", "legal_rep", "operator"])
HANDLES = {"wechat": "handle", "qq": "handle", "alipay": "handle", "douyin": "handle", "email": "email"}
KEEP_KINDS = frozenset(
    [
        "document_number",
        "amount",
        "amount_cn",
        "statute",
        "date",
        "org_name",
        "agency_name",
        "place",
        "brand",
        "licence_number",
        "uscc",
        "org_address",
        "public_phone",
        "legal_word",
        "other",
        "person_public",
    ]
)
PERSON_ROLES = {
    "witness",
    "bystander",
    "complainant",
    "victim",
    "officer",
    "agent",
    "employee",
    "minor",
    "other",
}
# Gold category per tag type (the engine's categories where it has one).
CATEGORY = {
    "name": "name",
    "id": "resident_id",
    "phone": "phone",
    "tel": "phone",
    "card": "bank_account",
    "plate": "plate",
    "addr": "address",
    "passport": "passport",
    "cert": "property_cert",
}
CHECKSUMMED = ("resident_id", "bank_account")

PROVINCES = {
    "11": ("北京", "京", "北京"),
    "12": ("天津", "津", "天津"),
    "13": ("河北", "冀", "石家庄"),
    "14": ("山西", "晋", "太原"),
    "15": ("内蒙古", "蒙", "呼和浩特"),
    "21": ("辽宁", "辽", "沈阳"),
    "22": ("吉林", "吉", "长春"),
    "23": ("黑龙江", "黑", "哈尔滨"),
    "31": ("上海", "沪", "上海"),
    "32": ("江苏", "苏", "南京"),
    "33": ("浙江", "浙", "杭州"),
    "34": ("安徽", "皖", "合肥"),
    "35": ("福建", "闽", "福州"),
    "36": ("江西", "赣", "南昌"),
    "37": ("山东", "鲁", "济南"),
    "41": ("河南", "豫", "郑州"),
    "42": ("湖北", "鄂", "武汉"),
    "43": ("湖南", "湘", "长沙"),
    "44": ("广东", "粤", "广州"),
    "45": ("广西", "桂", "南宁"),
    "46": ("海南", "琼", "海口"),
    "50": ("重庆", "渝", "重庆"),
    "51": ("四川", "川", "成都"),
    "52": ("贵州", "贵", "贵阳"),
    "53": ("云南", "云", "昆明"),
    "54": ("西藏", "藏", "拉萨"),
    "61": ("陕西", "陕", "西安"),
    "62": ("甘肃", "甘", "兰州"),
    "63": ("青海", "青", "西宁"),
    "64": ("宁夏", "宁", "银川"),
    "65": ("新疆", "新", "乌鲁木齐"),
}
PLATE_PROVINCES = frozenset(p[1] for p in PROVINCES.values())
_AREA = (
    "北京010 上海021 天津022 重庆023 广州020 深圳0755 南京025 武汉027 成都028 "
    "西安029 沈阳024 杭州0571 宁波0574 温州0577 嘉兴0573 湖州0572 绍兴0575 金华0579 "
    "衢州0570 舟山0580 台州0576 丽水0578 义乌0579 合肥0551 芜湖0553 蚌埠0552 淮南0554 "
    "马鞍山0555 安庆0556 宿州0557 阜阳0558 亳州0558 黄山0559 滁州0550 六安0564 宣城0563 "
    "池州0566 淮北0561 铜陵0562 福州0591 厦门0592 泉州0595 漳州0596 莆田0594 宁德0593 "
    "三明0598 南平0599 龙岩0597 南昌0791 九江0792 赣州0797 上饶0793 景德镇0798 萍乡0799 "
    "新余0790 鹰潭0701 吉安0796 宜春0795 抚州0794 济南0531 青岛0532 淄博0533 德州0534 "
    "烟台0535 潍坊0536 济宁0537 泰安0538 临沂0539 菏泽0530 滨州0543 东营0546 威海0631 "
    "枣庄0632 日照0633 聊城0635 郑州0371 开封0371 洛阳0379 平顶山0375 安阳0372 鹤壁0392 "
    "新乡0373 焦作0391 濮阳0393 许昌0374 漯河0395 三门峡0398 南阳0377 商丘0370 信阳0376 "
    "周口0394 驻马店0396 长沙0731 株洲0731 湘潭0731 衡阳0734 邵阳0739 岳阳0730 常德0736 "
    "张家界0744 益阳0737 郴州0735 永州0746 怀化0745 娄底0738 湘西0743 石家庄0311 唐山0315 "
    "秦皇岛0335 邯郸0310 邢台0319 保定0312 张家口0313 承德0314 沧州0317 廊坊0316 衡水0318 "
    "太原0351 大同0352 阳泉0353 长治0355 晋城0356 朔州0349 晋中0354 运城0359 忻州0350 "
    "临汾0357 吕梁0358 呼和浩特0471 包头0472 乌海0473 赤峰0476 鄂尔多斯0477 通辽0475 大连0411 "
    "鞍山0412 抚顺0413 本溪0414 丹东0415 锦州0416 营口0417 阜新0418 辽阳0419 盘锦0427 "
    "铁岭0410 朝阳0421 葫芦岛0429 长春0431 吉林0432 四平0434 通化0435 白山0439 松原0438 "
    "白城0436 延边0433 哈尔滨0451 齐齐哈尔0452 牡丹江0453 佳木斯0454 大庆0459 绥化0455 无锡0510 "
    "徐州0516 常州0519 苏州0512 南通0513 连云港0518 淮安0517 盐城0515 扬州0514 镇江0511 "
    "泰州0523 宿迁0527 韶关0751 珠海0756 汕头0754 佛山0757 江门0750 湛江0759 茂名0668 "
    "肇庆0758 惠州0752 梅州0753 汕尾0660 河源0762 阳江0662 清远0763 东莞0769 中山0760 "
    "潮州0768 揭阳0663 云浮0766 南宁0771 柳州0772 桂林0773 梧州0774 北海0779 防城港0770 "
    "钦州0777 贵港0775 玉林0775 百色0776 贺州0774 河池0778 来宾0772 崇左0771 海口0898 "
    "三亚0898 儋州0898 自贡0813 攀枝花0812 泸州0830 德阳0838 绵阳0816 广元0839 遂宁0825 "
    "内江0832 乐山0833 南充0817 眉山028 宜宾0831 广安0826 达州0818 雅安0835 巴中0827 "
    "资阳028 凉山0834 贵阳0851 遵义0851 六盘水0858 安顺0851 毕节0857 铜仁0856 黔东南0855 "
    "黔南0854 昆明0871 曲靖0874 玉溪0877 大理0872 红河0873 楚雄0878 保山0875 昭通0870 "
    "丽江0888 普洱0879 拉萨0891 日喀则0892 铜川0919 宝鸡0917 咸阳029 渭南0913 延安0911 "
    "汉中0916 榆林0912 安康0915 商洛0914 兰州0931 天水0938 白银0943 酒泉0937 张掖0936 "
    "武威0935 定西0932 平凉0933 庆阳0934 陇南0939 西宁0971 海东0972 银川0951 石嘴山0952 "
    "吴忠0953 固原0954 中卫0955 乌鲁木齐0991 克拉玛依0990 伊犁0999 伊宁0999 阿勒泰0906 喀什0998 "
    "哈密0902 昌吉0994 阿克苏0997 库尔勒0996 巴音郭楞0996 黄石0714 十堰0719 宜昌0717 襄阳0710 "
    "鄂州0711 荆门0724 孝感0712 荆州0716 黄冈0713 咸宁0715 随州0722 恩施0718 仙桃0728 "
    "天门0728 潜江0728"
)
AREA_CODES = {m.group(1): m.group(2) for m in re.finditer(r"([\u4e00-\u9fff]+)(0\d{2,3})", _AREA)}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
COMPOUND = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "慕容",
    "令狐",
    "夏侯",
    "尉迟",
    "公孙",
    "长孙",
    "宇文",
    "司徒",
    "端木",
    "西门",
    "独孤",
    "南宫",
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红梅鑫波斌宇浩凯健俊帆帅旭宁龙林欣佳琪雪婷颖晨"
    "思雨嘉怡子涵梓轩浩然俊杰欣怡宇航博文一鸣志强建国建华海燕春梅国庆晓东晓峰立新永红德胜振华文斌金凤丽娟"
    "淑珍秀兰桂芳玉兰凤英国华家豪雅琴慧敏宏伟海涛云飞鹏飞少华德明春生秋菊冬梅兴旺福生长青雪梅金花翠兰玉珍"
    "天佑昊然若曦诗涵亦凡子墨沐阳语桐梓萱一诺书瑶晓燕晓丽晓红晓光振宇泽宇锦程文杰文静美玲美华丽华丽萍世杰"
    "世明志刚志红志勇光明光荣荣华兆丰兆祥玉山玉林宝山宝林宝华学军学文学明忠诚忠义永福永强永刚茂林茂盛"
)
GIVEN_SINGLE = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚英华萍红梅鑫波斌宇浩凯健俊帆帅旭宁龙林欣琪雪婷颖晨峰辉亮"
)
ROADS = (
    "长江",
    "黄山",
    "人民",
    "建设",
    "解放",
    "和平",
    "胜利",
    "文化",
    "新华",
    "中山",
    "朝阳",
    "幸福",
    "光明",
    "团结",
    "友谊",
    "青年",
    "东风",
    "红旗",
    "迎宾",
    "滨河",
    "望江",
    "金寨",
    "南京",
    "北京",
    "太湖",
    "翠竹",
    "梧桐",
    "桂花",
    "振兴",
    "繁华",
    "兴业",
    "富民",
    "育才",
    "公园",
    "车站",
    "健康",
    "丰收",
)
ROAD_KINDS = ("路", "路", "路", "街", "大道", "巷")
ESTATES = (
    "阳光花园",
    "金色家园",
    "翠湖小区",
    "锦绣华庭",
    "幸福里小区",
    "香樟苑",
    "绿地新城",
    "碧桂园",
    "万科城",
    "职工宿舍",
    "世纪花园",
    "滨江花园",
    "新村",
    "东方明珠小区",
    "龙湖春江郦城",
    "南苑小区",
)
VILLAGES = (
    "王庄",
    "李家",
    "张湾",
    "新桥",
    "大河",
    "黄岗",
    "柳树",
    "杨林",
    "石桥",
    "红星",
    "前进",
    "东山",
    "西湖",
    "高坝",
    "双河",
    "三里",
    "七里",
    "桃园",
    "马场",
    "团山",
)
TOWNS = ("城关", "新集", "高店", "三河", "白石", "梅山", "长岭", "桥头", "花园", "平安", "永安", "和平")
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "147",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "170",
    "173",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "184",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
]
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
NO_NUMBER = "（无文号）"
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


class SrcError(ValueError):
    """A src file that does not follow the format; the message names the file and the tag."""


@dataclass
class Tag:
    raw: str
    type: str
    role: str = ""
    key: str = ""
    variant: str = ""  # name: given|surname; handle: wechat|qq|…
    params: dict[str, str] = field(default_factory=dict)
    text: str = ""  # health/finance/keep


def parse_tag(raw: str, where: str) -> Tag:
    """One tag body (between ⟦ and ⟧) checked against the grammar."""

    def fail(why: str) -> SrcError:
        return SrcError(f"{where}: tag ⟦{raw}⟧: {why}")

    head, _, rest = raw.partition(":")
    if head in ("health", "finance"):
        if not rest.strip():
            raise fail("empty text")
        return Tag(raw, head, text=rest)
    if head == "keep":
        kind, sep, text = rest.partition(":")
        if not sep or not text:
            raise fail("expected ⟦keep:KIND:TEXT⟧")
        if kind not in KEEP_KINDS:
            raise fail(f"unknown keep kind {kind!r} (one of {', '.join(sorted(KEEP_KINDS))})")
        return Tag(raw, head, variant=kind, text=text)
    parts = raw.split(":")
    variant = ""
    if head == "handle":
        if len(parts) < 4 or parts[1] not in HANDLES:
            raise fail(f"expected ⟦handle:{'|'.join(HANDLES)}:ROLE:KEY⟧")
        variant = parts[1]
        parts = [parts[0], *parts[2:]]
    if head not in CATEGORY and head != "handle":
        raise fail(f"unknown tag type {head!r}")
    if len(parts) < 3:
        raise fail("expected TYPE:ROLE:KEY")
    role, key, extra = parts[1], parts[2], parts[3:]
    roles = NAME_ROLES if head == "name" else OWNER_ROLES
    if role not in roles:
        raise fail(f"unknown role {role!r} for {head} (one of {', '.join(sorted(roles))})")
    if not KEY_RE.match(key):
        raise fail(f"bad KEY {key!r} (letters, digits, _)")
    params: dict[str, str] = {}
    allowed = {"id": {"age"}, "tel": {"city"}, "plate": {"prov"}, "addr": {"region"}}.get(head, set())
    for item in extra:
        if head == "name" and item in ("given", "surname") and not variant:
            variant = item
            continue
        k, eq, v = item.partition("=")
        if not eq or k not in allowed or not v:
            raise fail(f"unexpected part {item!r}")
        params[k] = v
    if "age" in params and not (params["age"].isdigit() and 0 < int(params["age"]) < 100):
        raise fail("age must be a whole number of years 1..99")
    if "prov" in params and params["prov"] not in PLATE_PROVINCES:
        raise fail(f"prov must be a one-character province abbreviation, not {params['prov']!r}")
    if "city" in params and _area_code(params["city"]) is None:
        raise fail(f"no area code known for city {params['city']!r}: write city=0551 or add it to _AREA")
    return Tag(raw, head, role, key, variant, params)


def _area_code(city: str) -> str | None:
    if re.fullmatch(r"0\d{2,3}", city):
        return city
    city = re.sub(r"(?:市|地区|州|盟)$", "", city)
    return AREA_CODES.get(city)


def _rng(doc_id: str, *parts: str) -> random.Random:
    seed = hashlib.sha256("|".join((doc_id, *parts)).encode()).digest()
    return random.Random(int.from_bytes(seed[:8], "big"))


def part_of(source_group: str) -> str:
    """The fixed split rule: a whole publishing source goes to test or to dev."""
    return "test" if hashlib.sha256(source_group.encode()).digest()[0] < 103 else "dev"


def id_check(body: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str((10 - total % 10) % 10)


class Filler:
    """Values of one document: the same (type, KEY) always gets the same value."""

    def __init__(self, doc: dict[str, Any], raw_text: str) -> None:
        self.doc_id: str = doc["id"]
        self.decided = date.fromisoformat(doc["decided_on"])
        agency = doc["agency"]
        self.agency_name: str = agency["name"]
        code = str(agency.get("code") or "")
        self.province = code[2:4] if len(code) == 18 and code[2:4] in PROVINCES else None
        if self.province is None:
            for pc, (pname, _, _) in PROVINCES.items():
                if pname in self.agency_name:
                    self.province = pc
                    break
        self.region_code = code[2:6] if self.province and len(code) == 18 and code[2:6].isdigit() else None
        if self.province is None:
            for city, area in AREA_CODES.items():
                if city in self.agency_name:
                    self.province = _province_of_area(area)
                    break
        self.province = self.province or "34"
        city = re.search(r"([\u4e00-\u9fff]{2,4}?)(?:市|州|地区|盟)", self.agency_name)
        self.city = city.group(1) if city and _area_code(city.group(1)) else PROVINCES[self.province][2]
        self.raw_text = raw_text
        self.values: dict[tuple[str, str], Any] = {}
        self.names_used: set[str] = set()
        self.forms: dict[tuple[str, str], int] = {}

    def _name(self, key: str) -> tuple[str, str]:
        if ("name", key) in self.values:
            return self.values[("name", key)]  # type: ignore[no-any-return]
        for attempt in range(50):
            rng = _rng(self.doc_id, "name", key, str(attempt))
            if rng.random() < 0.05:
                surname = rng.choice(COMPOUND)
                given = rng.choice(GIVEN_SINGLE)
            else:
                surname = rng.choice(SURNAMES)
                given = rng.choice(GIVEN_SINGLE) if rng.random() < 0.3 else _two(rng)
            full = surname + given
            clash = any(full[:2] == u[:2] or given in u for u in self.names_used)
            if not clash and full not in self.raw_text and given not in self.raw_text:
                break
        self.names_used.add(full)
        self.values[("name", key)] = (surname, given)
        return surname, given

    def name(self, tag: Tag) -> str:
        surname, given = self._name(tag.key)
        return {"given": given, "surname": surname}.get(tag.variant, surname + given)

    def resident_id(self, tag: Tag, plain: bool) -> str:
        k = ("id", tag.key)
        if k not in self.values:
            rng = _rng(self.doc_id, "id", tag.key)
            if "age" in tag.params:
                age = int(tag.params["age"])
            elif tag.role == "minor" or tag.key.startswith("minor"):
                age = rng.randint(12, 17)
            else:
                age = rng.randint(20, 66)
            # Born between one day and one year before the birthday that makes them `age` on decided_on.
            latest = _years_before(self.decided, age)
            birth = latest - timedelta(days=rng.randint(0, 364))
            region = (
                self.region_code or self.province + f"{rng.randint(1, 15):02d}"
            ) + f"{rng.randint(1, 30):02d}"
            seq = f"{rng.randint(0, 999):03d}"
            if birth.year < 2000 and rng.random() < 0.08:
                number = f"{region}{birth:%y%m%d}{seq}"
            else:
                body = f"{region}{birth:%Y%m%d}{seq}"
                number = body + id_check(body)
            form = rng.choices((0, 1, 2), (0.8, 0.1, 0.1))[0]
            self.values[k] = (number, form)
        number, form = self.values[k]
        if plain or len(number) == 15:
            return str(number)
        if form == 1:
            return str(number).translate(_FULL)
        if form == 2:
            return f"{number[:6]} {number[6:14]} {number[14:]}"
        return str(number)

    def phone(self, tag: Tag, plain: bool) -> str:
        k = ("phone", tag.key)
        if k not in self.values:
            rng = _rng(self.doc_id, "phone", tag.key)
            number = rng.choice(MOBILE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(8))
            self.values[k] = (number, rng.choices((0, 1, 2, 3), (0.7, 0.1, 0.1, 0.1))[0])
        number, form = self.values[k]
        if plain or form == 0:
            return str(number)
        if form == 1:
            return f"{number[:3]} {number[3:7]} {number[7:]}"
        if form == 2:
            return f"{number[:3]}-{number[3:7]}-{number[7:]}"
        return str(number).translate(_FULL)

    def tel(self, tag: Tag) -> str:
        k = ("tel", tag.key)
        if k not in self.values:
            rng = _rng(self.doc_id, "tel", tag.key)
            area = _area_code(tag.params.get("city", "")) or _area_code(self.city) or "0551"
            length = 8 if len(area) == 3 or rng.random() < 0.7 else 7
            local = str(rng.randint(2, 8)) + "".join(str(rng.randint(0, 9)) for _ in range(length - 1))
            form = rng.choices((0, 1, 2, 3), (0.6, 0.15, 0.15, 0.1))[0]
            self.values[k] = [f"{area}-{local}", f"{area} {local}", f"（{area}）{local}", f"{area}{local}"][
                form
            ]
        return str(self.values[k])

    def card(self, tag: Tag) -> str:
        k = ("card", tag.key)
        if k not in self.values:
            rng = _rng(self.doc_id, "card", tag.key)
            length = rng.choice((16, 19, 19, 19, 17, 18))
            prefix = rng.choice(
                ("6222", "6217", "6228", "6212", "6230", "6225", "6214", "6216", "4367", "5187")
            )
            body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
            number = body + luhn_digit(body)
            spaced = rng.random() < 0.25
            self.values[k] = (
                " ".join(number[i : i + 4] for i in range(0, len(number), 4)) if spaced else number
            )
        return str(self.values[k])

    def plate(self, tag: Tag) -> str:
        k = ("plate", tag.key)
        if k not in self.values:
            rng = _rng(self.doc_id, "plate", tag.key)
            prov = tag.params.get("prov") or PROVINCES[self.province][1]
            letter = rng.choice("ABCDEFGHJKLMN")
            if rng.random() < 0.15:
                tail = rng.choice("DF") + "".join(str(rng.randint(0, 9)) for _ in range(5))
            else:
                chars = [str(rng.randint(0, 9)) for _ in range(5)]
                if rng.random() < 0.4:
                    chars[rng.randint(0, 2)] = rng.choice(LETTERS)
                tail = "".join(chars)
            sep = rng.choices(("", "·", " "), (0.6, 0.3, 0.1))[0]
            self.values[k] = f"{prov}{letter}{sep}{tail}"
        return str(self.values[k])

    def address(self, tag: Tag) -> tuple[str, int]:
        """The address and the length of its region prefix (what may stay visible)."""
        k = ("addr", tag.key, tag.params.get("region", ""))
        if k not in self.values:
            rng = _rng(self.doc_id, "addr", tag.key)
            region = tag.params.get("region", "")
            if rng.random() < 0.3:
                town = rng.choice(TOWNS) + rng.choice("镇乡")
                detail = f"{town}{rng.choice(VILLAGES)}村{rng.randint(1, 12)}组{rng.randint(1, 88)}号"
                if re.search(r"[镇乡]$", region):
                    detail = detail[len(town) :]
            else:
                road = rng.choice(ROADS) + rng.choice(ROAD_KINDS)
                detail = f"{road}{rng.randint(1, 399)}号"
                if rng.random() < 0.6:
                    detail += (
                        f"{rng.choice(ESTATES)}{rng.randint(1, 30)}栋{rng.randint(1, 4)}单元"
                        f"{rng.randint(1, 28)}{rng.randint(1, 4):02d}室"
                    )
            self.values[k] = (region + detail, len(region))
        value: tuple[str, int] = self.values[k]
        return value

    def handle(self, tag: Tag) -> str:
        k = ("handle:" + tag.variant, tag.key)
        if k not in self.values:
            rng = _rng(self.doc_id, "handle", tag.variant, tag.key)
            letters = "abcdefghijkmnpqrstuvwxyz"
            word = "".join(rng.choice(letters) for _ in range(rng.randint(3, 7)))
            digits = "".join(str(rng.randint(0, 9)) for _ in range(rng.randint(2, 6)))
            if tag.variant == "wechat":
                value = (
                    "wxid_" + "".join(rng.choice(letters + "0123456789") for _ in range(12))
                    if rng.random() < 0.4
                    else word + rng.choice(("", "_", "-")) + digits
                )
            elif tag.variant == "qq":
                value = str(rng.randint(1, 9)) + "".join(
                    str(rng.randint(0, 9)) for _ in range(rng.randint(4, 10))
                )
            elif tag.variant == "alipay":
                value = (
                    rng.choice(MOBILE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(8))
                    if rng.random() < 0.6
                    else f"{word}{digits}@{rng.choice(('163.com', 'qq.com', '126.com'))}"
                )
            elif tag.variant == "douyin":
                value = (
                    word + digits
                    if rng.random() < 0.6
                    else "dy" + "".join(str(rng.randint(0, 9)) for _ in range(9))
                )
            else:
                host = rng.choice(("qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "gmail.com"))
                value = f"{word}{digits}@{host}"
            self.values[k] = value
        return str(self.values[k])

    def passport(self, tag: Tag) -> str:
        k = ("passport", tag.key)
        if k not in self.values:
            rng = _rng(self.doc_id, "passport", tag.key)
            n8 = "".join(str(rng.randint(0, 9)) for _ in range(8))
            self.values[k] = rng.choice(
                (
                    f"E{n8}",
                    f"E{rng.choice('ABCDEFGH')}{n8[:7]}",
                    f"C{n8}",
                    f"H{n8}",
                    f"M{n8}",
                    f"H{n8}{n8[:2]}",
                )
            )
        return str(self.values[k])

    def cert(self, tag: Tag, before: str) -> str:
        k = ("cert", tag.key)
        if k not in self.values:
            rng = _rng(self.doc_id, "cert", tag.key)
            if re.search(r"车辆|机动车|登记证书|登记证", before[-14:]):
                self.values[k] = self.province + "".join(str(rng.randint(0, 9)) for _ in range(10))
            else:
                prov = PROVINCES[self.province][1]
                year = rng.randint(2015, min(2025, self.decided.year))
                self.values[k] = f"{prov}（{year}）{self.city}市不动产权第{rng.randint(1, 9999999):07d}号"
        return str(self.values[k])


def _two(rng: random.Random) -> str:
    if rng.random() < 0.5:
        pairs = [GIVEN[i : i + 2] for i in range(0, len(GIVEN) - 1, 2)]
        return rng.choice(pairs)
    return rng.choice(GIVEN_SINGLE) + rng.choice(GIVEN_SINGLE)


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def _province_of_area(area: str) -> str | None:
    for pc, (_, _, capital) in PROVINCES.items():
        if AREA_CODES.get(capital) == area:
            return pc
    return None


@dataclass
class Built:
    text: str
    gold: list[tuple[int, int, str, str, int]]  # start, end, category, role, visible prefix length
    keep: list[tuple[int, int, str]]


def fill(value: str, filler: Filler, where: str, *, plain: bool = False) -> Built:
    """Replace every tag in `value`; gold and keep spans are offsets in the filled string."""
    out: list[str] = []
    gold: list[tuple[int, int, str, str, int]] = []
    keep: list[tuple[int, int, str]] = []
    pos = 0
    length = 0
    for m in TAG.finditer(value):
        chunk = value[pos : m.start()]
        if "⟦" in chunk or "⟧" in chunk:
            raise SrcError(f"{where}: unbalanced ⟦ ⟧ near {chunk[-20:]!r}")
        out.append(chunk)
        length += len(chunk)
        tag = parse_tag(m.group(1), where)
        visible = 0
        if tag.type in ("health", "finance"):
            filled, category, role = tag.text, tag.type, "person"
        elif tag.type == "keep":
            filled, category, role = tag.text, "", ""
            keep.append((length, length + len(filled), tag.variant))
        elif tag.type == "name":
            filled = filler.name(tag)
            category, role = "name", tag.role
            if tag.variant == "surname" or tag.role in PUBLIC_ROLES:
                if tag.role in PUBLIC_ROLES and not tag.variant:
                    keep.append((length, length + len(filled), "person_public"))
                category = ""
        elif tag.type == "id":
            filled, category, role = filler.resident_id(tag, plain), "resident_id", tag.role
        elif tag.type == "phone":
            filled, category, role = filler.phone(tag, plain), "phone", tag.role
        elif tag.type == "tel":
            filled, category, role = filler.tel(tag), "phone", tag.role
        elif tag.type == "card":
            filled, category, role = filler.card(tag), "bank_account", tag.role
        elif tag.type == "plate":
            filled, category, role = filler.plate(tag), "plate", tag.role
        elif tag.type == "addr":
            filled, visible = filler.address(tag)
            category, role = "address", tag.role
        elif tag.type == "handle":
            filled, category, role = filler.handle(tag), HANDLES[tag.variant], tag.role
        elif tag.type == "passport":
            filled, category, role = filler.passport(tag), "passport", tag.role
        elif tag.type == "cert":
            filled, category, role = filler.cert(tag, "".join(out)), "property_cert", tag.role
        else:  # pragma: no cover - parse_tag rejects the rest
            raise SrcError(f"{where}: tag ⟦{tag.raw}⟧: unhandled")
        if category:
            gold.append((length, length + len(filled), category, role, visible))
        out.append(filled)
        length += len(filled)
        pos = m.end()
    tail = value[pos:]
    if "⟦" in tail or "⟧" in tail:
        raise SrcError(f"{where}: unbalanced ⟦ ⟧ near {tail[:20]!r}")
    out.append(tail)
    return Built("".join(out), gold, keep)


_STATUTE = re.compile(
    r"第[一二三四五六七八九十百零〇0-9]+条(?:之[一二三四五六七八九十]+)?"
    r"(?:第[一二三四五六七八九十百零〇0-9]+款)?(?:第[（(]?[一二三四五六七八九十0-9]+[)）]?项)?"
)
_AMOUNT = re.compile(r"(?<![0-9.])[0-9][0-9,，]*(?:\.[0-9]+)?\s*(?:万|千|百)?元")
_DATE = re.compile(r"(?:19|20)[0-9]{2}年[0-9]{1,2}月[0-9]{1,2}日|(?:19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]")


def _overlap(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < y and x < b for x, y in spans)


def _auto_keeps(text: str, doc: dict[str, Any], gold: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    party = doc["party"]
    fixed = [(doc.get("document_number") or "", "document_number"), (doc["agency"]["name"], "agency_name")]
    if party["kind"] in ("legal_person", "other_org"):
        fixed.append((party["name"], "org_name"))
        if party.get("address") and "⟦" not in party["address"]:
            fixed.append((party["address"], "org_address"))
    if party.get("id_type") == "uscc" and party.get("id_number"):
        fixed.append((party["id_number"], "uscc"))
    for s, kind in fixed:
        if s and "⟦" not in s and len(s) >= 2:
            i = text.find(s)
            while i >= 0:
                out.append((i, i + len(s), kind))
                i = text.find(s, i + len(s))
    for rx, kind in ((_STATUTE, "statute"), (_AMOUNT, "amount"), (_DATE, "date")):
        out += [(m.start(), m.end(), kind) for m in rx.finditer(text)]
    return [k for k in out if not _overlap(k[0], k[1], gold)]


_REQUIRED = (
    "id",
    "source_url",
    "source_group",
    "domain",
    "kind",
    "agency",
    "title",
    "decided_on",
    "party",
    "text",
    "expected_status",
)


def _validate(doc: dict[str, Any], where: str) -> None:
    for key in _REQUIRED:
        if key not in doc or doc[key] in (None, ""):
            raise SrcError(f"{where}: missing field {key!r}")
    if not ID_RE.match(doc["id"]):
        raise SrcError(f"{where}: id {doc['id']!r} is not <domain>-<source>-<nnnn>")
    if doc["domain"] not in DOMAINS:
        raise SrcError(f"{where}: unknown domain {doc['domain']!r}")
    if doc["kind"] not in KINDS:
        raise SrcError(f"{where}: unknown kind {doc['kind']!r} (one of {', '.join(KINDS)})")
    try:
        date.fromisoformat(doc["decided_on"])
    except (TypeError, ValueError):
        raise SrcError(f"{where}: decided_on {doc['decided_on']!r} is not YYYY-MM-DD") from None
    agency = doc["agency"]
    if not isinstance(agency, dict) or not agency.get("name") or not agency.get("code"):
        raise SrcError(f"{where}: agency needs code and name")
    party = doc["party"]
    if not isinstance(party, dict) or party.get("kind") not in PARTY_KINDS or not party.get("name"):
        raise SrcError(f"{where}: party needs kind (one of {', '.join(sorted(PARTY_KINDS))}) and name")
    if party.get("id_type") is not None and party["id_type"] not in ID_TYPES:
        raise SrcError(f"{where}: party.id_type {party['id_type']!r} unknown")
    if doc["expected_status"] not in ("publishable", "withheld"):
        raise SrcError(f"{where}: expected_status must be publishable or withheld")
    if doc["expected_status"] == "withheld" and not doc.get("withhold_reason"):
        raise SrcError(f"{where}: a withheld document needs withhold_reason")
    if not isinstance(doc.get("persons", []), list):
        raise SrcError(f"{where}: persons must be a list")
    if not str(doc["source_url"]).startswith(("http://", "https://")):
        raise SrcError(f"{where}: source_url must be an http(s) address")


_LEFTOVER = re.compile(r"[*＊]{3,}|××|XX号|[\u4e00-\u9fff]某某")


def build_doc(doc: dict[str, Any], where: str) -> dict[str, Any]:
    """One corpus line from one src document."""
    _validate(doc, where)
    raw_text = TAG.sub("", doc["text"])
    filler = Filler(doc, raw_text)
    # Structured fields first (plain forms), so the text reuses their values.
    party_in = doc["party"]
    party: dict[str, Any] = {"kind": party_in["kind"]}
    for key in ("name", "id_type", "id_number", "legal_representative", "address", "phone"):
        value = party_in.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise SrcError(f"{where}: party.{key} must be a string or null")
        party[key] = fill(value, filler, f"{where} party.{key}", plain=True).text
    persons = []
    for i, p in enumerate(doc.get("persons") or []):
        if not isinstance(p, dict) or not p.get("name"):
            raise SrcError(f"{where}: persons[{i}] needs a name")
        person: dict[str, Any] = {
            "name": fill(p["name"], filler, f"{where} persons[{i}].name", plain=True).text,
            "role": p.get("role") if p.get("role") in PERSON_ROLES else "other",
        }
        if p.get("id_number"):
            person["id_number"] = fill(
                p["id_number"], filler, f"{where} persons[{i}].id_number", plain=True
            ).text
        persons.append(person)
    title = fill(doc["title"], filler, f"{where} title")
    body = fill(doc["text"], filler, f"{where} text")
    text = body.text
    gold_spans = [(a, b) for a, b, *_ in body.gold]
    keeps = body.keep + _auto_keeps(text, doc, gold_spans)
    gold: dict[tuple[str, str, str], dict[str, Any]] = {}
    for fld, built in (("title", title), ("full_text", body)):
        for a, b, category, role, visible in built.gold:
            item = gold.setdefault(
                (built.text[a:b], category, role),
                {"text": built.text[a:b], "category": category, "role": role, "spans": []},
            )
            item["spans"].append([fld, a, b, visible])
    keep_items: dict[tuple[str, str], dict[str, Any]] = {}
    for fld, items in (("title", title.keep), ("full_text", keeps)):
        src = title.text if fld == "title" else text
        for a, b, kind in items:
            k = (src[a:b], kind)
            if not k[0].strip():
                continue
            entry = keep_items.setdefault(k, {"text": k[0], "kind": kind, "spans": []})
            if [fld, a, b] not in entry["spans"]:
                entry["spans"].append([fld, a, b])
    for fld, built in (("title", title), ("full_text", body)):
        for a, b, *_ in built.gold:
            if not built.text[a:b].strip():
                raise SrcError(f"{where}: {fld} has an empty gold item at {a}")
    intake: dict[str, Any] = {
        "source_id": doc["id"],
        "agency": {"code": doc["agency"]["code"], "name": doc["agency"]["name"]},
        "kind": KINDS[doc["kind"]],
        # Some published copies carry no document number; the intake requires one.
        "document_number": doc.get("document_number") or NO_NUMBER,
        "title": title.text,
        "decided_on": doc["decided_on"],
        "party": party,
        "persons": persons,
        "full_text": text,
    }
    _check_intake(intake, where)
    warnings = [m.group() for m in _LEFTOVER.finditer(text)]
    return {
        "id": doc["id"],
        "part": part_of(doc["source_group"]),
        "source_group": doc["source_group"],
        "domain": doc["domain"],
        "kind": doc["kind"],
        "source_url": doc["source_url"],
        "intake": intake,
        "gold": sorted(gold.values(), key=lambda g: (g["spans"][0][0] != "title", g["spans"][0][1])),
        "keep": sorted(keep_items.values(), key=lambda k: (k["spans"][0][0] != "title", k["spans"][0][1])),
        "expected_status": doc["expected_status"],
        "withhold_reason": doc.get("withhold_reason"),
        "example": doc["id"].startswith("x-"),
        "_warnings": warnings,
    }


def _check_intake(intake: dict[str, Any], where: str) -> None:
    try:
        import msgspec

        from gongshi.domain.intake import Intake
    except ImportError:  # pragma: no cover - the builder runs in the project's venv
        return
    try:
        msgspec.convert(intake, Intake)
    except msgspec.ValidationError as e:
        raise SrcError(f"{where}: the filled intake is not valid: {e}") from None


def build(src: Path) -> list[dict[str, Any]]:
    """Every document of `src`, validated and filled, sorted by id."""
    docs = []
    seen: dict[str, str] = {}
    groups: dict[str, int] = {}
    for path in sorted(src.glob("*.json")):
        where = path.name
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise SrcError(f"{where}: not valid JSON: {e}") from None
        if not isinstance(doc, dict):
            raise SrcError(f"{where}: the file must hold one JSON object")
        line = build_doc(doc, where)
        if path.stem != line["id"]:
            raise SrcError(f"{where}: file name must be <id>.json (id is {line['id']!r})")
        if line["id"] in seen:
            raise SrcError(f"{where}: id {line['id']!r} already used by {seen[line['id']]}")
        seen[line["id"]] = where
        groups[doc["source_group"]] = groups.get(doc["source_group"], 0) + 1
        docs.append(line)
    return docs


def write(docs: list[dict[str, Any]], out: Path) -> None:
    lines = [
        json.dumps({k: v for k, v in d.items() if not k.startswith("_")}, ensure_ascii=False) for d in docs
    ]
    out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def main(argv: list[str]) -> int:
    src = HERE / "src"
    out = HERE / "corpus.jsonl"
    check = "--check" in argv
    if "--src" in argv:
        src = Path(argv[argv.index("--src") + 1])
    if "--out" in argv:
        out = Path(argv[argv.index("--out") + 1])
    try:
        docs = build(src)
    except SrcError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    for d in docs:
        for w in d["_warnings"]:
            print(f"warning: {d['id']}: text still holds a masked-looking string {w!r}", file=sys.stderr)
    groups: dict[str, int] = {}
    for d in docs:
        groups[d["source_group"]] = groups.get(d["source_group"], 0) + 1
    for g, n in sorted(groups.items()):
        if n > 8:
            print(f"warning: source_group {g} has {n} documents (at most 8)", file=sys.stderr)
    real = [d for d in docs if not d["example"]]
    parts = {p: sum(d["part"] == p for d in real) for p in ("dev", "test")}
    minors = sum(d["withhold_reason"] == "minor" for d in real)
    if not check:
        write(docs, out)
    print(
        f"{len(real)} documents (dev {parts['dev']}, test {parts['test']}, minors {minors}), "
        f"{sum(len(d['gold']) for d in real)} gold items" + ("" if check else f" -> {out}")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
