"""Patterns for names of natural persons: surnames and given names, the words around a name."""

from __future__ import annotations

import re
from typing import NamedTuple

from gongshi.redaction.surnames import (
    COMPOUND_SURNAMES,
    NOT_GIVEN,
    SINGLE_SURNAMES,
)

_CJK = r"\u4e00-\u9fff"

_SURNAME = "(?:" + "|".join(sorted(COMPOUND_SURNAMES)) + "|[" + "".join(sorted(SINGLE_SURNAMES)) + "])"

# A given-name character is a CJK ideograph that does not end or continue a name (ASCII "," is none).
_GIVEN = (
    "[^\x00-\u4dff\ua000-\U0010ffff"
    + "".join(sorted(c for c in NOT_GIVEN if "\u4e00" <= c <= "\u9fff"))
    + "]"
)

NAME = rf"{_SURNAME}{_GIVEN}{{1,2}}"

OFFICER_WORDS = "执法人员|执法员|执法队员|办案人员|承办人|检查人员?|询问人|记录人|调查人员?|监督员|稽查员"

_PEOPLE_WORDS = (
    "证人|投诉人|举报人|申诉人|报案人|员工|雇员|店员|职工|工作人员|营业员|收银员|服务员|邻居|现场负责人|负责人|"
    "受害人|被害人|见证人|委托代理人|代理人|联系人|经办人|驾驶员|驾驶人|司机|业主|租户|承租人|出租人|消费者|患者|"
    "家属|监护人|法定代理人|店长|经理|会计|出纳|厨师|保安|村民|居民|顾客|购买者|买受人|同事|朋友|亲属|"
    "妻子|丈夫|儿子|女儿|父亲|母亲|之子|之女|之妻|之夫|被询问人|被检查人|陪同人员?|在场人员?|技术员|"
    "实际经营人|实际控制人|股东|医生|护士|学生|患儿|老人|游客|乘客|租客|房东|中介|介绍人|担保人|"
    "打工人员|帮工|学徒|送货员|快递员|骑手|操作工|电工|焊工|主管|质检员|仓管员|采购员|销售员|业务员|"
    "聘用的|雇佣的|雇用的|招用的|聘请的|未成年人|转入|转给|交由|交给|指使|安排|"
    # Roles in transactions and records, family, and verbs that take a person as their object.
    "收货人|发货人|送货人|签收人|经手人|保管员|开票人|制单人|取货人|提货人|购货人|供货人|收款人|付款人|车主|户主|"
    "持有人|所有人|权利人|申请人|委托人|受托人|被委托人|承包人|发包人|施工人员?|合伙人|法定代表人|厂长|站长|组长|"
    "队长|班长|主任|老板娘?|店主|摊主|房主|嫌疑人|行为人|当事人之[子女妻夫父母兄弟姐妹]|配偶|[兄弟姐妹]{2}|"
    "哥哥|弟弟|姐姐|妹妹|儿媳|女婿|侄子|外甥|孙子|孙女|名叫|名为|姓名|委托|授权|雇请|雇用|聘用|聘请|指派|"
    "表哥|表弟|表姐|表妹|堂兄|堂弟|堂姐|堂妹|叔叔|阿姨|舅舅|姑姑|伯父|婶婶|嫂子|姐夫|妹夫|岳父|岳母|公公|婆婆|"
    "爷爷|奶奶|外公|外婆|男友|女友|男朋友|女朋友|前妻|前夫|恋人|同居人|使用人|机主|户名|开户人|借款人|出借人|"
    "案外人|第三人|购买人|出售人|销售人|转让人|受让人|工人|农民工|民工|临时工|小工|杂工|保姆|护工|"
    "联络人|知情人|目击者|目击人|网管|吧员|收银|厨工|帮厨|面点师|配送员|押运员|安全员|库管|仓管|前台|领班|理货员|导购|"
    "副总指挥|总指挥|指挥长|组员|成员|举报者|投诉者|受害者|伤者|死者|遇难者|民警|辅警|干警|村干部|干部|同学|亲戚|老乡|同乡|熟人|室友|舍友|战友|徒弟|"
    "经营户|商户|住户|农户|养殖户|种植户|个体户|承包户|门卫|保洁|看门人|"
    # Verbs of violence and contact that take a person as their object: 殴打魏红萍, 传唤李强.
    "殴打|打伤|砍伤|刺伤|推搡|辱骂|威胁|恐吓|撕扯|拉扯|踢打|传唤|约谈|通知|联系|告知|询问了?|"
    f"{OFFICER_WORDS}|"
    # Any occupation: 保洁员, 网格员, 代理律师, 主治医师…
    r"[\u4e00-\u9fff]{1,3}员|律师|医师|工程师|技师|药师|师傅"
)

# The same words as alternatives that each start with a literal character, so the regex engine skips
# every position whose character starts none of them (five times faster): two siblings spelled out, and
# an occupation matched from its 员 (the name after it is what counts).
_SIBLINGS = "|".join(a + b for a in "兄弟姐妹" for b in "兄弟姐妹")

_PEOPLE_WORDS_LITERAL = _PEOPLE_WORDS.replace("[兄弟姐妹]{2}", _SIBLINGS).replace(
    r"[\u4e00-\u9fff]{1,3}员", r"员(?<=[\u4e00-\u9fff]员)"
)

# A person word, optional filler ("王建国", "：王建国", "为王建国", "（男）"), then the name.
BEFORE = re.compile(
    rf"(?P<ctx>{_PEOPLE_WORDS_LITERAL})(?:[:：\s]|(?:为|是|系|有)[:：]?|名为|姓名[:：]?|[（(][^）)]{{0,12}}[）)]|[（(](?={NAME}[）)]))?"
    rf"(?P<name>{NAME})"
)

# A role label with a colon: 保管员：王建国, 记录人：李娜.
LABEL = re.compile(rf"(?<=[人员者主长师工])[:：]\s?(?P<name>{NAME})")

# The next name of a list, past a parenthesis about the previous one: 柏松（执法证号…）、霍青青.
# Explicit naming (一名叫钭志伟的人, 化名：阿强): the surname need not be in the table.
NAMED = re.compile(r"(?:名叫|叫做|名字叫|姓名[:：]|化名[:：为]?)(?P<name>[\u4e00-\u9fff]{2,3})")

LIST_MORE = re.compile(rf"(?:[（(][^（()）]{{0,30}}[）)])?(?:[、,，]|和|及|与|以及)(?P<name>{NAME})")

AFTER = re.compile(
    rf"(?<!某)(?P<name>{NAME})(?=[（(][男女]|[,，][男女][,，]|等\d*人|等[一二三四五六七八九十]+人|[两二三四五六七八九十]人|"
    r"(?:当场|在笔录|在现场|在询问笔录中)?(?:证实|陈述|供述|作证|签字|签名|确认|反映|举报|投诉|指认|辨认|承认|交代|辩称|声称|供认)|"
    r"[（(,，](?:身份证|公民身份|住|现住|家住|户籍|电话|手机|联系电话|出生)|称[,，:：其该系]|"
    r"等[0-9一二三四五六七八九十两]+[名位个]|"
    r"系当事人|是当事人的|系该(?:店|公司|厂|单位)|受当事人(?:雇|聘|委托|指使)|[（(](?:化名|另案|已|曾用名)|"
    r"的(?:证言|证词|陈述|询问笔录|身份证|手机|电话|银行卡|微信|支付宝|住处|家中|账户)|"
    # An evidence item named after its person: 武建军询问笔录、鲁晓红询问笔录.
    r"(?:询问|调查|讯问|现场)笔录|证人证言|(?:居民)?身份证复印件|"
    # Where something came from a person: 从卢永福处购得, 向其处了解.
    r"处(?:购|进|取|获|借|租|拿|买|收|调取|了解|得知)|"
    r"(?:[（(]|[,，])?(?:男|女)[,，、]\d{4}年|名下|[（(](?:护照|通行证|证件|港澳|台湾|\d{1,2}周岁)|年仅|时年|"
    # What happens to a person: 安曦诗的死亡, 魏红萍手中的镰刀, 魏红萍被诊断…
    r"的?(?:死亡|去世|身亡|遇难|伤情|病情|伤势)|手中|家中|家门口|被诊断|被打|被殴打|受伤|倒地|摔倒|"
    # …and what only a person is: 苗春燕本人, 岑德贵的仓库 is not (a thing's owner may be a firm).
    r"本人(?!的)"
    r")"
)

# Officers listed with their certificate numbers glued on: 敖胜振03000121012樊洋芳03000121002.
BETWEEN_NUMBERS = re.compile(rf"(?<=[0-9]{{6}})(?P<name>{NAME})(?=[0-9]{{6,}})")

AFTER_ANY = re.compile(rf"(?P<name>{NAME})(?=[（(][男女][,，、）)])")

# What a person does at the start of a clause: "次日，钟德再次到店", "发现常欣悦于当日进出仓库".
_PREDICATE = (
    r"(?:再次|又|多次|曾|先后|分别|随即|独自|亲自|均|也|还|即)?"
    r"(?:到店|到场|到达|来到|前往|进入|返回|回到|离开|购买|购得|购进|称|说|表示|介绍|证实|陈述|供述|交代|承认|辩称|"
    r"声称|反映|举报|投诉|作证|签字|签名|签收|确认|指认|辨认|驾驶|携带|送达|于(?:当日|当天|次日|同日|当晚|[0-9一二]"
    r"[0-9〇零]{3}年)|在(?:场|店|现场|其|该|当事人|询问|笔录)|系当事人|是当事人|为当事人|受当事人|与当事人|向当事人|"
    r"向本局|向我局|向执法|负责|从事|出具|出示|提供|办理|接受|拒绝|未能|无法|不服|同意|明知|不知|因|签订|调查|了解|"
    r"核实|退还|返还|支付|赔偿|保管|提交|填写|签署|持有|收取|保存|转交|交付|领取|借款|借用|"
    r"经常|常常|一直|总是|已经|仍然|长期|每天|私自|擅自|作出|租赁|承租|租用|"
    r"对(?:上述|此|该|检查|其|涉案|现场|当事人))"
)

# A preposition, then names listed with 、 (执法人员分别对杨金、石娟燕进行了询问).
PREP_LIST = re.compile(
    rf"(?<=[对向与和同跟给让请由])(?P<first>{NAME})(?P<rest>(?:、{NAME})+)"
    r"(?=进行|等|[两二三四五六七八九十]人|分别|均|的|共同|一起|[，。；、,])"
)

SUBJECT = re.compile(rf"(?P<name>{NAME})(?={_PREDICATE})")

# Characters and words after which a clause's subject (or a verb's object) starts.
SUBJECT_LEAD_CHARS = frozenset("向由与和对让请给替帮被将据经跟同及了")

SUBJECT_LEAD_WORDS = (
    "次日",
    "当日",
    "当天",
    "同日",
    "当晚",
    "随后",
    "之后",
    "其后",
    "此后",
    "事后",
    "期间",
    "当时",
    "发现",
    "经查",
    "查明",
    "另查",
    "其中",
    "并",
    "且",
    "后",
    "时",
    "由于",
    "因为",
    "如果",
    "虽然",
    "但",
    "而",
)

# Transliterated names (Uyghur, Tibetan, foreign): parts joined by a middle dot, 买买提·艾力.
DOT_NAME = re.compile(r"(?<![·•・])[\u4e00-\u9fff]{1,6}(?:[·•・][\u4e00-\u9fff]{1,8}){1,2}(?![·•・])")

DOT_NAME_ANYWHERE = re.compile(r"[\u4e00-\u9fff][·•・][\u4e00-\u9fff]")

# Adverbs and verbs that follow a surname-like character in running text: 向桂依法出示 is 向桂 + 依法.
_NOT_GIVEN_TEXT = (
    "依法当场立即随即主动自愿擅自私自多次再次共同一起分别已经曾经现场正在继续仍然未经经过按照依照根据通过"
    "予以应当拒不如实及时当即亲自专门长期一直同时先后确实实际直接全部违法非法违规有关相关上述以上以下进行"
    "出示检查发现调查询问告知送达签字确认表示认为要求负责女士先生小姐师傅老板经理大爷大妈"
    "当晚当日当天次日同日当时事后随后此后之后其后今后以后以前之前期间当年当月本月今年去年明年"
)

NOT_GIVEN_WORDS = frozenset(_NOT_GIVEN_TEXT[k : k + 2] for k in range(0, len(_NOT_GIVEN_TEXT), 2))

STRONG_AFTER = re.compile(
    r"[（(][男女]|[（(](?:联系电话|电话|手机|身份证|公民身份|住|现住|家住|\d{1,2}周岁)|[,，][男女][,，]"
    r"|等\d*人|等[一二三四五六七八九十]+人|称|证实|陈述|供述|作证|签字|确认"
)

SEX_AFTER = re.compile(r"[（(][男女]|[,，][男女][,，、]|[（(](?:身份证|公民身份)")

PEOPLE_WORD = re.compile(f"(?:{_PEOPLE_WORDS})")

BREAKS = frozenset(
    [
        "再次",
        "称",
        "在",
        "于",
        "到",
        "将",
        "向",
        "对",
        "和",
        "与",
        "、",
        "，",
        "。",
        "；",
        "系",
        "是",
        "的",
        "等",
        "已",
        "也",
        "均",
        "并",
        "因",
        "说",
        "介绍",
        "表示",
        "证实",
        "陈述",
        "签字",
        "确认",
        "到场",
        "出示",
        "依法",
        "当场",
        "再",
        "又",
        "曾",
        "从",
        "被",
        "把",
        "及",
        "作为",
        "负责",
        "具体",
        "前往",
        "来到",
        "驾驶",
        "（",
        "(",
        "：",
    ]
)

# First characters of every surname, single or compound.
FIRST_CHARS = frozenset(SINGLE_SURNAMES) | {c[0] for c in COMPOUND_SURNAMES}

PLACE_ENDINGS = frozenset("山江河湖路街区县市镇村桥寺港湾岛峰岭州庄园")

# Things, not people: 冷藏柜, 宋体字 carry the dictionary's person tag too.
OBJECT_ENDINGS = frozenset("柜箱瓶袋桶罐盒件套机器字纸表单票证卡章牌库厂店房馆车")

# Third characters that more often start the next word than end a name (证实, 称, 到场…).
WEAK_ENDINGS = frozenset("证称到现当说讲反提介陈签确作在于对将向和与及等")

PREPOSITIONS = frozenset("向于和与将从在被对以为及由把给同跟经")


class NameHit(NamedTuple):
    """A person name found in a field."""

    start: int
    end: int
    name: str
    rule: str
    confident: bool
    officer: bool = False
