"""The leak gate: every protected item in any encoding blocks; public items never do."""

from __future__ import annotations

import html
import json
import random
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from gongshi.demo.identifiers import (
    make_card,
    make_landline,
    make_mobile,
    make_passport,
    make_plate,
    make_property_cert,
    make_resident_id,
    make_uscc,
)
from gongshi.domain.intake import AgencyRef, Intake, Party, Person
from gongshi.redaction import LeakGate
from gongshi.redaction.fold import WIDTH_TABLE

_GATE = LeakGate()
_FULL = {v: k for k, v in WIDTH_TABLE.items() if 0x21 <= v <= 0x7E}
_SENTENCES = st.sampled_from(
    [
        "经查，{x}。",
        "当事人提供的材料显示{x}，经核实无误",
        "{x}",
        "（{x}）",
        "证人称其号码为{x}，并签字确认。",
        "根据调查，涉案信息：{x}；",
    ]
)


def _widen(s: str, mask: list[bool]) -> str:
    return "".join(chr(_FULL.get(ord(c), ord(c))) if m else c for c, m in zip(s, mask, strict=False))


@st.composite
def styled(draw: st.DrawFn, raw: str, *, spaced: bool = True) -> str:
    mask = draw(st.lists(st.booleans(), min_size=len(raw), max_size=len(raw)))
    out = _widen(raw, mask)
    if spaced and out[-1].isdigit() and draw(st.booleans()):
        sep = draw(st.sampled_from([" ", "-", "\n", "　"]))
        out = sep.join(out[i : i + 4] for i in range(0, len(out), 4))
    return out


def _gen(maker: object) -> st.SearchStrategy[str]:
    return st.integers(0, 2**32).map(lambda s: maker(random.Random(s)))  # type: ignore[operator]


@settings(max_examples=60, deadline=None)
@given(
    raw=st.one_of(
        _gen(make_resident_id),
        _gen(make_mobile),
        _gen(lambda r: make_card(r)),
        _gen(make_landline),
    ),
    data=st.data(),
    sentence=_SENTENCES,
)
def test_numbers_never_pass(raw: str, data: st.DataObject, sentence: str) -> None:
    text = sentence.format(x=data.draw(styled(raw)))
    assert _GATE.scan(text), text
    assert _GATE.scan(json.dumps(text, ensure_ascii=True).encode()), text
    assert _GATE.scan("".join(f"&#{ord(c)};" for c in text)), text


@settings(max_examples=60, deadline=None)
@given(
    raw=st.one_of(_gen(make_plate), _gen(make_passport), _gen(make_property_cert)),
    data=st.data(),
    sentence=_SENTENCES,
)
def test_plates_permits_certificates_never_pass(raw: str, data: st.DataObject, sentence: str) -> None:
    text = sentence.format(x=data.draw(styled(raw, spaced=False)))
    assert _GATE.scan(text), text
    assert _GATE.scan(html.escape(text).encode()), text


_PUBLIC = st.one_of(
    st.builds(lambda n: f"第{n}条", st.sampled_from(["一百二十四", "五十五", "三十三", "二"])),
    st.builds(lambda n: f"罚款人民币{n}元", st.integers(1, 10**7)),
    st.builds(lambda n, c: f"罚款{n}.{c:02d}元", st.integers(1, 10**6), st.integers(0, 99)),
    st.dates(date(1990, 1, 1), date(2035, 12, 31)).map(lambda d: f"{d:%Y年%-m月%-d日}（{d.isoformat()}）"),
    st.builds(lambda y, n: f"皖市监罚〔{y}〕{n}号", st.integers(2000, 2035), st.integers(1, 99999)),
    st.builds(lambda n: f"食品经营许可证JY1{n:013d}", st.integers(0, 10**13 - 1)),
    st.builds(lambda n: f"生产许可证SC1{n:013d}", st.integers(0, 10**13 - 1)),
    st.integers(0, 2**32).map(lambda s: f"统一社会信用代码{make_uscc(random.Random(s))}"),
)


@settings(max_examples=120, deadline=None)
@given(items=st.lists(_PUBLIC, min_size=1, max_size=5))
def test_public_items_pass(items: list[str]) -> None:
    text = "，".join(items) + "。"
    assert _GATE.scan(text) == [], text
    assert _GATE.scan(json.dumps({"facts": text}, ensure_ascii=True)) == [], text


def _intake() -> Intake:
    return Intake(
        source_id="t-1",
        agency=AgencyRef(code="11340100MB0000000X", name="合肥市市场监督管理局"),
        kind="penalty",
        document_number="合市监罚〔2026〕1号",
        title="行政处罚决定书",
        decided_on=date(2026, 3, 5),
        party=Party(
            kind="natural_person",
            name="赵大伟",
            id_type="resident_id",
            id_number="11010519491231002X",
            address="合肥市蜀山区长江西路100号3栋502室",
            phone="13800138000",
        ),
        persons=[Person(name="李娜", role="witness"), Person(name="王强", role="officer")],
        facts="证人李娜证实……",
    )


def test_for_intake_strings_in_any_form() -> None:
    gate = LeakGate.for_intake(_intake())
    assert gate.scan("当事人赵大伟，罚款500元。") == []
    for leak in [
        "李 娜",
        "李娜",
        "长江西路100号3栋502室",
        json.dumps("李娜"),
        "".join(f"&#{ord(c)};" for c in "李娜"),
        "王强",
    ]:
        assert gate.scan(leak), leak


def test_hits_are_masked_and_located() -> None:
    text = "电话13800138000"
    (hit,) = LeakGate().scan(text)
    assert (hit.start, hit.end, hit.category) == (2, 13, "phone")
    assert "0013" not in hit.excerpt
