"""Names of natural persons in phrasings the synthetic corpus does not produce (hand-written)."""

from __future__ import annotations

import msgspec
import pytest

from gongshi.redaction import redact
from tests.redaction.test_redaction_engine import make

# (facts, names that must go, strings that must stay)
CASES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    (
        "经查，当事人雇请张晓东、李梅、欧阳建华等人从事装卸作业。",
        ("张晓东", "李梅", "欧阳建华"),
        ("装卸作业",),
    ),
    ("李娜系当事人聘用的厨师，负责后厨工作。", ("李娜",), ("厨师",)),
    ("当事人的丈夫林国栋到场配合调查。", ("林国栋",), ("到场配合调查",)),
    ("顾客宋佳怡于2025年3月2日购买了该批次产品。", ("宋佳怡",), ("2025年3月2日",)),
    ("当晚，金海涛又来到店内购买散装白酒。", ("金海涛",), ("散装白酒",)),
    ("上官婉清陈述：其在该店工作三个月。", ("上官婉清",), ("三个月",)),
    ("据送货人冯子健交代，货物来源于外地一家批发部。", ("冯子健",), ("批发部",)),
    ("该摊位负责人：侯思远，现场拒绝签字。", ("侯思远",), ("拒绝签字",)),
    ("涉案货物的收货人为诸葛明轩，收货地址不详。", ("诸葛明轩",), ("收货地址不详",)),
    ("经查询，该车辆登记车主为闫春花。", ("闫春花",), ("登记车主",)),
    ("另查明，肖雅琴（女，1990年生）为该店实际经营者。", ("肖雅琴",), ("实际经营者",)),
    ("受害人家属汤志勇向本局投诉。", ("汤志勇",), ("向本局投诉",)),
    ("当事人委托苏建业办理相关手续。", ("苏建业",), ("办理相关手续",)),
    ("证人：许文博、韩露。", ("许文博", "韩露"), ("证人",)),
    (
        "供货商合肥市鑫源食品有限公司的法定代表人蔡国平称，货物已全部召回。",
        ("蔡国平",),
        ("鑫源食品有限公司",),
    ),
    ("顾客反映，一名叫卢晓燕的女士在店内摔伤。", ("卢晓燕",), ("女士",)),
    ("执法人员当场与聂海波（手机号码未提供）取得联系。", ("聂海波",), ("取得联系",)),
    ("当事人店内员工付晓彤、兰心怡均表示不知情。", ("付晓彤", "兰心怡"), ("不知情",)),
    ("被询问人姓名：雷鸣远，性别：男。", ("雷鸣远",), ("性别",)),
    ("郑雨桐称，其不清楚产品来源。", ("郑雨桐",), ("产品来源",)),
    ("当事人与房东包海明签订了租赁合同。", ("包海明",), ("租赁合同",)),
    ("经调取监控，发现常欣悦于当日多次进出仓库。", ("常欣悦",), ("多次进出仓库",)),
    ("当事人之子卫子轩在店内帮忙收银。", ("卫子轩",), ("帮忙收银",)),
    ("本局于2025年5月6日向黎明辉送达了听证告知书。", ("黎明辉",), ("听证告知书",)),
    ("案发时，店主之女伍嘉欣独自看店。", ("伍嘉欣",), ("独自看店",)),
    ("现场检查时，仓库保管员：司徒文静在场。", ("司徒文静",), ("在场",)),
    ("经过比对，喻晓峰、祁佳两人的陈述一致。", ("喻晓峰", "祁佳"), ("陈述一致",)),
    ("经手人易建平承认涉案账目由其记录。", ("易建平",), ("涉案账目",)),
    ("申请人授权邵文杰代为签收。", ("邵文杰",), ("代为签收",)),
    ("王丽华、赵静怡二人系当事人的合伙人。", ("王丽华", "赵静怡"), ("合伙人",)),
    ("该批货物系由甘志明驾驶的货车运至当事人仓库。", ("甘志明",), ("货车",)),
    ("执法人员依法对当事人的负责人薛梦洁进行了询问。", ("薛梦洁",), ("进行了询问",)),
]

# Everyday words and public items that start like a name and must stay.
KEEP_TEXTS: list[str] = [
    "当事人在高温天气下未采取防暑措施，方便面外包装破损，涉案金额2万元。",
    "经查，石家庄某公司向当事人供货，当事人位于高新区的仓库存放钟表配件。",
    "该店负责人称其不知情，员工宿舍与员工食堂未分隔。",
    "投诉人反映，消费者权益受到侵害；证人证言与现场检查笔录一致。",
    "当事人常温储存需冷藏的食品，路面有明显油污，关于整改情况，当事人承诺一周内完成。",
    "执法人员当场制作了现场检查笔录，执法人员依法出示执法证件，负责人签字确认。",
    "当事人安全生产管理制度不健全，江淮汽车维修点的黄山路门店未取得许可。",
    "方某某、王某（另案处理）等人参与销售。",
    "经营者本人称其对法律规定不了解，当事人的员工均未取得健康证明。",
    "当事人于2025年3月在万达广场销售金龙鱼食用油，单价高于明码标价。",
]


def _public_text(facts: str) -> str:
    return msgspec.json.encode(redact(make(facts)).public).decode()


@pytest.mark.parametrize(("facts", "gone", "kept"), CASES, ids=[c[1][0] for c in CASES])
def test_hard_name_cases(facts: str, gone: tuple[str, ...], kept: tuple[str, ...]) -> None:
    out = redact(make(facts)).public.facts
    for name in gone:
        assert name not in out, out
        assert name[:2] + "某" in out or name[:1] + "某" in out, out
    for word in kept:
        assert word in out, out


@pytest.mark.parametrize("facts", KEEP_TEXTS)
def test_everyday_words_stay(facts: str) -> None:
    out = redact(make(facts)).public.facts
    assert out == facts


def test_found_name_is_masked_in_every_field() -> None:
    intake = make(
        "证人黄立新证实了上述情况。",
        result="责令当事人向黄立新退还货款。",
        title="关于黄立新投诉事项的行政处罚决定书",
    )
    public = redact(intake).public
    for text in (public.facts, public.result, public.title):
        assert "黄立新" not in text and "黄某" in text
