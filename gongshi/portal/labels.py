"""Chinese labels for codes the portal shows: kinds, penalty categories, regions, withdrawal reasons."""

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

# One sentence per reason: the law requires the reason for a withdrawal to be explained publicly.
WITHDRAWAL_REASON: Final = {
    "revoked": "该行政执法决定已被依法撤销，原公示信息相应撤下。",
    "confirmed_illegal": "该行政执法决定已被确认违法，原公示信息相应撤下。",
    "redo_ordered": "该行政执法决定已被责令重新作出，原公示信息撤下，重新作出的决定将另行公示。",
    "error": "原公示信息存在错误，已予撤下。",
    "credit_repair": "当事人已依法完成信用修复，原公示信息提前撤下。",
    "other": "因其他法定情形，原公示信息已予撤下。",
}

# 行政区划 codes of the regions agencies register in (Anhui first; unknown codes are shown as they are).
REGION: Final = {
    "340000": "安徽省",
    "340100": "合肥市",
    "340102": "合肥市瑶海区",
    "340103": "合肥市庐阳区",
    "340104": "合肥市蜀山区",
    "340111": "合肥市包河区",
    "340123": "合肥市肥西县",
    "340200": "芜湖市",
    "340202": "芜湖市镜湖区",
    "340300": "蚌埠市",
    "340302": "蚌埠市龙子湖区",
    "340400": "淮南市",
    "340500": "马鞍山市",
    "340600": "淮北市",
    "340700": "铜陵市",
    "340800": "安庆市",
    "340802": "安庆市迎江区",
    "341000": "黄山市",
    "341100": "滁州市",
    "341200": "阜阳市",
    "341202": "阜阳市颍州区",
    "341300": "宿州市",
    "341302": "宿州市埇桥区",
    "341500": "六安市",
    "341502": "六安市金安区",
    "341600": "亳州市",
    "341700": "池州市",
    "341800": "宣城市",
}


def region_name(code: str) -> str:
    return REGION.get(code, code)
