"""How console pages are rendered: the template with the signed-in user, labels and flash message."""

from __future__ import annotations

import re
from typing import Annotated, Any

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Template

from gongshi.domain.clock import local_time
from gongshi.domain.labels import KIND, PENALTY_CATEGORY
from gongshi.publication import states

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


LABELS = {
    "kind": KIND,
    "penalty": PENALTY_CATEGORY,
    "withhold": {
        "state_secret": "国家秘密",
        "trade_secret": "商业秘密",
        "privacy_harm": "个人隐私（损害第三人）",
        "public_security": "危及公共安全",
        "minor": "涉及未成年人",
        "other": "其他法定情形",
    },
    "withdraw": {
        "revoked": "被依法撤销",
        "confirmed_illegal": "被确认违法",
        "redo_ordered": "被责令重新作出",
        "error": "信息有误",
        "credit_repair": "信用修复",
        "other": "其他",
    },
    "state": states.LABELS,
}


def user_name(request: Request[Any, Any, Any]) -> str | None:
    """The signed-in user's display name, as read with the session (None before `principal`)."""
    name = request.scope.get("console_user")
    return name if isinstance(name, str) else None


def render_page(name: str, request: Request[Any, Any, Any], **context: Any) -> Template:
    message = request.session.pop("flash", None) if request.session else None
    return Template(
        template_name=f"console/{name}",
        context={
            "user": user_name(request),
            "labels": LABELS,
            "flash": message,
            "local": local_time,  # every time a page shows is Beijing time (2026-12-01 20:05)
            **context,
        },
    )


def flash(request: Request[Any, Any, Any], message: str, kind: str = "ok") -> None:
    request.session["flash"] = {"message": message, "kind": kind}


# What an error's field path (party.name, officers[0].valid_until) is called on the console's forms.
FIELD_NAMES = {
    # decision intake
    "source_id": "来源编号",
    "agency": "机关",
    "kind": "决定类别",
    "document_number": "文号",
    "title": "标题",
    "decided_on": "决定日期",
    "party": "当事人",
    "id_type": "证件类型",
    "id_number": "证件号码",
    "legal_representative": "法定代表人（负责人）",
    "facts": "违法事实",
    "legal_basis": "依据",
    "result": "决定内容",
    "full_text": "决定书全文",
    "penalty": "处罚",
    "categories": "处罚种类",
    "fine_yuan": "罚款金额",
    "confiscated_yuan": "没收金额",
    "license": "许可",
    "number": "编号",
    "persons": "涉及人员",
    # directory
    "profile": "机关信息",
    "head": "负责人",
    "duties": "职责",
    "address": "地址",
    "postcode": "邮政编码",
    "phone": "电话",
    "email": "电子邮箱",
    "website": "网站",
    "service_hours": "办公时间",
    "supervision": "监督方式",
    "matters": "执法事项",
    "entrusted": "委托执法",
    "bases": "执法依据",
    "level": "层级",
    "effective_on": "施行日期",
    "url": "网址",
    "officers": "执法人员",
    "name": "名称",
    "certificate_number": "执法证号",
    "category": "执法类别",
    "valid_from": "有效期起",
    "valid_until": "有效期至",
    "unit": "单位",
    "role": "角色",
    "status": "状态",
    "region": "行政区划代码",
    "changed_on": "变更日期",
    "note": "说明",
    "subject": "变更事项",
    "description": "说明",
}
_FIELD_PART = re.compile(r"([A-Za-z_]+)|\[(\d+)\]")


def field_hint(field: str | None) -> str:
    """（执法人员第 1 行的有效期至） for officers[0].valid_until; nothing for a path with a part we
    cannot name, so that a form never shows a developer's field key."""
    if not field:
        return ""
    words = []
    for key, index in _FIELD_PART.findall(field.replace("$.", "")):
        if index:
            words.append(f"第 {int(index) + 1} 行")
        elif key in FIELD_NAMES:
            words.append(("的" if words else "") + FIELD_NAMES[key])
        else:
            return ""
    return f"（{''.join(words)}）" if words else ""
