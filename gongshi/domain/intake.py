"""The intake object (SPEC §2.1): what agency systems submit, and what `gongshi redact` reads."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct

from gongshi.domain import text

Kind = Literal["licensing", "penalty", "coercion", "inspection", "expropriation", "confirmation", "other"]
PartyKind = Literal["legal_person", "natural_person", "individual_business", "other_org"]
IdType = Literal[
    "uscc",  # unified social credit code (organisations, individual businesses)
    "resident_id",
    "passport",
    "hk_macao_permit",
    "taiwan_permit",
    "foreign_permanent_residence",
    "other",
]
PersonRole = Literal[
    "witness", "bystander", "complainant", "victim", "officer", "agent", "employee", "minor", "other"
]
PenaltyCategory = Literal[
    "warning",  # 警告
    "circulated_criticism",  # 通报批评
    "fine",  # 罚款
    "confiscation",  # 没收违法所得、没收非法财物
    "suspend_license",  # 暂扣许可证件
    "lower_qualification",  # 降低资质等级
    "revoke_license",  # 吊销许可证件
    "restrict_production",  # 限制开展生产经营活动
    "order_suspension",  # 责令停产停业
    "order_closure",  # 责令关闭
    "restrict_employment",  # 限制从业
    "detention",  # 行政拘留
    "other",
]
Procedure = Literal["simple", "ordinary"]
# 许可类别 of the 双公示 licensing templates: 普通 / 特许 / 认可 / 核准 / 登记 / 其他.
LicenseCategory = Literal["general", "special", "recognition", "approval", "registration", "other"]

KINDS: tuple[Kind, ...] = (
    "licensing",
    "penalty",
    "coercion",
    "inspection",
    "expropriation",
    "confirmation",
    "other",
)

ShortText = Annotated[str, Meta(min_length=1, max_length=500)]
# No fine or confiscation comes near a trillion yuan; beyond it an amount is a unit or typing error
# (or 1e309), and would be published as such.
MAX_YUAN = Decimal(10) ** 12
Text = Annotated[str, Meta(max_length=200_000)]


class _In(Struct, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """Base for input structs: a typo in a field name is an error, not a silent default."""


class AgencyRef(_In, kw_only=True, frozen=True, forbid_unknown_fields=True):
    code: Annotated[str, Meta(min_length=1, max_length=64)]
    name: ShortText


class Party(_In, kw_only=True, frozen=True, forbid_unknown_fields=True):
    kind: PartyKind
    name: ShortText
    id_type: IdType | None = None
    id_number: Annotated[str, Meta(max_length=64)] | None = None
    legal_representative: Annotated[str, Meta(max_length=100)] | None = None
    address: Annotated[str, Meta(max_length=500)] | None = None
    phone: Annotated[str, Meta(max_length=64)] | None = None
    birth_date: date | None = None


class Penalty(_In, kw_only=True, frozen=True, forbid_unknown_fields=True):
    categories: list[PenaltyCategory] = []
    fine_yuan: Decimal | None = None
    confiscated_yuan: Decimal | None = None
    procedure: Procedure | None = None
    # 违法行为类型 for the credit platforms (双公示), e.g. "经营超过保质期的食品"; never published here.
    violation_type: Annotated[str, Meta(max_length=500)] | None = None


class License(_In, kw_only=True, frozen=True, forbid_unknown_fields=True):
    name: ShortText
    number: Annotated[str, Meta(max_length=128)] | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    # 许可类别 for the credit platforms (双公示).
    category: LicenseCategory | None = None


class Person(_In, kw_only=True, frozen=True, forbid_unknown_fields=True):
    name: Annotated[str, Meta(min_length=1, max_length=100)]
    role: PersonRole = "other"
    id_number: Annotated[str, Meta(max_length=64)] | None = None
    birth_date: date | None = None


class Sensitivity(_In, kw_only=True, frozen=True, forbid_unknown_fields=True):
    state_secret: bool = False
    trade_secret: bool = False
    privacy_harm: bool = False
    public_security: bool = False


class Intake(_In, kw_only=True, frozen=True, forbid_unknown_fields=True):
    source_id: Annotated[str, Meta(min_length=1, max_length=128)]
    agency: AgencyRef
    kind: Kind
    document_number: Annotated[str, Meta(min_length=1, max_length=200)]
    title: ShortText
    decided_on: date
    served_on: date | None = None
    # The agency may hold publication back until this date (for example until service).
    not_before: date | None = None
    party: Party
    facts: Text = ""
    legal_basis: Text = ""
    result: Text = ""
    penalty: Penalty | None = None
    license: License | None = None
    persons: list[Person] = []
    sensitivity: Sensitivity = Sensitivity()
    full_text: Annotated[str, Meta(max_length=2_000_000)] | None = None


class IntakeError(ValueError):
    """An intake object that cannot be accepted; `field` names the offending field (dotted path)."""

    def __init__(self, message: str, field: str | None = None, code: str = "invalid_field") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


_decoder = msgspec.json.Decoder(Intake)
_PATH = re.compile(r" - at `\$(?P<path>[^`]*)`$")
_FIELD_IN_MSG = re.compile(r"(?:unknown|missing required) field `(?P<name>[^`]+)`")


def field_from_validation(message: str) -> str | None:
    """Turn msgspec's '… - at `$.party.name`' into 'party.name'."""
    path = ""
    m = _PATH.search(message)
    if m:
        path = m.group("path").lstrip(".")
    named = _FIELD_IN_MSG.search(message)
    if named:
        path = f"{path}.{named.group('name')}" if path else named.group("name")
    return path or None


def decode_intake(raw: bytes | str) -> Intake:
    """Decode and validate one intake object from JSON; raises IntakeError naming the field."""
    try:
        intake = text.decode_with(_decoder, raw)
    except text.ForbiddenCharacter as exc:
        raise IntakeError(str(exc), exc.field, "invalid_character") from exc
    except text.DateOutOfRange as exc:
        raise IntakeError(str(exc), exc.field, "unprocessable") from exc
    except msgspec.ValidationError as exc:
        raise IntakeError(str(exc), field_from_validation(str(exc))) from exc
    except (msgspec.DecodeError, RecursionError) as exc:  # RecursionError: nested too deep
        raise IntakeError(f"请求体不是有效的 JSON：{exc}", None, "invalid_json") from exc
    check_intake(intake)
    return intake


def check_intake(intake: Intake) -> None:
    """Rules across fields that types cannot express."""
    if intake.served_on is not None and intake.served_on < intake.decided_on:
        raise IntakeError("送达日期不能早于决定日期 (served_on < decided_on)", "served_on", "unprocessable")
    if intake.license and intake.license.valid_until and intake.license.valid_until < intake.decided_on:
        raise IntakeError("许可有效期截止日不能早于决定日期", "license.valid_until", "unprocessable")
    if intake.party.id_number and not intake.party.id_type:
        raise IntakeError("填写了证件号码时必须说明证件类型 (id_type)", "party.id_type", "unprocessable")
    if intake.penalty:
        for name in ("fine_yuan", "confiscated_yuan"):
            amount = getattr(intake.penalty, name)
            if amount is not None and (not amount.is_finite() or amount < 0):
                raise IntakeError("金额必须是非负数", f"penalty.{name}", "unprocessable")
            if amount is not None and amount > MAX_YUAN:
                raise IntakeError(
                    f"金额 {amount} 元超过上限 {MAX_YUAN:,} 元（一万亿元），请核对单位",
                    f"penalty.{name}",
                    "unprocessable",
                )
    if intake.penalty and intake.penalty.fine_yuan and "fine" not in intake.penalty.categories:
        raise IntakeError("罚款金额需与处罚种类 fine 同时填写", "penalty.categories", "unprocessable")


def canonical_json(intake: Intake) -> bytes:
    """Stable bytes for hashing and storage: same content, same bytes."""
    return msgspec.json.encode(intake, order="sorted")
