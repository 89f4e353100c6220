"""What the console's review page shows: Chinese labels, the text with removals and doubts in place,
the entity list, and the audit trail in Beijing time with Chinese actions and actors (issue 11)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from msgspec import Struct

from gongshi.domain.clock import local_time
from gongshi.redaction.entities import CATEGORY_LABELS, IDENTIFIER_CATEGORIES

FIELD_LABELS = {
    "title": "标题",
    "party.name": "当事人名称",
    "party.address": "当事人住所",
    "party.phone": "当事人电话",
    "party.id_number": "当事人证件号码",
    "party.legal_representative": "法定代表人（负责人）",
    "facts": "违法事实",
    "legal_basis": "处罚依据",
    "result": "处罚结果",
    "full_text": "决定书全文",
    "document_number": "文号",
    "decided_on": "决定日期",
}
FIELD_ORDER = ("title", "facts", "legal_basis", "result", "full_text")

AUDIT_ACTIONS = {
    "receive": "接收",
    "replace": "机关重新报送",
    "redacted": "自动脱敏完成",
    "auto_withhold": "自动判定不予公开",
    "approve": "批准发布",
    "approve_first": "初审通过，待复核",
    "approve_second": "复核通过，批准发布",
    "return_to_review": "退回初审",
    "withhold": "决定不予公开",
    "send_back": "退回机关",
    "release_withheld": "解除不予公开",
    "withdraw": "撤下",
    "correct": "发布更正",
    "publish": "发布",
    "expire": "公示期满",
    "rereview": "脱敏规则更新，退回重审",
    "leak_blocked": "泄露检查拦截",
    "ruling_received": "登记裁决",
    "redaction_edit": "修改脱敏",
    "redaction_undo": "撤销脱敏修改",
}
_ACTORS = {
    "worker": "发布进程",
    "redaction": "自动脱敏",
    "demo": "演示数据",
    "demo-second": "演示数据（复核）",
    "system": "系统",
}
SOURCE_LABELS = {"engine": "自动识别", "reviewer": "审核人员", "agency_list": "机关词表"}
RESOLUTION_LABELS = {"mask": "遮蔽", "keep": "保留"}
DOUBT_STATUS = {"open": "待处理", "masked": "已遮蔽", "kept": "已保留"}


def actor_label(actor: str) -> str:
    """ "user:alice" → 工作人员 alice, "token:12" → 接口令牌 12, the worker → 发布进程."""
    kind, _, who = actor.partition(":")
    if who:
        return {"user": "工作人员", "token": "接口令牌"}.get(kind, kind) + " " + who
    return _ACTORS.get(actor, actor)


class Piece(Struct, frozen=True, kw_only=True):
    text: str
    span: dict[str, Any] | None = None
    doubt: dict[str, Any] | None = None


def pieces(text: str, spans: Sequence[dict[str, Any]], doubts: Sequence[dict[str, Any]]) -> list[Piece]:
    """The text cut at removals and doubts; a doubt inside a removal is shown with the removal."""
    marks: list[tuple[int, int, dict[str, Any] | None, dict[str, Any] | None]]
    marks = [(s["start"], s["end"], s, None) for s in spans]
    marks += [(q["start"], q["end"], None, q) for q in doubts]
    out: list[Piece] = []
    pos = 0
    for start, end, span, doubt in sorted(marks, key=lambda m: (m[0], m[2] is None, -m[1])):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        if start > pos:
            out.append(Piece(text=text[pos:start]))
        out.append(Piece(text=text[start:end], span=span, doubt=doubt))
        pos = end
    if pos < len(text):
        out.append(Piece(text=text[pos:]))
    return out


def review_fields(
    intake: Mapping[str, Any], spans: Sequence[dict[str, Any]], doubts: Sequence[dict[str, Any]]
) -> list[tuple[str, str, list[Piece]]]:
    """(field, Chinese label, pieces) of every text field, removals and doubts marked where they are."""
    out = []
    for field in FIELD_ORDER:
        value = intake.get(field)
        if isinstance(value, str) and value:
            out.append(
                (
                    field,
                    FIELD_LABELS[field],
                    pieces(
                        value,
                        [s for s in spans if s["field"] == field],
                        [q for q in doubts if q["field"] == field],
                    ),
                )
            )
    return out


def entity_rows(entities: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entity list: what is removed, as what, how often, found by whom."""
    rows = []
    for e in entities:
        texts = list(dict.fromkeys(m["text"] for m in e["mentions"]))
        rows.append(
            {
                "id": e["id"],
                "texts": texts,
                "category": e["category"],
                "category_label": CATEGORY_LABELS.get(e["category"], e["category"]),
                "replacement": e["replacement"],
                "source_label": SOURCE_LABELS.get(e["source"], e["source"]),
                "mentions": [{**m, "label": FIELD_LABELS.get(m["field"], m["field"])} for m in e["mentions"]],
                "needs_head": e["category"] in IDENTIFIER_CATEGORIES,
            }
        )
    return rows


def doubt_rows(intake: Mapping[str, Any], doubts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each doubt with its field's Chinese label and the words it is about (not character offsets)."""
    rows = []
    for q in doubts:
        value = intake.get(q["field"]) or ""
        rows.append(
            {
                **q,
                "label": FIELD_LABELS.get(q["field"], q["field"]),
                "excerpt": value[q["start"] : q["end"]],
                "before": value[max(0, q["start"] - 12) : q["start"]],
                "after": value[q["end"] : q["end"] + 12],
                "status": q.get("status", "open"),
                "status_label": DOUBT_STATUS.get(q.get("status", "open"), ""),
            }
        )
    return rows


def _edit_summary(data: Mapping[str, Any]) -> str:
    edit = data.get("edit") or {}
    action = edit.get("action")
    added, removed = len(data.get("added", [])), len(data.get("removed", []))
    category = CATEGORY_LABELS.get(edit.get("category", ""), edit.get("category", ""))
    if action == "mask":
        what = f"遮蔽「{edit.get('text', '')}」（{category}）"
    elif action == "unmask":
        what = "取消遮蔽" + ("一处" if edit.get("mention") else "全部")
    elif action == "recategorise":
        what = f"改为{category}"
    elif action == "link":
        what = "合并为同一对象"
    elif action == "resolve_doubt":
        what = "待核对事项：" + RESOLUTION_LABELS.get(edit.get("resolution", ""), "")
    else:
        what = "修改"
    return f"{what}，新增 {added} 处、删除 {removed} 处遮蔽"


def audit_rows(events: Sequence[Any], state_labels: Mapping[str, str]) -> list[dict[str, Any]]:
    """The audit trail as the page shows it: Beijing time, Chinese action and actor."""
    rows = []
    for e in events:
        data = e.data or {}
        detail = _edit_summary(data) if e.action in ("redaction_edit", "redaction_undo") else ""
        rows.append(
            {
                "at": local_time(e.at),
                "action": AUDIT_ACTIONS.get(e.action, e.action),
                "actor": actor_label(e.actor),
                "before": state_labels.get(e.before or "", e.before or ""),
                "after": state_labels.get(e.after or "", e.after or ""),
                "changed": e.before != e.after,
                "reason": e.reason,
                "detail": detail,
            }
        )
    return rows
