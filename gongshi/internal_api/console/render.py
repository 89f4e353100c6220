"""How console pages are rendered: the template with the signed-in user, labels and flash message."""

from __future__ import annotations

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
