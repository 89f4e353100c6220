"""Synthetic labelled decisions of every kind, party type and phrasing, with gold spans and keeps.

A case is written in one pass over one random stream, so the parts of `_build_case` run in a fixed
order: the same seed gives the same corpus.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from msgspec import Struct

from gongshi.demo.corpus_text import (
    AGENCIES,
    CITIES,
    DISTRACTORS,
    INDUSTRY,
    ROLES_BEFORE,
    SHOPS,
    STATUTES,
    GoldSpan,
    SentenceBuilder,
    address,
    distinct_names,
    styled_number,
)
from gongshi.demo.identifiers import make_landline, make_mobile, make_resident_id, make_uscc
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


def _chinese_amount(n: int) -> str:
    return f"{n:,}".replace(",", "") + "元"


def _build_case(rng: random.Random, i: int) -> LabelledCase:
    b = SentenceBuilder(rng)
    kind = rng.choice(KINDS + ("penalty",) * 5 + ("licensing",) * 2)
    party_kind: PartyKind = rng.choice(
        ("legal_person", "legal_person", "natural_person", "individual_business", "other_org")
    )
    city, district = rng.choice(CITIES)
    agency = AgencyRef(code=make_uscc(rng, "340100"), name=f"{city}{rng.choice(AGENCIES)}")
    decided = date(2025, 1, 1) + timedelta(days=rng.randint(0, 480))
    doc = f"{city[:1]}{rng.choice(('市监', '环', '城管', '交'))}{rng.choice(('罚', '许', '强', '查'))}〔{decided.year}〕{rng.randint(1, 999)}号"  # noqa: E501
    names = distinct_names(rng, 11)
    if party_kind in ("legal_person", "other_org"):
        party, party_line = _organisation(b, party_kind, city, district, names[0])
    else:
        party, party_line = _person_or_shop(b, party_kind, city, district, names[0])
    date_text = f"{decided.year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    lines = [party_line, _inspection_sentence(b, date_text, [names[1], names[2]])]
    amount = rng.randint(1, 200) * 500
    lines.append(f"经查，当事人违法所得{_chinese_amount(amount // 10)}，货值金额{_chinese_amount(amount)}。")
    b.keep += [f"违法所得{_chinese_amount(amount // 10)}", date_text]
    lines += _people_sentences(b, names, date_text)
    lines += _other_sentences(b, party)
    sensitivity, withheld = _withholding(b, names[6], decided, lines)
    statute = rng.choice(STATUTES)
    b.keep += [statute, doc, agency.name]
    penalty, license_, result = _outcome(b, kind, decided, names[5])
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


def _organisation(
    b: SentenceBuilder, party_kind: PartyKind, city: str, district: str, rep: str
) -> tuple[Party, str]:
    """A firm or other organisation as party, and the line that introduces it (all of it public)."""
    rng = b.rng
    org_name = f"{city}{rng.choice(('金穗', '鼎盛', '华源', '恒信', '徽禾', '新锐', '润泽', '万家'))}{rng.choice(INDUSTRY)}"  # noqa: E501
    if party_kind == "other_org":
        org_name = f"{city}{district}{rng.choice(('老年协会', '民办培训学校', '商会', '物业服务中心'))}"
    reg_addr, uscc = address(rng, False), make_uscc(rng)
    party = Party(
        kind=party_kind,
        name=org_name,
        id_type="uscc",
        id_number=uscc,
        legal_representative=rep,
        address=reg_addr,
        phone=make_landline(rng),
    )
    line = rng.choice(
        (
            f"当事人：{org_name}\n统一社会信用代码：{uscc}\n住所：{reg_addr}\n法定代表人：{rep}\n",
            f"当事人{org_name}，统一社会信用代码{uscc}，住所地{reg_addr}，法定代表人{rep}。",
        )
    )
    b.keep += [org_name, uscc, rep]
    return party, line


def _person_or_shop(
    b: SentenceBuilder, party_kind: PartyKind, city: str, district: str, person_name: str
) -> tuple[Party, str]:
    """A person or an individual business as party, and the line that introduces it."""
    rng = b.rng
    addr, phone = address(rng), make_mobile(rng)
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
        line = (
            f"当事人：{person_name}，{rng.choice('男女')}，{b.id_phrase(id_number)}，"
            f"{rng.choice(('住址：', '住', '家住', '户籍地：'))}{b.protect(addr, 'address')}，"
            f"联系电话：{b.protect(styled_number(rng, phone), 'phone')}。"
        )
        b.keep.append(person_name)
        return party, line
    shop = f"{city}{district}{person_name[:1]}记{rng.choice(SHOPS)}"
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
    line = (
        f"当事人：{shop}，统一社会信用代码：{uscc}，经营者：{person_name}，"
        f"{b.id_phrase(id_number)}，经营场所：{addr}。"
    )
    # Registration facts of an individual business, published: its name, code, operator, premises.
    b.keep += [shop, uscc, person_name, addr]
    return party, line


def _inspection_sentence(b: SentenceBuilder, date_text: str, officers: list[str]) -> str:
    """How the officers came to the party and what they found."""
    rng = b.rng
    for o in officers:
        b.person("officer", o, rng.random() < 0.5)
    opening = rng.choice(
        (
            f"{date_text}，本局执法人员{officers[0]}、{officers[1]}对当事人经营场所进行现场检查，",
            f"{date_text}，执法人员{officers[0]}和{officers[1]}依法出示执法证件后对当事人进行检查，",
            f"根据群众举报，{date_text}我局执法人员{officers[0]}、{officers[1]}到当事人处调查，",
        )
    )
    return opening + rng.choice(
        (
            f"发现当事人销售的{rng.choice(('王老吉凉茶', '速冻水饺', '散装白酒', '儿童玩具（适用3岁以上）'))}已超过保质期。",  # noqa: E501
            "发现当事人未取得许可擅自从事经营活动。",
            "发现当事人在黄山路路段违规设置户外广告牌。",
        )
    )


def _people_sentences(b: SentenceBuilder, names: list[str], date_text: str) -> list[str]:
    """Witnesses, complainants, helpers and a supplier's representative: names that must go."""
    rng = b.rng
    lines: list[str] = []
    roles = list(ROLES_BEFORE)
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
            f"{rng.choice(CITIES)[0]}{rng.choice(('鑫源', '百味', '好邻居', '天润'))}{rng.choice(INDUSTRY)}"
        )
        rep_other = b.person("other", names[10])
        lines.append(f"供货方{supplier}的法定代表人{rep_other}称，涉案货物系正规渠道进货。")
        b.keep.append(supplier)
    return lines


def _other_sentences(b: SentenceBuilder, party: Party) -> list[str]:
    """Sentences that look like personal data but are not, personal data of other kinds, hotlines."""
    rng = b.rng
    lines: list[str] = []
    for _ in range(rng.randint(0, 2)):
        sentence, keep = rng.choice(DISTRACTORS)
        lines.append(sentence)
        b.keep.append(keep)
    for _ in range(rng.randint(0, 3)):
        lines.append(b.pii_sentence(party.name))
    if rng.random() < 0.3:
        lines.append(
            f"如有疑问可拨打12345或12315热线，或致电400-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}。"
        )
        b.keep.append("12315")
    return lines


def _withholding(b: SentenceBuilder, minor: str, decided: date, lines: list[str]) -> tuple[Sensitivity, bool]:
    """A few cases that must not be published: marked sensitive, or naming a minor (added to `lines`)."""
    rng = b.rng
    withheld = False
    sensitivity = Sensitivity()
    roll = rng.random()
    if roll < 0.04:
        sensitivity = Sensitivity(
            **{rng.choice(("trade_secret", "privacy_harm", "public_security", "state_secret")): True}
        )
        withheld = True
    elif roll < 0.12:
        withheld = True
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
    return sensitivity, withheld


def _outcome(
    b: SentenceBuilder, kind: str, decided: date, refund_to: str
) -> tuple[Penalty | None, License | None, str]:
    """The penalty or licence the decision gives, and its result text."""
    rng = b.rng
    fine = Decimal(rng.randint(1, 100) * 1000)
    penalty = None
    license_ = None
    result = "责令当事人立即改正。"
    if kind == "penalty":
        penalty = Penalty(categories=["warning", "fine"], fine_yuan=fine)
        result = f"决定给予警告，并处罚款人民币{fine}元。"
        if rng.random() < 0.1:
            refund = b.person("complainant", refund_to, hint=False)
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
    return penalty, license_, result
