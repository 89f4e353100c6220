"""The open-data page: the portal's OpenAPI operations rendered server-side (no CDN, no script)."""

from __future__ import annotations

import re
from typing import Any

from litestar import Request, get
from litestar.response import Template

from gongshi.openapi import schema_of

_METHODS = ("get", "post", "put", "delete")
_CJK = re.compile(r"[\u4e00-\u9fff]")

# The /api page is for citizens and developers in China: every operation and parameter is described in
# Chinese. Where a route's own OpenAPI text is not Chinese (or missing), this text is shown instead.
_TEXT: dict[tuple[str, str], dict[str, Any]] = {
    ("GET", "/api/public/v1/disclosures/{public_id}"): {
        "params": {"public_id": "公示编号（详情页上的“公示编号”）"},
    },
    ("GET", "/feed.atom"): {
        "description": "按发布时间列出最新公示的 Atom 订阅源，可用订阅阅读器或程序定期获取新公示。",
    },
    ("GET", "/agencies/{code}/feed.atom"): {
        "description": "某一执法机关最新公示的 Atom 订阅源，格式与全站订阅源相同。",
        "params": {"code": "执法机关代码（18 位统一社会信用代码）"},
    },
    ("GET", "/api/public/v1/agencies"): {
        "description": "本平台执法机关的名录：名称、代码和行政区划，与“执法机关”页面相同。",
        "params": {"q": "按机关名称查找，填写部分名称即可"},
    },
    ("GET", "/api/public/v1/agencies/{code}"): {
        "description": "执法机关事前公开的信息：主体信息、执法依据、执法人员及其执法证件、"
        "变更记录和已公开年报的年份。",
        "params": {"code": "执法机关代码（18 位统一社会信用代码）"},
    },
    ("GET", "/api/public/v1/stats"): {
        "description": "按执法机关、年度和执法类别统计的公示数量，与“统计”页面相同。",
        "params": {
            "agency": "执法机关代码（不填为全部机关）",
            "year": "年度，如 2025（不填为全部年度）",
            "kind": "执法类别（取值同检索接口的 kind）",
        },
    },
    ("GET", "/api/public/v1/agencies/{code}/reports/{year}"): {
        "description": "执法机关按《行政执法公示办法》第十七条公开的年度行政执法统计年报。",
        "params": {"code": "执法机关代码（18 位统一社会信用代码）", "year": "年度，如 2025"},
    },
    ("POST", "/api/public/v1/requests/access"): {
        "summary": "申请查阅本人案件记录",
        "description": "行政执法决定的当事人申请查阅本人的执法决定或案件全过程记录。无论是否与决定相符，"
        "答复都相同并给出查询号，以免泄露他人信息；核实身份并经机关负责人批准后提供。"
        "请求体为 JSON：document_number（决定文号）、name（当事人姓名或单位名称）、"
        "id_number（证件号码）、contact（联系方式）、scope（decision 执法决定 或 records 全过程记录）。",
    },
    ("POST", "/api/public/v1/requests/correction"): {
        "summary": "公示信息纠错",
        "description": "任何人发现公示信息有误都可以提出（《行政执法公示办法》第十九条），返回查询号。"
        "请求体为 JSON：disclosure_id（公示编号、公示页面地址或决定文号）、description（哪里有错误）、"
        "evidence（证明材料说明，选填）、contact（联系方式，选填）。",
    },
    ("GET", "/api/public/v1/requests/{tracking_no}"): {
        "summary": "查询申请进度",
        "description": "纠错申请凭查询号即可查询；查阅申请还须提供申请时填写的证件号码，"
        "不符时与查询号不存在的答复相同。",
        "params": {
            "tracking_no": "提交申请时得到的查询号",
            "id_number": "申请时填写的证件号码（查询查阅申请时必填）",
        },
    },
    ("POST", "/api/public/v1/requests/{tracking_no}/records"): {
        "summary": "凭访问码查看获准查阅的记录",
        "description": "查阅申请获批准后，申请人凭证件号码和访问码查看本人的记录，每次查看都记入审计。"
        "请求体为 JSON：id_number（证件号码）、access_code（访问码）。",
        "params": {"tracking_no": "提交申请时得到的查询号"},
    },
}


def _chinese(text: str | None) -> str:
    return text if text and _CJK.search(text) else ""


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Every documented operation with its parameters, in the schema's order."""
    out = []
    for path, item in schema.get("paths", {}).items():
        for method in _METHODS:
            op = item.get(method)
            if not op:
                continue
            text = _TEXT.get((method.upper(), path), {})
            params = [
                {
                    "name": p.get("name", ""),
                    "where": {"query": "查询参数", "path": "路径参数"}.get(p.get("in", ""), p.get("in", "")),
                    "required": bool(p.get("required")),
                    "description": _chinese(p.get("description"))
                    or text.get("params", {}).get(p.get("name", ""), ""),
                }
                for p in op.get("parameters", [])
                if p.get("in") in ("query", "path")
            ]
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": _chinese(op.get("summary")) or text.get("summary", ""),
                    "description": _chinese(op.get("description")) or text.get("description", ""),
                    "tags": op.get("tags", []),
                    "params": params,
                    "body": "requestBody" in op,
                }
            )
    return out


@get("/api", sync_to_thread=False, include_in_schema=False)
def api_page(request: Request[Any, Any, Any]) -> Template:
    schema = schema_of(request.app)
    return Template(
        "portal/api.html",
        context={"ops": operations(schema), "spec_url": "/api/docs/openapi.json"},
        headers={"Cache-Control": "public, max-age=300"},
    )


ROUTES = [api_page]
