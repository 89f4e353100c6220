"""Batch 11 (issue 10, fifth round): sentences in phrasings neither the dev part nor batches 1-10 use.

Written before any rule was touched for them, after the e-* documents were measured; how many passed as
written and after is in bench/README.md ("Fifth round"). Secrets are health and money told in plain
words (numbness, ringing ears, retching, blood pressure, torment, a stone, savings spent); clean
sentences are review boilerplate and document numbers whose agency lost a character (〔2020…号).
"""

from __future__ import annotations

import pytest

from tests.redaction.test_redaction_doubt_batches import handled

SECRETS_11: list[tuple[str, tuple[str, ...]]] = [
    ("被打后申请人一直耳朵嗡嗡作响，晚上睡不着觉。", ("耳朵嗡嗡作响",)),
    ("当晚申请人浑身发麻，手脚冰凉。", ("浑身发麻",)),
    ("到家后其干呕不止，被家人送往镇卫生院。", ("干呕不止",)),
    ("入院时测得其血压明显升高，医生建议卧床休养。", ("血压明显升高",)),
    ("申请人称事后长期遭受伤痛和精神上的折磨。", ("伤痛", "精神上的折磨")),
    ("第三人的母亲常年靠吃药维持，家里开销全靠她一人打零工。", ("靠吃药维持",)),
    ("其丈夫去年查出尿路结石，花光了家里的积蓄。", ("尿路结石", "花光了家里的积蓄")),
    ("申请人自述左眼至今看东西重影。", ("看东西重影",)),
    ("事故造成申请人右侧三根肋骨断了。", ("肋骨断了",)),
    ("申请人家中还有两个孩子上学，每月房租都交不起。", ("交不起",)),
    ("当事人称自己患过一次小中风，记性越来越差。", ("中风",)),
    ("受害人被送到医院时已经口吐白沫。", ("口吐白沫",)),
]

CLEAN_11 = [
    "申请人不服被申请人作出的〔20201006202005089103号行政处罚决定书。",
    "被申请人作出[2019]208201912297480号行政强制措施决定书。",
    "执法人员将其带至派出所后，依法对其进行了询问。",
    "本案的争议焦点为被申请人作出的处罚是否适当。",
    "申请人于2024年5月6日通过邮寄方式提交了行政复议申请书。",
    "经审查，申请人的复议申请符合法定受理条件。",
]


@pytest.mark.parametrize(("text", "secrets"), SECRETS_11)
def test_batch11_removed_or_doubted(text: str, secrets: tuple[str, ...]) -> None:
    assert handled(text, secrets)[1]


@pytest.mark.parametrize(("text", "secrets"), SECRETS_11)
def test_batch11_health_and_finance_removed(text: str, secrets: tuple[str, ...]) -> None:
    assert handled(text, secrets)[0]


@pytest.mark.parametrize("text", CLEAN_11)
def test_batch11_boilerplate_unchanged_and_not_doubted(text: str) -> None:
    from gongshi.redaction import redact
    from tests.redaction.test_redaction_doubt_batches import _intake

    result = redact(_intake(text))
    assert result.public.full_text == text
    assert not result.doubts, result.doubts


# Batch 12, written before the rule: a phone or a mobile named as an event (接到…电话后, 拨打了电话，, 暂扣了
# 手机。) with no number anywhere asks no doubt; a number written out in words after 联系电话为 still does.
CLEAN_12 = [
    "当晚申请人接到派出所的电话后，前往派出所配合调查。",
    "民警多次拨打了第三人的电话，但无人接听。",
    "执法人员依法暂扣了当事人使用的手机。",
]
SECRETS_12: list[tuple[str, tuple[str, ...]]] = [
    ("当事人的联系电话为一三八零零一二三四五六。", ("一三八零零一二三四五六",)),
]


@pytest.mark.parametrize("text", CLEAN_12)
def test_batch12_phone_named_as_an_event_not_doubted(text: str) -> None:
    from gongshi.redaction import redact
    from tests.redaction.test_redaction_doubt_batches import _intake

    result = redact(_intake(text))
    assert result.public.full_text == text
    assert not result.doubts, result.doubts


@pytest.mark.parametrize(("text", "secrets"), SECRETS_12)
def test_batch12_number_in_words_removed_or_doubted(text: str, secrets: tuple[str, ...]) -> None:
    assert handled(text, secrets)[1]


# A surname with a title cut short (胡队, 贺主管, 王总) is how colleagues address a person, not a
# name: left as published like 廖警官 (written with the rule, from the e-* guard's account); a full
# name before 队 still goes.
@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("贺主管安排申请人去胡队处报到，王总事后才知道。", ("胡队", "贺主管", "王总"), ()),
        ("当晚值班的保安魏振东向胡队报告了此事。", ("胡队",), ("魏振东",)),
    ],
)
def test_title_cut_short_is_no_name(text: str, kept: tuple[str, ...], gone: tuple[str, ...]) -> None:
    from gongshi.redaction import redact
    from tests.redaction.test_redaction_doubt_batches import _intake

    out = redact(_intake(text)).public.full_text or ""
    assert all(k in out for k in kept), out
    assert not [g for g in gone if g in out], out


def test_agency_address_on_the_line_under_its_name_after_a_full_stop_is_kept() -> None:
    # 被申请人：…局。 / 地址：… (an e-* review): the line above ends with a full stop, still the
    # agency's seat; a natural person's home on the line under their details still goes.
    from gongshi.redaction import redact
    from tests.redaction.test_redaction_doubt_batches import _intake

    text = (
        "申请人：项杰，男，1988年1月1日出生。\n住址：长沙市雨花区劳动东路139号3栋2单元501室。\n"
        "被申请人：广州市增城区人力资源和社会保障局。\n地址：广州市增城区荔城街挂绿路25号。\n"
    )
    out = redact(_intake(text)).public.full_text or ""
    assert "广州市增城区荔城街挂绿路25号" in out, out
    assert "3栋2单元501室" not in out, out


# What struck the body part is part of the injury (written with the rule, from an e2 review): the cause
# before the body part goes with the term; a thing that was hit (护栏) and an injury denied stay.
@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [
        ("第三人不慎被倒下的钢管砸到腰部左侧受伤。", ("钢管砸到腰部左侧受伤",), ()),
        ("申请人被车撞到左腿受伤，送医治疗。", ("撞到左腿受伤",), ()),
        ("该车辆被撞到护栏后受损。", (), ("被撞到护栏后受损",)),
        ("当事人称被撞到了，没有受伤。", (), ("没有受伤",)),
    ],
)
def test_injury_cause_goes_with_the_injury(text: str, gone: tuple[str, ...], kept: tuple[str, ...]) -> None:
    from gongshi.redaction import redact
    from tests.redaction.test_redaction_doubt_batches import _intake

    out = redact(_intake(text)).public.full_text or ""
    assert not [g for g in gone if g in out], out
    assert all(k in out for k in kept), out
