"""Request and response Structs for the agency directory and annual reports (internal API)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from msgspec import Meta, Struct

from gongshi.domain.ids import RecordId

Text200 = Annotated[str, Meta(max_length=200)]
Text2000 = Annotated[str, Meta(max_length=2000)]
Count = Annotated[int, Meta(ge=0, le=100_000_000)]

BasisLevel = Literal[
    "law", "administrative_regulation", "local_regulation", "rule", "normative", "discretion"
]
OfficerRole = Literal["officer", "auxiliary"]
OfficerStatus = Literal["active", "suspended", "revoked", "retired"]
ChangeSubject = Literal["profile", "bases", "officers"]

LEVEL_LABELS: dict[str, str] = {
    "law": "法律",
    "administrative_regulation": "行政法规",
    "local_regulation": "地方性法规",
    "rule": "规章",
    "normative": "规范性文件",
    "discretion": "裁量基准",
}
ROLE_LABELS: dict[str, str] = {"officer": "执法人员", "auxiliary": "执法辅助人员"}
STATUS_LABELS: dict[str, str] = {
    "active": "在岗",
    "suspended": "暂停执法",
    "revoked": "证件注销",
    "retired": "离岗",
}
SUBJECT_LABELS: dict[str, str] = {"profile": "机关信息", "bases": "执法依据", "officers": "执法人员"}


class Profile(Struct, kw_only=True, forbid_unknown_fields=True):
    """Art 9 (一)(七): who the agency is, what it does, how to reach it and where to complain."""

    head: Annotated[str, Meta(max_length=100)] = ""
    duties: Text2000 = ""
    address: Text200 = ""
    postcode: Annotated[str, Meta(max_length=10)] = ""
    phone: Annotated[str, Meta(max_length=100)] = ""
    email: Annotated[str, Meta(max_length=200)] = ""
    website: Annotated[str, Meta(max_length=300)] = ""
    service_hours: Text200 = ""
    # Art 9 (七) 监督信息: how to complain about enforcement.
    supervision: Text2000 = ""
    # Enforcement matters (执法事项) the agency handles.
    matters: Annotated[list[Text200], Meta(max_length=500)] = []
    # Art 9 (一) entrusted enforcement (委托执法): who, on what basis, which matters, until when.
    entrusted: Text2000 = ""


class BasisIn(Struct, kw_only=True, forbid_unknown_fields=True):
    title: Annotated[str, Meta(max_length=300)]
    level: BasisLevel
    document_number: Text200 = ""
    effective_on: date | None = None
    url: Annotated[str, Meta(max_length=500)] = ""


class AgencyPut(Struct, kw_only=True, forbid_unknown_fields=True):
    """PUT /api/v1/agencies/{code}: the whole profile and basis list (a replacement, not a patch)."""

    profile: Profile
    bases: Annotated[list[BasisIn], Meta(max_length=2000)] = []
    name: Annotated[str, Meta(min_length=2, max_length=500)] | None = None
    region: Annotated[str, Meta(pattern=r"^\d{6}$")] | None = None
    # When the change took effect in the real world (default: today); day 0 of the 20-working-day rule.
    changed_on: date | None = None
    note: Text2000 = ""
    # Announced changes (POST …/changes) this save carries out.
    resolves: list[RecordId] = []


class OfficerIn(Struct, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, Meta(max_length=50)]
    certificate_number: Annotated[str, Meta(max_length=40)]
    category: Annotated[str, Meta(max_length=100)]
    valid_from: date
    valid_until: date
    unit: Text200 = ""
    role: OfficerRole = "officer"
    status: OfficerStatus = "active"


class OfficersPut(Struct, kw_only=True, forbid_unknown_fields=True):
    """PUT /api/v1/agencies/{code}/officers: the full officer list."""

    officers: Annotated[list[OfficerIn], Meta(max_length=5000)]
    changed_on: date | None = None
    note: Text2000 = ""
    resolves: list[RecordId] = []


class ChangeIn(Struct, kw_only=True, forbid_unknown_fields=True):
    """POST /api/v1/agencies/{code}/changes: a change that happened but is not entered yet."""

    subject: ChangeSubject
    description: Annotated[str, Meta(min_length=1, max_length=1000)]
    changed_on: date


class ReportFigures(Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """Art 17 figures no record holds; None until entered. All are needed to publish."""

    # (一) posts and officers on duty
    enforcement_posts: Count | None = None
    officers_on_duty: Count | None = None
    auxiliary_staff: Count | None = None
    # (三) administrative reconsideration with the agency as respondent
    reconsideration_received: Count | None = None
    reconsideration_upheld: Count | None = None
    reconsideration_overturned: Count | None = None
    reconsideration_other: Count | None = None
    reconsideration_pending: Count | None = None
    # (三) administrative litigation (行政应诉)
    litigation_received: Count | None = None
    litigation_won: Count | None = None
    litigation_lost: Count | None = None
    litigation_other: Count | None = None
    litigation_pending: Count | None = None
    # (四) complaints and reports about enforcement
    complaints_received: Count | None = None
    complaints_handled: Count | None = None
    # (五) cases transferred for criminal investigation
    criminal_transfers: Count | None = None
    criminal_cases_opened: Count | None = None
    # (六) anything else the agency reports
    other_notes: Annotated[str, Meta(max_length=5000)] = ""


# Labels and grouping for the report form and page, in Art 17 order.
FIGURE_GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "（一）执法岗位设置及执法人员在岗情况",
        [
            ("enforcement_posts", "执法岗位数"),
            ("officers_on_duty", "在岗执法人员数"),
            ("auxiliary_staff", "执法辅助人员数"),
        ],
    ),
    (
        "（三）行政复议（作为被申请人）",
        [
            ("reconsideration_received", "收到复议申请"),
            ("reconsideration_upheld", "维持"),
            ("reconsideration_overturned", "撤销、变更、确认违法或责令履行"),
            ("reconsideration_other", "驳回、终止等其他结果"),
            ("reconsideration_pending", "尚未审结"),
        ],
    ),
    (
        "（三）行政应诉",
        [
            ("litigation_received", "行政诉讼案件"),
            ("litigation_won", "胜诉（驳回诉讼请求等）"),
            ("litigation_lost", "败诉"),
            ("litigation_other", "撤诉等其他结果"),
            ("litigation_pending", "尚未审结"),
        ],
    ),
    (
        "（四）投诉举报",
        [("complaints_received", "受理投诉举报"), ("complaints_handled", "办结")],
    ),
    (
        "（五）移交刑事立案",
        [("criminal_transfers", "移送司法机关"), ("criminal_cases_opened", "已刑事立案")],
    ),
]
FIGURE_LABELS: dict[str, str] = {k: label for _, items in FIGURE_GROUPS for k, label in items}


class ReportPut(Struct, kw_only=True, forbid_unknown_fields=True):
    figures: ReportFigures


class OfficerOut(Struct, frozen=True, kw_only=True):
    name: str
    certificate_number: str
    category: str
    unit: str
    role: str
    valid_from: date
    valid_until: date
    status: str
    certificate_expired: bool


class BasisOut(Struct, frozen=True, kw_only=True):
    title: str
    level: str
    document_number: str
    effective_on: date | None
    url: str


class ChangeOut(Struct, frozen=True, kw_only=True):
    id: int
    subject: str
    description: str
    changed_on: date
    due_on: date
    due_provisional: bool
    reported_at: datetime
    reported_by: str
    resolved_at: datetime | None
    resolved_by: str | None
    late: bool | None


class AgencyOut(Struct, frozen=True, kw_only=True):
    code: str
    name: str
    region: str
    profile: Profile
    bases: list[BasisOut]
    profile_updated_at: datetime | None
    officers_updated_at: datetime | None
    open_changes: list[ChangeOut]
    recent_changes: list[ChangeOut]
    url: str


class OfficersOut(Struct, frozen=True, kw_only=True):
    code: str
    officers: list[OfficerOut]
    officers_updated_at: datetime | None


class SaveResult(Struct, frozen=True, kw_only=True):
    """What a PUT did: whether anything changed, and the change-log entry it made."""

    changed: bool
    change: ChangeOut | None
    resolved: list[int]
