"""What agency systems submit for a case and its entries (记录办法 Art 7–10), as msgspec Structs.

Entries are a tagged union on `type`. Every entry has `stage`, `type`, `occurred_at`, `text` and
optional `officers`; the fields each type adds are optional, so a minimal record is accepted and
the compliance check, not the decoder, tells what is missing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta, Struct

from gongshi.domain import text
from gongshi.domain.ids import RecordId
from gongshi.domain.intake import AgencyRef, Kind, Party, field_from_validation
from gongshi.errors import InvalidInput, Unprocessable

Stage = Literal["initiation", "investigation", "decision", "service", "archive"]
STAGES: tuple[Stage, ...] = ("initiation", "investigation", "decision", "service", "archive")
SourceType = Literal["ex_officio", "application", "complaint", "referral"]

Short = Annotated[str, Meta(max_length=500)]
Long = Annotated[str, Meta(max_length=200_000)]
Aware = Annotated[datetime, Meta(tz=True)]


class _In(Struct, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """Base for input structs: a typo in a field name is an error, not a silent default."""


class CaseSource(_In, kw_only=True, frozen=True, forbid_unknown_fields=True):
    type: SourceType
    detail: Long = ""


class DecisionRef(_In, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """A decision the case produced: gongshi's decision id, its document number, or both."""

    decision_id: RecordId | None = None
    document_number: Annotated[str, Meta(min_length=1, max_length=200)] | None = None


class CaseIn(_In, kw_only=True, frozen=True, forbid_unknown_fields=True):
    agency: AgencyRef
    case_number: Annotated[str, Meta(min_length=1, max_length=200)]
    kind: Kind
    party: Party
    opened_on: date
    source: CaseSource
    decisions: list[DecisionRef] = []


class Officer(_In, kw_only=True, frozen=True, forbid_unknown_fields=True):
    name: Annotated[str, Meta(min_length=1, max_length=100)]
    certificate_number: Annotated[str, Meta(max_length=64)] | None = None


class PersonRef(_In, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """Someone other than the officers: interviewee, witness, recipient…"""

    name: Annotated[str, Meta(min_length=1, max_length=100)]
    role: Literal["party", "witness", "agent", "employee", "expert", "other"] = "other"
    id_number: Annotated[str, Meta(max_length=64)] | None = None
    phone: Annotated[str, Meta(max_length=64)] | None = None


class Item(_In, kw_only=True, frozen=True, forbid_unknown_fields=True):
    name: Short
    kind: Literal["documentary", "physical", "electronic", "audiovisual", "testimony", "other"] = "other"
    quantity: Short | None = None


class _Entry(_In, kw_only=True, frozen=True, forbid_unknown_fields=True, tag_field="type"):
    occurred_at: Aware
    text: Annotated[str, Meta(min_length=1, max_length=200_000)]
    officers: list[Officer] = []
    # Art 8 (一): whether the officers showed their enforcement certificates.
    credentials_shown: bool | None = None
    document_number: Short | None = None  # the 文书 this entry produced (笔录编号, 文书文号…)
    # The agency system's id for this entry; resubmitting it returns the recorded entry.
    source_ref: Annotated[str, Meta(min_length=1, max_length=128)] | None = None
    # A correction: the entry it corrects (same case) and why. The original stays.
    corrects: RecordId | None = None
    reason: Long | None = None


# 程序启动 (Art 7)
class Source(_Entry, tag="source", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """依职权启动: where the matter came from."""

    stage: Literal["initiation"]
    channel: Literal["inspection", "complaint", "report", "referral", "assignment", "other"] | None = None
    reference: Short | None = None


class Reason(_Entry, tag="reason", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """依职权启动: why the procedure starts (立案), and who approved it."""

    stage: Literal["initiation"]
    filed: bool | None = None
    approved_by: Short | None = None


class Application(_Entry, tag="application", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """依申请启动: the application."""

    stage: Literal["initiation"]
    applicant: Short | None = None
    materials: list[Short] = []


class Supplement(_Entry, tag="supplement", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """补正: materials requested or received."""

    stage: Literal["initiation"]
    materials: list[Short] = []
    requested: bool | None = None


class Acceptance(_Entry, tag="acceptance", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """受理 (or refusal to accept)."""

    stage: Literal["initiation"]
    accepted: bool | None = None


# 调查取证 (Art 8)
class Inquiry(_Entry, tag="inquiry", frozen=True, kw_only=True, forbid_unknown_fields=True):
    stage: Literal["investigation"]
    interviewee: PersonRef | None = None
    location: Short | None = None


class Inspection(_Entry, tag="inspection", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """现场检查（勘验）."""

    stage: Literal["investigation"]
    location: Short | None = None
    findings: Long | None = None


class Evidence(_Entry, tag="evidence", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """调取书证、物证以及其他证据."""

    stage: Literal["investigation"]
    items: list[Item] = []
    provider: Short | None = None


class Sampling(_Entry, tag="sampling", frozen=True, kw_only=True, forbid_unknown_fields=True):
    stage: Literal["investigation"]
    items: list[Item] = []
    location: Short | None = None


class LabTest(_Entry, tag="test", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """检验、检测、检疫、鉴定、评审."""

    stage: Literal["investigation"]
    method: Literal["inspection", "detection", "quarantine", "appraisal", "review"] | None = None
    institution: Short | None = None
    conclusion: Long | None = None


class Preservation(_Entry, tag="preservation", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """证据保全: why, what, and in which form (先行登记保存, 复制, 音像, 鉴定…)."""

    stage: Literal["investigation"]
    target: Short | None = None
    form: Short | None = None
    approved_by: Short | None = None


class CoerciveMeasure(_Entry, tag="coercive_measure", frozen=True, kw_only=True, forbid_unknown_fields=True):
    stage: Literal["investigation"]
    measure: Literal["seal_up", "seize", "freeze", "restrict", "other"] | None = None
    target: Short | None = None
    approved_by: Short | None = None
    ends_on: date | None = None
    lifted: bool | None = None


Right = Literal["statement", "defence", "recusal", "hearing"]


class RightsNotified(_Entry, tag="rights_notified", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """告知陈述、申辩、申请回避、申请听证等权利, and what the party said or asked for."""

    stage: Literal["investigation"]
    rights: list[Right] = []
    method: Short | None = None
    party_statement: Long | None = None
    hearing_requested: bool | None = None


class Hearing(_Entry, tag="hearing", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """听证、论证."""

    stage: Literal["investigation"]
    form: Literal["hearing", "expert_review"] | None = None
    host: Short | None = None
    participants: list[Short] = []


# 审查决定 (Art 9)
class Proposal(_Entry, tag="proposal", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """处理建议 with facts, evidence, basis and the use of discretion."""

    stage: Literal["decision"]
    facts: Long | None = None
    evidence: Long | None = None
    legal_basis: Long | None = None
    discretion: Long | None = None


class DraftDecision(_Entry, tag="draft_decision", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """执法承办机构拟作出决定."""

    stage: Literal["decision"]
    unit: Short | None = None
    content: Long | None = None


class LegalReview(_Entry, tag="legal_review", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """重大执法决定法制审核."""

    stage: Literal["decision"]
    reviewer: Short | None = None
    opinion: Long | None = None
    passed: bool | None = None


class CollectiveDiscussion(
    _Entry, tag="collective_discussion", frozen=True, kw_only=True, forbid_unknown_fields=True
):
    stage: Literal["decision"]
    participants: list[Short] = []
    conclusion: Long | None = None


class HeadApproval(_Entry, tag="head_approval", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """行政执法机关负责人审批决定."""

    stage: Literal["decision"]
    approver: Short | None = None
    opinion: Long | None = None
    approved: bool | None = None


# 送达执行 (Art 10)
ServiceMethod = Literal[
    "direct", "left_at_residence", "post", "public_notice", "electronic", "entrusted", "forwarded"
]


class Service(_Entry, tag="service", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """送达, with its method (直接、留置、邮寄、公告、电子、委托、转交)."""

    stage: Literal["service"]
    method: ServiceMethod | None = None
    document: Short | None = None
    recipient: PersonRef | None = None


class Performance(_Entry, tag="performance", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """当事人履行决定情况."""

    stage: Literal["service"]
    status: Literal["full", "partial", "none", "instalments", "deferred"] | None = None
    amount_yuan: Annotated[str, Meta(max_length=32)] | None = None


class Enforcement(_Entry, tag="enforcement", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """行政强制执行 (by the agency, or applied for at court after a 催告)."""

    stage: Literal["service"]
    by: Literal["agency", "court"] | None = None
    notice_served: bool | None = None
    result: Long | None = None


class ConfiscatedProperty(
    _Entry, tag="confiscated_property", frozen=True, kw_only=True, forbid_unknown_fields=True
):
    """没收财物处理."""

    stage: Literal["service"]
    items: list[Item] = []
    disposal: Short | None = None


class Closure(_Entry, tag="closure", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """行政执法行为终结 (结案): starts the 30 days within which the record must be archived (Art 18)."""

    stage: Literal["service"]


# 归档 (Art 18)
class Archive(_Entry, tag="archive", frozen=True, kw_only=True, forbid_unknown_fields=True):
    stage: Literal["archive"]
    file_number: Short | None = None
    location: Short | None = None


class Other(_Entry, tag="other", frozen=True, kw_only=True, forbid_unknown_fields=True):
    """法律、法规、规章规定应当记录的其他内容 (any stage)."""

    stage: Stage


Entry = (
    Source
    | Reason
    | Application
    | Supplement
    | Acceptance
    | Inquiry
    | Inspection
    | Evidence
    | Sampling
    | LabTest
    | Preservation
    | CoerciveMeasure
    | RightsNotified
    | Hearing
    | Proposal
    | DraftDecision
    | LegalReview
    | CollectiveDiscussion
    | HeadApproval
    | Service
    | Performance
    | Enforcement
    | ConfiscatedProperty
    | Closure
    | Archive
    | Other
)

ENTRY_TYPES: dict[str, type[Any]] = {t.__struct_config__.tag: t for t in Entry.__args__}

_case_decoder = msgspec.json.Decoder(CaseIn)
_entry_decoder = msgspec.json.Decoder(Entry)


def _decode(decoder: msgspec.json.Decoder[Any], raw: bytes) -> Any:
    try:
        return text.decode_with(decoder, raw or b"{}")
    except text.ForbiddenCharacter as exc:
        raise InvalidInput(str(exc), field=exc.field, code="invalid_character") from exc
    except text.DateOutOfRange as exc:
        raise Unprocessable(str(exc), field=exc.field) from exc
    except msgspec.ValidationError as exc:
        raise InvalidInput(str(exc), field=field_from_validation(str(exc))) from exc
    except (msgspec.DecodeError, RecursionError) as exc:  # RecursionError: nested too deep
        raise InvalidInput(f"请求体不是有效的 JSON：{exc}", code="invalid_json") from exc


def decode_case(raw: bytes) -> CaseIn:
    case: CaseIn = _decode(_case_decoder, raw)
    if case.party.id_number and not case.party.id_type:
        raise Unprocessable("填写了证件号码时必须说明证件类型 (id_type)", field="party.id_type")
    for i, ref in enumerate(case.decisions):
        if ref.decision_id is None and ref.document_number is None:
            raise Unprocessable("关联决定须给出 decision_id 或 document_number", field=f"decisions[{i}]")
    return case


def decode_entry(raw: bytes) -> Entry:
    entry: Entry = _decode(_entry_decoder, raw)
    if entry.corrects is not None and not (entry.reason or "").strip():
        raise Unprocessable("更正记录必须说明更正原因 (reason)", field="reason")
    if entry.reason and entry.corrects is None:
        raise Unprocessable("reason 只用于更正记录，请同时给出 corrects", field="corrects")
    return entry


def canonical(obj: Any) -> bytes:
    """Stable bytes for hashing and storage: same content, same bytes."""
    return msgspec.json.encode(obj, order="sorted")
