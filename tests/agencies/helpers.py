"""Bodies for directory tests."""

from __future__ import annotations

from typing import Any

from tests.factories import AGENCY_A

CODE = AGENCY_A["code"]


def profile(**overrides: Any) -> dict[str, Any]:
    body = {
        "head": "张局长",
        "duties": "负责全市市场监督管理工作。",
        "address": "合肥市政务区怀宁路1600号",
        "phone": "0551-12345678",
        "service_hours": "工作日 9:00-12:00，13:30-17:30",
        "supervision": "投诉举报电话 12315",
        "matters": ["食品安全监督检查", "价格违法行为处罚"],
    }
    body.update(overrides)
    return body


def agency_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "profile": profile(),
        "bases": [
            {
                "title": "中华人民共和国食品安全法",
                "level": "law",
                "document_number": "主席令第二十一号",
                "effective_on": "2015-10-01",
            },
            {"title": "安徽省市场监管行政处罚裁量基准", "level": "discretion"},
        ],
    }
    body.update(overrides)
    return body


def officer(**overrides: Any) -> dict[str, Any]:
    body = {
        "name": "李明",
        "certificate_number": "皖A34010020001",
        "category": "市场监管综合执法",
        "unit": "执法稽查支队",
        "valid_from": "2024-01-01",
        "valid_until": "2028-12-31",
    }
    body.update(overrides)
    return body
