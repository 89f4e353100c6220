"""Compliance with the 记录办法, per case: storage within 24 hours, archive within 30 days, required
entries for the kind of case, and how long each category of record must be kept.

Pure functions over plain values, so the API, the console and the agency report share them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import msgspec

from gongshi.domain.clock import SHANGHAI

# Art 17: audio-video must be stored within 24 hours of recording (or of returning, Art 17 para 2).
AV_STORE_WITHIN = timedelta(hours=24)
# Art 18: archived within 30 days of the end of the enforcement act.
ARCHIVE_WITHIN_DAYS = 30
# Retention. The seeds fix a minimum only for audio-video not filed with the case (古韩镇 Art 18:
# at least five years); the case file follows the archive rules (文书档案 定期 30 年).
RETENTION_YEARS = {"audio_video": 5, "case_file": 30}

# Entry types a concluded case must have, by kind (行政处罚法 Art 44, 45, 57, 61; 行政强制法 Art 18;
# 行政许可法 Art 32, 38, 44). Kinds not listed need an initiation entry only.
REQUIRED: dict[str, tuple[str, ...]] = {
    "penalty": ("rights_notified", "head_approval", "service"),
    "coercion": ("coercive_measure", "rights_notified", "head_approval"),
    "licensing": ("application", "acceptance", "head_approval", "service"),
    "inspection": ("inspection",),
    "expropriation": ("rights_notified", "head_approval", "service"),
}
INITIATION_TYPES = ("source", "reason", "application", "supplement", "acceptance")

LABELS = {
    "source": "案件来源",
    "reason": "启动原因（立案）",
    "application": "申请",
    "supplement": "补正",
    "acceptance": "受理",
    "inquiry": "询问",
    "inspection": "现场检查（勘验）",
    "evidence": "调取证据",
    "sampling": "抽样取证",
    "test": "检验检测鉴定",
    "preservation": "证据保全",
    "coercive_measure": "行政强制措施",
    "rights_notified": "权利告知及陈述申辩",
    "hearing": "听证、论证",
    "proposal": "处理建议",
    "draft_decision": "拟作决定",
    "legal_review": "法制审核",
    "collective_discussion": "集体讨论",
    "head_approval": "负责人审批",
    "service": "送达",
    "performance": "履行情况",
    "enforcement": "强制执行",
    "confiscated_property": "没收财物处理",
    "closure": "结案（执法行为终结）",
    "archive": "归档",
    "other": "其他",
}


def advance_dates(
    concluded_on: date | None,
    archived_on: date | None,
    entry_type: str,
    corrects_id: int | None,
    occurred_at: datetime,
) -> tuple[date | None, date | None]:
    """A case's conclusion and archive dates after one more entry.

    The first `closure` (or `archive`) entry sets the date; a later one moves it only when it is a
    correction.
    """
    day = occurred_at.astimezone(SHANGHAI).date()
    if entry_type == "closure" and (concluded_on is None or corrects_id is not None):
        concluded_on = day
    if entry_type == "archive" and (archived_on is None or corrects_id is not None):
        archived_on = day
    return concluded_on, archived_on


def is_audio_video(media_type: str) -> bool:
    """音像记录: photographs, sound and video (Art 12 lists cameras, recorders and body cameras)."""
    return media_type.split("/", 1)[0] in ("audio", "video", "image")


class Issue(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    # av_stored_late | av_stored_late_after_return | archive_overdue | archived_late | missing_entries
    code: str
    message: str
    attachment_id: int | None = None
    entry_id: int | None = None
    missing: list[str] | None = None


class Retention(msgspec.Struct, frozen=True, kw_only=True):
    category: str  # audio_video | case_file
    years: int
    keep_until: date
    items: int


class Compliance(msgspec.Struct, frozen=True, kw_only=True):
    ok: bool
    issues: list[Issue]
    # Justified late storage (Art 17 para 2): not an issue, but shown.
    justified_late: list[int]
    still_needed: list[str]  # required entry types not recorded yet (an issue once concluded)
    concluded_on: date | None
    archive_due: date | None
    archived_on: date | None
    retention: list[Retention]


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check(
    *,
    kind: str,
    opened_on: date,
    concluded_on: date | None,
    archived_on: date | None,
    entry_types: Iterable[str],
    attachments: Sequence[Any],
    today: date,
) -> Compliance:
    """`attachments` need id, entry_id, media_type, captured_at, stored_at, late_reason, returned_at."""
    issues, justified = _audio_video_issues(attachments)
    archive_due = concluded_on + timedelta(days=ARCHIVE_WITHIN_DAYS) if concluded_on else None
    issues += _archive_issues(concluded_on, archive_due, archived_on, today)
    needed = _still_needed(kind, entry_types)
    if concluded_on is not None and needed:
        issues.append(
            Issue(
                code="missing_entries",
                message="已结案但缺少记录：" + "、".join(LABELS[t] for t in needed),
                missing=needed,
            )
        )

    return Compliance(
        ok=not issues,
        issues=issues,
        justified_late=justified,
        still_needed=needed,
        concluded_on=concluded_on,
        archive_due=archive_due,
        archived_on=archived_on,
        retention=_retention(opened_on, concluded_on, archived_on, attachments),
    )


def _audio_video_issues(attachments: Sequence[Any]) -> tuple[list[Issue], list[int]]:
    """Audio and video stored over 24 hours after capture (Art 17): issues, and the justified ids."""
    issues: list[Issue] = []
    justified: list[int] = []
    for att in attachments:
        if not is_audio_video(att.media_type):
            continue
        delay = att.stored_at - att.captured_at
        if delay <= AV_STORE_WITHIN:
            continue
        if not att.late_reason:
            issues.append(
                Issue(
                    code="av_stored_late",
                    message=f"音像记录（附件 {att.id}）在拍摄后 {_hours(delay)} 才存储，超过 24 小时",
                    attachment_id=att.id,
                    entry_id=att.entry_id,
                )
            )
        elif att.returned_at is not None and att.stored_at - att.returned_at > AV_STORE_WITHIN:
            issues.append(
                Issue(
                    code="av_stored_late_after_return",
                    message=f"音像记录（附件 {att.id}）在返回机关后超过 24 小时才存储",
                    attachment_id=att.id,
                    entry_id=att.entry_id,
                )
            )
        else:
            justified.append(att.id)
    return issues, justified


def _archive_issues(
    concluded_on: date | None, archive_due: date | None, archived_on: date | None, today: date
) -> list[Issue]:
    """A concluded case is archived within 30 days."""
    issues: list[Issue] = []
    if archive_due is not None:
        if archived_on is None and today > archive_due:
            issues.append(
                Issue(
                    code="archive_overdue",
                    message=f"结案于 {concluded_on}，应于 {archive_due} 前归档，至今未归档",
                )
            )
        elif archived_on is not None and archived_on > archive_due:
            issues.append(
                Issue(code="archived_late", message=f"应于 {archive_due} 前归档，实际 {archived_on} 归档")
            )
    return issues


def _still_needed(kind: str, entry_types: Iterable[str]) -> list[str]:
    """Required entry types not recorded yet, the case's source first."""
    recorded = set(entry_types)
    needed = [t for t in REQUIRED.get(kind, ()) if t not in recorded]
    if not recorded.intersection(INITIATION_TYPES):
        needed.insert(0, "source")
    return needed


def _retention(
    opened_on: date, concluded_on: date | None, archived_on: date | None, attachments: Sequence[Any]
) -> list[Retention]:
    file_from = archived_on or concluded_on or opened_on
    out = [
        Retention(
            category="case_file",
            years=RETENTION_YEARS["case_file"],
            keep_until=_add_years(file_from, RETENTION_YEARS["case_file"]),
            items=1,
        )
    ]
    av = [a for a in attachments if is_audio_video(a.media_type)]
    if av:
        latest = max(a.stored_at for a in av).date()
        out.append(
            Retention(
                category="audio_video",
                years=RETENTION_YEARS["audio_video"],
                keep_until=_add_years(latest, RETENTION_YEARS["audio_video"]),
                items=len(av),
            )
        )
    return out


def _hours(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.0f} 小时" if hours < 72 else f"{hours / 24:.1f} 天"
