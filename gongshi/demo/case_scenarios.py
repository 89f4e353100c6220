"""Data for the demo cases: what an agency of each kind finds, what parties say, how decisions are served.

These are data tables, long on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    """What an agency of one kind typically finds, and the evidence it takes."""

    sources: tuple[tuple[str, str, str], ...]  # (case source type, entry channel, detail)
    findings: tuple[str, ...]
    items: tuple[tuple[str, str, str], ...]  # (name, kind, quantity)
    questions: tuple[tuple[str, str], ...]  # (question, answer) of the inquiry


SCENARIOS = {
    "市场监督管理局": Scenario(
        sources=(
            ("complaint", "complaint", "12315 平台投诉：消费者反映在当事人经营场所购买的食品已超过保质期。"),
            ("ex_officio", "inspection", "“双随机、一公开”食品经营监督抽查。"),
        ),
        findings=(
            "经营场所货架上陈列的预包装食品中有 12 袋已超过标注的保质期，当事人未能提供进货查验记录。",
            "当事人销售的散装熟食未标明生产日期和保质期，食品经营许可证超出有效期未延续。",
        ),
        items=(
            ("营业执照复印件", "documentary", "1 份"),
            ("进货单据", "documentary", "3 张"),
            ("超过保质期的预包装食品", "physical", "12 袋"),
        ),
        questions=(
            ("涉案食品是从哪里进货的？", "从批发市场进的货，进货单在店里，没有做查验记录。"),
            ("涉案食品销售了多少？", "这批货一共进了 20 袋，卖掉了 8 袋，剩下的都在货架上。"),
        ),
    ),
    "生态环境局": Scenario(
        sources=(
            ("complaint", "complaint", "12345 热线转办：周边居民反映当事人厂区夜间排放刺激性气味废气。"),
            ("ex_officio", "inspection", "重点排污单位自动监控数据异常，现场核查。"),
        ),
        findings=(
            "喷漆车间废气处理设施（活性炭吸附装置）未开启，喷漆废气未经处理直接排放。",
            "危险废物贮存间未设置识别标志，废机油桶露天堆放，无防渗漏措施。",
        ),
        items=(
            ("排污许可证副本复印件", "documentary", "1 份"),
            ("废气处理设施运行台账", "documentary", "1 册"),
            ("自动监控数据截图", "electronic", "6 页"),
        ),
        questions=(
            ("检查时废气处理设施为什么没有运行？", "活性炭更换要停机，这两天在等新的活性炭到货。"),
            ("设施停运期间是否继续生产？", "订单比较急，喷漆线一直在生产。"),
        ),
    ),
    "城市管理局": Scenario(
        sources=(
            ("complaint", "complaint", "数字城管平台案件：人行道被占用，行人通行受阻。"),
            ("ex_officio", "inspection", "日常巡查发现。"),
        ),
        findings=(
            "当事人在经营场所门前人行道上堆放货物、摆摊设点，占用道路面积约 20 平方米，"
            "经责令改正后仍未改正。",
            "当事人未经批准在建筑物外墙设置户外广告招牌，招牌长约 6 米、宽约 1.2 米。",
        ),
        items=(
            ("责令限期改正通知书及送达回证", "documentary", "1 份"),
            ("现场测量记录", "documentary", "1 份"),
            ("营业执照复印件", "documentary", "1 份"),
        ),
        questions=(
            ("门前堆放的货物是否为你店所有？", "是我们店的，店里放不下，临时放在门口。"),
            ("此前是否收到过责令改正通知？", "收到过，当时收了一部分，后来又摆出来了。"),
        ),
    ),
    "交通运输局": Scenario(
        sources=(
            ("referral", "referral", "公安交警部门路面查车后移送。"),
            ("ex_officio", "inspection", "货运源头治超联合检查。"),
        ),
        findings=(
            "当事人使用一辆重型厢式货车从事道路货物运输经营，现场未能出示道路运输经营许可证和车辆道路运输证。",
            "涉案车辆未按规定进行年度审验，驾驶员未能出示道路运输从业资格证。",
        ),
        items=(
            ("车辆行驶证复印件", "documentary", "1 份"),
            ("货物运单", "documentary", "2 张"),
            ("行车记录仪视频拷贝", "audiovisual", "1 段"),
        ),
        questions=(
            ("涉案车辆运输的是谁的货物？运费多少？", "帮一家物流公司拉货，一趟运费一千二百元。"),
            ("是否办理了道路运输经营许可？", "还没有办，正在准备材料。"),
        ),
    ),
    "应急管理局": Scenario(
        sources=(
            ("ex_officio", "inspection", "安全生产执法检查计划内检查。"),
            ("complaint", "report", "12350 举报：企业仓库安全出口被堵。"),
        ),
        findings=(
            "仓库安全出口被货物堵塞，部分灭火器压力不足，当事人未按规定对从业人员进行安全生产教育和培训。",
            "当事人未按规定对重大危险源进行定期检测、评估，特种作业人员未持证上岗。",
        ),
        items=(
            ("安全生产教育培训档案", "documentary", "1 册"),
            ("隐患排查治理台账", "documentary", "1 册"),
            ("现场检查记录", "documentary", "1 份"),
        ),
        questions=(
            ("从业人员上岗前是否经过安全生产培训？", "新来的几个工人还没有来得及培训。"),
            ("安全出口为什么堆放货物？", "最近进货多，仓库放不下，临时堆在那里。"),
        ),
    ),
}
DEFAULT_SCENARIO = SCENARIOS["市场监督管理局"]

STATEMENTS = (
    "当事人表示对认定的违法事实无异议，放弃陈述、申辩和听证的权利。",
    "当事人提出陈述、申辩，称系初次违法且已当场整改，请求从轻处罚。经复核，当事人已改正违法行为，"
    "在裁量基准范围内予以采纳。",
    "当事人口头陈述：对违法事实无异议，因经营困难请求分期缴纳罚款。已制作陈述申辩笔录。",
)
SERVICE_METHODS = (
    ("direct", "直接送达，当事人在送达回证上签名。"),
    ("post", "通过中国邮政 EMS 邮寄送达当事人住所，签收回执已附卷。"),
    ("electronic", "经当事人书面同意，通过电子送达平台送达，系统记录已送达。"),
    ("left_at_residence", "当事人拒绝签收，执法人员邀请社区工作人员见证，留置送达并拍照记录。"),
)
