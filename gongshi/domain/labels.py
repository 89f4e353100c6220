"""Chinese names of the codes decisions carry (kinds, penalty categories, party kinds): one table for
the console, the portal and the statistics."""

from __future__ import annotations

from typing import Final

KIND: Final = {
    "licensing": "行政许可",
    "penalty": "行政处罚",
    "coercion": "行政强制",
    "inspection": "行政检查",
    "expropriation": "行政征收征用",
    "confirmation": "行政确认",
    "other": "其他",
}

PENALTY_CATEGORY: Final = {
    "warning": "警告",
    "circulated_criticism": "通报批评",
    "fine": "罚款",
    "confiscation": "没收违法所得、没收非法财物",
    "suspend_license": "暂扣许可证件",
    "lower_qualification": "降低资质等级",
    "revoke_license": "吊销许可证件",
    "restrict_production": "限制开展生产经营活动",
    "order_suspension": "责令停产停业",
    "order_closure": "责令关闭",
    "restrict_employment": "限制从业",
    "detention": "行政拘留",
    "other": "其他行政处罚",
}

PARTY_KIND: Final = {
    "legal_person": "法人",
    "natural_person": "自然人",
    "individual_business": "个体工商户",
    "other_org": "其他组织",
}
