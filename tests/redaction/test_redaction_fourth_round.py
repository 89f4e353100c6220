"""Hand-written batches of issue 10's fourth round, in phrasings neither the dev part nor the earlier
batches use. Written before the rules were touched for them; the results as written and after are in
bench/README.md (issue 10, fourth round). A sentence with secrets passes when every secret is removed
or a doubt flags it; a sentence without one passes when it comes out unchanged with no doubt.
"""

from __future__ import annotations

from datetime import date

import pytest

from gongshi.domain.intake import AgencyRef, Intake, Party
from gongshi.redaction import redact

AGENCY = AgencyRef(code="11510700MB0000000X", name="某市人民政府")
PARTY = Party(kind="natural_person", name="柏文涛", id_type="resident_id", id_number="510521198801011234")

# Batch 8: health and finance of a named or identified person, in everyday words.
SECRETS_8: list[tuple[str, tuple[str, ...]]] = [
    ("申请人称，当天其胃疼得厉害，只得把车停在路边。", ("胃疼得厉害",)),
    ("当事人自述有高血压，当时头晕眼花，无法继续驾驶。", ("高血压", "头晕眼花")),
    ("申请人刚做完阑尾手术，行动不便。", ("阑尾手术",)),
    ("其妻子已怀孕七个月，需要人照顾。", ("怀孕七个月",)),
    ("申请人腿脚不便，平时拄拐行走。", ("腿脚不便",)),
    ("被打后，申请人鼻子流血不止。", ("鼻子流血不止",)),
    ("第三人的母亲瘫痪在床多年。", ("瘫痪在床",)),
    ("该男子在现场吐血，被送往医院。", ("吐血",)),
    ("当事人称自己有心脏病，受不得刺激。", ("心脏病",)),
    ("申请人被狗咬伤小腿，打了狂犬疫苗。", ("咬伤小腿",)),
    ("申请人因车祸住院半个月。", ("住院半个月",)),
    ("当事人称其身体不适，要求暂缓询问。", ("身体不适",)),
    ("当事人家里穷，实在交不起罚款。", ("交不起罚款",)),
    ("申请人靠打零工维持生活。", ("靠打零工维持生活",)),
    ("当事人称其月收入不足两千元。", ("月收入不足两千元",)),
    ("其家中仅靠低保度日。", ("仅靠低保度日",)),
    ("当事人因生意失败负债累累。", ("负债累累",)),
    ("申请人年迈多病，无人照料。", ("年迈多病",)),
]

# Batch 9: agency words, places and numbers that are no person's (must come out unchanged).
CLEAN_9 = [
    "执法人员前往该镇黄家冲一处山坡进行检查。",
    "涉案地块位于石门乡杨柳坳，面积约两亩。",
    "执法人员在路口施划了停车泊位标线。",
    "群众向城管局反映情况后，执法人员到场处理。",
    "第三人随即向派出所报警。",
    "申请人请求撤销编号4401061109123454号公安交通管理简易程序处罚决定书。",
    "该路段未施划停车泊位。",
    "被申请人：某县公安局。单位住所：某县人民路1号。",
    "执法人员对位于楼子湾的养殖场进行了检查。",
    "经查，当事人在马家坪村委会附近的空地上堆放建筑垃圾。",
]
# Written after the batches above, for a spurious class the whole dev part showed (乔木林 ×6 in forestry
# records): a label that names a kind, then its value.
CLEAN_9B = [
    "该地块的地类为：乔木林地，森林类别为一般商品林。",
    "经鉴定，涉案树木的树种为柏木，共计12株。",
]

# Batch 10: addresses of persons in the standard penalty template and after an event.
SECRETS_10: list[tuple[str, tuple[str, ...]]] = [
    ("当事人：何伟\n住所（住址）：某县城关镇人民路12号\n", ("人民路12号",)),
    ("第三人报称在城关镇建设路18号阳光花园3栋2单元501室被人殴打。", ("建设路18号阳光花园3栋2单元501室",)),
    ("当事人：何伟\n住所(住址)：某县新华路8号2栋301室\n", ("新华路8号2栋301室",)),
]


def _intake(text: str) -> Intake:
    return Intake(
        source_id="fourth-round-batch",
        agency=AGENCY,
        kind="other",
        document_number="某府复〔2024〕1号",
        title="行政复议决定书",
        decided_on=date(2024, 5, 6),
        party=PARTY,
        full_text=text,
    )


def handled(text: str, secrets: tuple[str, ...]) -> tuple[bool, bool]:
    """(every secret removed, every secret removed or its sentence flagged by a doubt)."""
    result = redact(_intake(text))
    out = result.public.full_text or ""
    removed = not [s for s in secrets if s in out]
    doubted = any(d.field == "full_text" for d in result.doubts)
    return removed, removed or doubted


@pytest.mark.parametrize(("text", "secrets"), SECRETS_8 + SECRETS_10)
def test_secret_removed_or_doubted(text: str, secrets: tuple[str, ...]) -> None:
    assert handled(text, secrets)[1], redact(_intake(text))


@pytest.mark.parametrize("text", CLEAN_9 + CLEAN_9B)
def test_agency_words_places_numbers_unchanged(text: str) -> None:
    result = redact(_intake(text))
    assert result.public.full_text == text
    assert not result.doubts, result.doubts


# As written: batch 8 had 17 of 18 removed (腿脚不便 neither removed nor doubted), batch 9 5 of 10 clean
# (楼子湾, 杨柳坳, 施划, a decision's number read as a card by its checksum, 单位住所 read as a home), batch
# 10 none of 3 removed (住所（住址） and a flat with no trigger word). After the round's classes every one
# is removed or clean; the stronger check below keeps them removed, not only flagged.
@pytest.mark.parametrize(("text", "secrets"), SECRETS_8 + SECRETS_10)
def test_secret_removed(text: str, secrets: tuple[str, ...]) -> None:
    assert handled(text, secrets)[0], redact(_intake(text)).public.full_text


def test_agency_head_after_a_full_stop_is_public() -> None:
    text = "被申请人：某市公安局。单位住所：某市金盾路1号。\n法定代表人：尤娟。职务：局长。"
    assert redact(_intake(text)).public.full_text == text


def test_a_decision_number_passing_luhn_is_kept_but_a_card_is_not() -> None:
    kept = "撤销编号4304073800015770号公安交通管理行政强制措施。"
    assert redact(_intake(kept)).public.full_text == kept
    card = "其银行卡号4304073800015770，开户行为某银行。"
    assert "4304073800015770" not in (redact(_intake(card)).public.full_text or "")


def test_a_name_before_a_landform_or_an_office_stays_a_name_elsewhere() -> None:
    out = redact(_intake("证人王海涛称，当事人向李建国借款。")).public.full_text or ""
    assert "王海涛" not in out and "李建国" not in out
