"""Chinese labels for codes the portal shows: regions and withdrawal notices here, the decision codes' names
from gongshi.domain.labels."""

from __future__ import annotations

from typing import Final

from gongshi.domain.labels import KIND, PARTY_KIND, PENALTY_CATEGORY

__all__ = ["KIND", "PARTY_KIND", "PENALTY_CATEGORY", "REGION", "WITHDRAWAL_REASON", "region_name"]

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
