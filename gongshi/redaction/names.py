"""Names of natural persons: hints, context rules, segmentation with a surname table, and masking."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from gongshi.redaction import places, segment
from gongshi.redaction.surnames import (
    COMPOUND_SURNAMES,
    NOT_GIVEN,
    NOT_NAMES,
    SINGLE_SURNAMES,
    WEAK_SURNAMES,
    surname_of,
)

_CJK = r"\u4e00-\u9fff"
_SURNAME = "(?:" + "|".join(sorted(COMPOUND_SURNAMES)) + "|[" + "".join(sorted(SINGLE_SURNAMES)) + "])"
# A given-name character is a CJK ideograph that does not end or continue a name (ASCII "," is none).
_GIVEN = (
    "[^\x00-\u4dff\ua000-\U0010ffff"
    + "".join(sorted(c for c in NOT_GIVEN if "\u4e00" <= c <= "\u9fff"))
    + "]"
)
_NAME = rf"{_SURNAME}{_GIVEN}{{1,2}}"

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
    "副总指挥|总指挥|指挥长|组员|成员|举报者|投诉者|受害者|伤者|死者|遇难者|"
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
_BEFORE = re.compile(
    rf"(?P<ctx>{_PEOPLE_WORDS_LITERAL})(?:[:：\s]|(?:为|是|系|有)[:：]?|名为|姓名[:：]?|[（(][^）)]{{0,12}}[）)]|[（(](?={_NAME}[）)]))?"
    rf"(?P<name>{_NAME})"
)
# A role label with a colon: 保管员：王建国, 记录人：李娜.
_LABEL = re.compile(rf"(?<=[人员者主长师工])[:：]\s?(?P<name>{_NAME})")
# The next name of a list, past a parenthesis about the previous one: 柏松（执法证号…）、霍青青.
# Explicit naming (一名叫钭志伟的人, 化名：阿强): the surname need not be in the table.
_NAMED = re.compile(r"(?:名叫|叫做|名字叫|姓名[:：]|化名[:：为]?)(?P<name>[\u4e00-\u9fff]{2,3})")
_LIST_MORE = re.compile(rf"(?:[（(][^（()）]{{0,30}}[）)])?(?:[、,，]|和|及|与|以及)(?P<name>{_NAME})")
_AFTER = re.compile(
    rf"(?<!某)(?P<name>{_NAME})(?=[（(][男女]|[,，][男女][,，]|等\d*人|等[一二三四五六七八九十]+人|[两二三四五六七八九十]人|"
    r"(?:当场|在笔录|在现场|在询问笔录中)?(?:证实|陈述|供述|作证|签字|签名|确认|反映|举报|投诉|指认|辨认|承认|交代|辩称|声称|供认)|"
    r"[（(,，](?:身份证|公民身份|住|现住|家住|户籍|电话|手机|联系电话|出生)|称[,，:：其该系]|"
    r"等[0-9一二三四五六七八九十两]+[名位个]|"
    r"系当事人|是当事人的|系该(?:店|公司|厂|单位)|受当事人(?:雇|聘|委托|指使)|[（(](?:化名|另案|已|曾用名)|"
    r"的(?:证言|证词|陈述|询问笔录|身份证|手机|电话|银行卡|微信|支付宝|住处|家中|账户)|"
    r"(?:[（(]|[,，])?(?:男|女)[,，、]\d{4}年|名下|[（(](?:护照|通行证|证件|港澳|台湾|\d{1,2}周岁)|年仅|时年|"
    # What happens to a person: 安曦诗的死亡, 魏红萍手中的镰刀, 魏红萍被诊断…
    r"的?(?:死亡|去世|身亡|遇难|伤情|病情|伤势)|手中|家中|家门口|被诊断|被打|被殴打|受伤|倒地|摔倒)"
)
# Officers listed with their certificate numbers glued on: 敖胜振03000121012樊洋芳03000121002.
_BETWEEN_NUMBERS = re.compile(rf"(?<=[0-9]{{6}})(?P<name>{_NAME})(?=[0-9]{{6,}})")
_AFTER_ANY = re.compile(rf"(?P<name>{_NAME})(?=[（(][男女][,，、）)])")
# What a person does at the start of a clause: "次日，钟德再次到店", "发现常欣悦于当日进出仓库".
_PREDICATE = (
    r"(?:再次|又|多次|曾|先后|分别|随即|独自|亲自|均|也|还|即)?"
    r"(?:到店|到场|到达|来到|前往|进入|返回|回到|离开|购买|购得|购进|称|说|表示|介绍|证实|陈述|供述|交代|承认|辩称|"
    r"声称|反映|举报|投诉|作证|签字|签名|签收|确认|指认|辨认|驾驶|携带|送达|于(?:当日|当天|次日|同日|当晚|[0-9一二]"
    r"[0-9〇零]{3}年)|在(?:场|店|现场|其|该|当事人|询问|笔录)|系当事人|是当事人|为当事人|受当事人|与当事人|向当事人|"
    r"向本局|向我局|向执法|负责|从事|出具|出示|提供|办理|接受|拒绝|未能|无法|不服|同意|明知|不知|因|签订|调查|了解|"
    r"核实|退还|返还|支付|赔偿|保管|提交|填写|签署|持有|收取|保存|转交|交付|领取|借款|借用|"
    r"经常|常常|一直|总是|已经|仍然|长期|每天|私自|擅自|"
    r"对(?:上述|此|该|检查|其|涉案|现场|当事人))"
)
# A preposition, then names listed with 、 (执法人员分别对杨金、石娟燕进行了询问).
_PREP_LIST = re.compile(
    rf"(?<=[对向与和同跟给让请由])(?P<first>{_NAME})(?P<rest>(?:、{_NAME})+)"
    r"(?=进行|等|[两二三四五六七八九十]人|分别|均|的|共同|一起|[，。；、,])"
)
_SUBJECT = re.compile(rf"(?P<name>{_NAME})(?={_PREDICATE})")
# Characters and words after which a clause's subject (or a verb's object) starts.
_SUBJECT_LEAD_CHARS = frozenset("向由与和对让请给替帮被将据经跟同及了")
_SUBJECT_LEAD_WORDS = (
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
_DOT_NAME = re.compile(r"(?<![·•・])[\u4e00-\u9fff]{1,6}(?:[·•・][\u4e00-\u9fff]{1,8}){1,2}(?![·•・])")
_DOT_NAME_ANYWHERE = re.compile(r"[\u4e00-\u9fff][·•・][\u4e00-\u9fff]")


class NameHit(NamedTuple):
    """A person name found in a field."""

    start: int
    end: int
    name: str
    rule: str
    confident: bool
    officer: bool = False


def _choose_length(text: str, start: int, max_end: int, boundaries: set[int]) -> int:
    """Pick where a name candidate ends, preferring the segmenter's word boundary."""
    name_len = 2 if text[start : start + 2] in COMPOUND_SURNAMES else 1
    shortest = start + name_len + 1
    if (
        max_end < len(text)
        and text[max_end] in NOT_GIVEN
        and text[max_end - 1] not in _WEAK_ENDINGS
        and not _common_prefix(text[start:max_end])
    ):
        return max_end
    for end in range(max_end, shortest - 1, -1):
        if end in boundaries:
            return end
    return max_end if max_end - start <= name_len + 1 or text[max_end - 1] not in NOT_GIVEN else shortest


def _is_common_word(word: str, limit: int) -> bool:
    freq = segment.word_freq(word)
    return freq > limit and not segment.is_person_word(word)


# Adverbs and verbs that follow a surname-like character in running text: 向桂依法出示 is 向桂 + 依法.
_NOT_GIVEN_TEXT = (
    "依法当场立即随即主动自愿擅自私自多次再次共同一起分别已经曾经现场正在继续仍然未经经过按照依照根据通过"
    "予以应当拒不如实及时当即亲自专门长期一直同时先后确实实际直接全部违法非法违规有关相关上述以上以下进行"
    "出示检查发现调查询问告知送达签字确认表示认为要求负责女士先生小姐师傅老板经理大爷大妈"
    "当晚当日当天次日同日当时事后随后此后之后其后今后以后以前之前期间当年当月本月今年去年明年"
)
_NOT_GIVEN_WORDS = frozenset(_NOT_GIVEN_TEXT[k : k + 2] for k in range(0, len(_NOT_GIVEN_TEXT), 2))
_STRONG_AFTER = re.compile(
    r"[（(][男女]|[（(](?:联系电话|电话|手机|身份证|公民身份|住|现住|家住|\d{1,2}周岁)|[,，][男女][,，]"
    r"|等\d*人|等[一二三四五六七八九十]+人|称|证实|陈述|供述|作证|签字|确认"
)


_SEX_AFTER = re.compile(r"[（(][男女]|[,，][男女][,，、]|[（(](?:身份证|公民身份)")


_THING_AFTER = re.compile(
    r"[”\"’]?(?:医院|大学|学院|中学|小学|幼儿园|公园|纪念馆|故居|广场|大厦|大道|大街|集团|公司|商行|超市|"
    r"酒店|饭店|餐厅|牌|品牌|商标|字样|专卖店|旗舰店|珠宝|金饰|药业|药房|基金会|奖学金|像章|"
    # Firms and shops: 展羲律师事务所, 乐客网吧, 金桌农业科技有限公司, 天地红烟酒门市.
    r"律师事务所|事务所|网吧|网咖|网络会所|门市|商店|商贸|商城|商场|经营部|服务部|营业部|诊所|卫生室|合作社|加油站|"
    r"宾馆|旅馆|酒楼|会所|工作室|有限|股份|科技|实业|贸易|农业|食品|农资|烟酒|百货|便利店|药店|大药房|"
    r"厂|作坊|养殖场|种植|专业|连锁|分公司|派出所|公安局|中队|大队|支队|政府|委员会|管委会|办事处|"
    # Products: 阿奇霉素胶囊, 郑单958, a variety or a drug.
    r"霉素|沙星|西林|胶囊|颗粒|注射液|口服液|软膏|乳膏|片剂|滴眼液|糖浆|喷雾剂|试剂|杀虫剂|除草剂|杀菌剂|种子|"
    r"玉米|水稻|小麦|棉花|香烟|卷烟|白酒|啤酒|奶粉|主管部门|部门|系统|行业|领域|资源)"
)
_THING_NAMED_AFTER = re.compile(
    r"的[\u4e00-\u9fff]{0,4}?(?:门市|商店|超市|网吧|店|公司|商行|餐馆|饭店|作坊|摊位)"
)
# Units after a number (14包, 2时许): the word after them is not a person.
_UNITS = frozenset("时分秒点包条个件箱瓶袋盒支只台辆吨斤克米元角次号岁株头匹桶罐粒片份套张块把根枝层")
# Body parts: 殴打申请人左后脑 (左 and 右 are surnames too).
_BODY = re.compile(r"[左右](?:侧|后|前|上|下)?[手脚腿眼耳臂肩胸腹腰背膝肘腕脑额面脸颊膀肋足指趾]")
# Words of enforcement documents that start with a surname character: legal verbs, time words.
_LEGAL_WORDS = re.compile(
    r"查(?:明|见|获|实|处|封|扣|验|看|询|阅|证|清|办|出|找|收|控|悉)|管(?:控|理|辖|护|制|束)|许(?:可|接|诺)|时(?:新|许|任|值|限)"
    r"|申(?:请|辩|诉|报|领|明)(?:权|人|书|表)?|盖章|文(?:旅|综|罚|执|广|体|化|明|件|书)|项(?:诉求|目|下)"
)


# Characters of administrative prose that (almost) never stand in a given name: 农药案, 修复股, 黄盒.
_NEVER_GIVEN = frozenset(
    "案股盒网罚款局厅处室证照票据项章节段库站场点层窗船械料货型样格价费税额率值届批码册页币"
)
# A firm's or a place's name going on: 向天歌玩具厂, 康乐堂药房, 乐巢娱乐会所, 白马寺.
_ORG_SOON = re.compile(
    r"[^\x00-\u4dff\ua000-\U0010ffff在于的到向把被将从对和与及是为了称说]{0,4}?"
    r"(?:厂|公司|会所|药房|药店|商行|超市|网吧|酒店|饭店|餐馆|门市|经营部|合作社|中心|协会|养殖场|农场|店|堂|馆|寺|洞|塘|渠)"
)
_QUANTITY = re.compile(
    r"[0-9]+(?:\.[0-9]+)?(?:袋|盒|瓶|包|箱|件|条|个|支|罐|桶|斤|克|千克|公斤|吨|份|只|台|套|册|本)"
)
_RECORD_TITLE = re.compile(
    r"笔录|证言|陈述|身份|申请|委托|承诺|说明|情况|检查|询问|证明|收条|欠条|协议|合同|声明|照片"
)


def _guess_is_a_thing(text: str, hit: NameHit, before: str) -> bool:
    """A segmenter's guess (no context word) that is a product, a variety, a title or an office word."""
    given = hit.name[2:] if hit.name[:2] in COMPOUND_SURNAMES and len(hit.name) > 2 else hit.name[1:]
    if any(c in _NEVER_GIVEN for c in given):
        return True
    if text[hit.end : hit.end + 2].isdigit() or _QUANTITY.match(text, hit.end):
        return True  # 郑单958: a variety's code; 黄金豆卷1袋: a product and its quantity
    if before in "局司厂院委办":
        return True  # 旅游局官网
    if before in "（(" and text[hit.end : hit.end + 1] in ("）", ")"):
        return True  # 芙蓉王（黄盒）: a variety in brackets
    opened = text.rfind("《", max(0, hit.start - 40), hit.start)
    if opened >= 0 and text.find("》", opened, hit.start) < 0:
        close = text.find("》", hit.end, hit.end + 40)
        title = text[opened : close if close >= 0 else hit.end]
        return not _RECORD_TITLE.search(title)  # 《蒙纸学画本》, 《行政许可法》: a work, not a person
    return False


_QUOTE_LABEL = re.compile(
    r"(?:账号|帐号|店铺|网店|直播间|平台|名称|招牌|牌匾|商标|品牌|字号|昵称|公众号|抖音|快手)的?$"
)
_QUOTE_AFTER = re.compile(r"(?:直播间|账号|帐号|店铺|网店|品牌|商标|牌|公众号|小程序)")


def _quoted_handle(text: str, hit: NameHit) -> bool:
    """A name inside the quoted name of an account, shop or brand: 抖音账号“杨光的快乐生活”直播间."""
    opened = text.rfind("“", max(0, hit.start - 20), hit.start + 1)
    if opened < 0 or text.find("”", opened, hit.start) >= 0:
        return False
    close = text.find("”", hit.end, hit.end + 30)
    if close < 0 or (opened == hit.start - 1 and close == hit.end):
        return False  # “王强” alone in quotes is still a name
    return bool(_QUOTE_LABEL.search(text, max(0, opened - 6), opened) or _QUOTE_AFTER.match(text, close + 1))


def _names_a_thing(text: str, hit: NameHit) -> bool:
    """A firm, shop, place, product or word that only looks like a name (see the patterns above)."""
    if _THING_AFTER.match(text, hit.end) or places.starts_place(text, hit.start, hit.end):
        return True
    if hit.rule == "context_named" and _THING_NAMED_AFTER.match(text, hit.end):
        return True  # 名叫天地红的烟酒门市
    before = text[hit.start - 1] if hit.start else "\n"
    if before in "®™©":
        return True  # 圣迪®阿奇霉素: a product after its brand mark
    if hit.rule.startswith("segmenter") and _guess_is_a_thing(text, hit, before):
        return True
    if before.isdigit() and hit.name[0] in _UNITS:
        return True
    if before in "时分" and hit.name[0] == "许" and hit.start >= 2 and text[hit.start - 2].isdigit():
        return True  # 10时许接…
    if _quoted_handle(text, hit):
        return True
    legal = _LEGAL_WORDS.match(hit.name)
    if _BODY.match(hit.name) or (legal and legal.end() >= len(hit.name) - 1):
        return True  # 查明, 查见馨湘源…: a verb of the record and the word after it
    # A variety in brackets after a product, then a quantity: 长白山（蓝尚）0.8条.
    return (
        hit.rule.startswith("segmenter")
        and before in "（("
        and text[hit.end : hit.end + 1] in ("）", ")")
        and text[hit.end + 1 : hit.end + 2].isdigit()
    )


def _bad_tail(word: str) -> bool:
    """Whether the characters after the surname are an everyday adverb or verb (依法, 当场, 出示…)."""
    surname = 2 if word[:2] in COMPOUND_SURNAMES and len(word) > 2 else 1
    tail = word[surname:]
    return tail in _NOT_GIVEN_WORDS or (len(tail) == 3 and tail[1:] in _NOT_GIVEN_WORDS)


_PREPOSITIONS = frozenset("向于和与将从在被对以为及由把给同跟经")


def _cuts_a_word(text: str, start: int, end: int) -> bool:
    """执法人员向当事人: a weak surname whose "given name" starts a longer everyday word is a preposition."""
    word = text[start:end]
    if word[:2] in COMPOUND_SURNAMES or word[0] not in WEAK_SURNAMES:
        return False
    if word[0] in _PREPOSITIONS and len(word) > 2 and _is_common_word(word[1:], 300):
        return True  # 执法人员向周边商户: 向 + an everyday word
    if word[0] in _PREPOSITIONS and _PEOPLE_WORD.match(text, start + 1):
        return True  # 执法人员向知情人翁美玲: 向 + a person word
    return any(
        start + 1 + n > end and segment.word_freq(text[start + 1 : start + 1 + n]) > 100
        for n in (2, 3, 4)
        if start + 1 + n <= len(text)
    )


def _everyday_start(word: str) -> bool:
    """学生毕业后, 申请人有权利更, 老板和顾客: the name-shaped word starts or ends an everyday word."""
    if len(word) != 3 or word[:2] in COMPOUND_SURNAMES:
        return False
    return (segment.word_freq(word[:2]) > 1000 and not segment.is_person_word(word[:2])) or (
        word[0] in WEAK_SURNAMES and segment.word_freq(word[1:]) > 1000
    )


def _common_prefix(word: str) -> bool:
    """权益受: a single surname and one character that make an everyday word, then one more character."""
    return len(word) == 3 and word[:2] not in COMPOUND_SURNAMES and _is_common_word(word[:2], 500)


def _subject_lead(text: str, start: int) -> bool:
    if start == 0 or not "\u4e00" <= text[start - 1] <= "\u9fff" or text[start - 1] in _SUBJECT_LEAD_CHARS:
        return True
    return text.endswith(_SUBJECT_LEAD_WORDS, max(0, start - 2), start)


def _dot_name_end(text: str, dot: int, limit: int, boundaries: set[int]) -> int:
    """Where the part after the last dot ends: at a word boundary followed by a function or common word."""
    first = None
    for end in range(dot + 2, limit + 1):
        if end not in boundaries:
            continue
        first = first or end
        if end == len(text) or not "\u4e00" <= text[end] <= "\u9fff" or text[end] in NOT_GIVEN:
            return end
        if any(segment.word_freq(text[end : end + n]) > 1000 for n in (2, 3)):
            return end
    return first or limit


_PEOPLE_WORD = re.compile(f"(?:{_PEOPLE_WORDS})")


def _syllables(word: str) -> bool:
    """Whether a token can be part of a transliterated name: rare, not a person word, not a function word."""
    if _PEOPLE_WORD.fullmatch(word) or (
        len(word) == 1 and (word in NOT_GIVEN or word in _SUBJECT_LEAD_CHARS)
    ):
        return False
    return segment.word_freq(word) <= 1000 or segment.is_person_word(word)


def _dot_names(text: str, toks: list[tuple[str, int, int]], boundaries: set[int]) -> list[NameHit]:
    """Names written with a middle dot, unless inside a title 《…》 or quotes (a brand or a work)."""
    out: list[NameHit] = []
    for m in _DOT_NAME.finditer(text):
        before = text[: m.start()]
        if before.count("《") > before.count("》") or before.count("“") > before.count("”"):
            continue
        first_dot = min(p for p in (m.group().find(d) for d in "·•・") if p >= 0) + m.start()
        last_dot = max(m.group().rfind(d) for d in "·•・") + m.start()
        # The first part starts after the words in front of it (证人, 对…): transliterated syllables are
        # rare words, everyday ones are not.
        inside = [(w, a) for w, a, _ in toks if m.start() <= a < first_dot]
        start = first_dot - 1
        for k, (_, a) in enumerate(inside):
            if all(_syllables(w) for w, _ in inside[k:]):
                start = a
                break
        end = _dot_name_end(text, last_dot, m.end(), boundaries)
        out.append(NameHit(start, end, text[start:end], "dot_name", True))
    return out


def _overlapping(rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches starting at every position: 向章雪退还 must also be tried as 章雪 after 向章雪 fails."""
    m = rx.search(text)
    while m is not None:
        yield m
        m = rx.search(text, m.start() + 1)


def _subjects(text: str, boundaries: set[int]) -> list[NameHit]:
    """A name-shaped word starting a clause (or after 向/由/与…) and followed by what a person does."""
    out: list[NameHit] = []
    for m in _overlapping(_SUBJECT, text):
        start, end = m.start("name"), m.end("name")
        word = text[start:end]
        # The segmenter may glue the lead character to the surname (经罗/永平): that start counts too.
        glued = start > 0 and text[start - 1] in _SUBJECT_LEAD_CHARS
        # …or the first character of the predicate to the name's last (李强/阳于).
        end_glued = end < len(text) and text[end] in NOT_GIVEN
        if (
            (start not in boundaries and not glued)
            or (end not in boundaries and not end_glued)
            or not _subject_lead(text, start)
        ):
            continue
        weak = word[:2] not in COMPOUND_SURNAMES and word[0] in WEAK_SURNAMES
        freq = segment.word_freq(word)
        if segment.is_person_word(word):
            if freq > 3000:
                continue
        elif freq > (5 if weak else 50):
            continue
        if word in NOT_NAMES or _common_prefix(word) or _bad_tail(word):
            continue
        out.append(NameHit(start, end, word, "context_subject", True))
    return out


def _list_after(text: str, pos: int, boundaries: set[int], officer: bool) -> list[NameHit]:
    """Names listed after one found by context: 执法人员王强、李娜和欧阳娜娜."""
    listed: list[NameHit] = []
    while (more := _LIST_MORE.match(text, pos)) is not None:
        s2 = more.start("name")
        e2 = _choose_length(text, s2, more.end("name"), boundaries)
        w2 = text[s2:e2]
        if _is_common_word(w2, 5000) or w2 in NOT_NAMES or _bad_tail(w2):
            break
        listed.append(NameHit(s2, e2, w2, "context_list", True, officer))
        pos = e2
    return listed


def _prep_lists(text: str, boundaries: set[int]) -> list[NameHit]:
    """Two or more name-shaped words listed after a preposition, each rare enough to be a name."""
    out: list[NameHit] = []
    for m in _PREP_LIST.finditer(text):
        items: list[tuple[int, int]] = [(m.start("first"), m.end("first"))]
        pos = m.start("rest")
        for part in m.group("rest").split("、")[1:]:
            pos += 1
            items.append((pos, pos + len(part)))
            pos += len(part)
        words = [text[a:b] for a, b in items]
        # The first name may be glued to the preposition (对钟/英阳); the others start after 、.
        if all(
            (a in boundaries or k == 0)
            and not _is_common_word(w, 500)
            and w not in NOT_NAMES
            and not _bad_tail(w)
            and not _common_prefix(w)
            for k, ((a, _), w) in enumerate(zip(items, words, strict=True))
        ):
            out += [NameHit(a, b, w, "context_list", True) for (a, b), w in zip(items, words, strict=True)]
    return out


def _list_before(text: str, start: int, boundaries: set[int]) -> list[NameHit]:
    """Names listed before one found by a rule after it: 张晓东、李梅、欧阳建华等人."""
    out: list[NameHit] = []
    while start >= 3 and text[start - 1] == "、":
        sep = start - 1
        for length in (4, 3, 2):
            a = sep - length
            word = text[a:sep]
            if a < 0 or (length == 4 and word[:2] not in COMPOUND_SURNAMES):
                continue
            if (
                a in boundaries
                and re.fullmatch(_NAME, word)
                and not _is_common_word(word, 500)
                and word not in NOT_NAMES
                and not _common_prefix(word)
                and not _bad_tail(word)
            ):
                out.append(NameHit(a, sep, word, "context_list", True))
                start = a
                break
        else:
            break
    return out


def find_names(text: str) -> tuple[list[NameHit], list[NameHit]]:
    """Names in `text`: (sure ones, unsure ones for the reviewer)."""
    toks = segment.tokens(text)
    boundaries = {end for _, _, end in toks} | {start for _, start, _ in toks}
    sure: list[NameHit] = []
    unsure: list[NameHit] = []
    for m in _BEFORE.finditer(text):
        officer = re.fullmatch(OFFICER_WORDS, m.group("ctx")) is not None
        start = m.start("name")
        end = _choose_length(text, start, m.end("name"), boundaries)
        word = text[start:end]
        if word in NOT_NAMES or _bad_tail(word) or _cuts_a_word(text, start, end) or _everyday_start(word):
            continue
        listed = _list_after(text, end, boundaries, officer)
        # 许家, 王家 are dictionary words too: after a person word they are names when more evidence follows
        # (a list of names, （男，…）, 称, 证实…).
        strong = bool(listed or _STRONG_AFTER.match(text, end))
        if _SEX_AFTER.match(text, end):
            limit = 1500  # 消费者：高新，男，1983年…
        elif word[:2] not in COMPOUND_SURNAMES and word[0] in WEAK_SURNAMES:
            limit = 500 if strong else 50  # 业务员高价推销: 高 + an everyday word
        else:
            limit = 1500 if strong else 500
        if _is_common_word(word, limit):
            # 执法人员石子冬和万豪雨: the first looks like a word (石子), the others are still names.
            sure += [h for h in listed if not _is_common_word(h.name, 50)]
            continue
        sure.append(NameHit(start, end, word, "context_before", True, officer))
        sure += listed
    for m in _LABEL.finditer(text):
        start = m.start("name")
        end = _choose_length(text, start, m.end("name"), boundaries)
        word = text[start:end]
        if not _is_common_word(word, 500) and word not in NOT_NAMES and not _common_prefix(word):
            sure.append(NameHit(start, end, word, "context_label", True))
            sure += _list_after(text, end, boundaries, False)
    for m in _NAMED.finditer(text):
        start = m.start("name")
        end = start + 2
        while end < m.end("name") and text[end] not in NOT_GIVEN and end + 1 in boundaries | {len(text)}:
            end += 1
        word = text[start:end]
        if all(c not in NOT_GIVEN for c in word) and not _is_common_word(word, 500) and not _bad_tail(word):
            sure.append(NameHit(start, end, word, "context_named", True))
    for m in _BETWEEN_NUMBERS.finditer(text):
        word = m.group("name")
        if word not in NOT_NAMES and not _is_common_word(word, 500):
            sure.append(NameHit(m.start("name"), m.end("name"), word, "context_numbered", True, True))
    after: list[NameHit] = []
    for rx, rule in ((_AFTER, "context_after"), (_AFTER_ANY, "context_after")):
        for m in _overlapping(rx, text):
            word = m.group("name")
            at_boundary = (
                m.start() in boundaries or m.start() == 0 or not "\u4e00" <= text[m.start() - 1] <= "\u9fff"
            )
            limit = 1500 if rx is _AFTER_ANY else 50
            if rx is _AFTER and word[:2] not in COMPOUND_SURNAMES and word[0] in WEAK_SURNAMES:
                limit = 0  # 门面房系当事人…: a weak surname needs a word the dictionary does not know
            if (
                at_boundary
                and not _is_common_word(word, limit)
                and word not in NOT_NAMES
                and not _bad_tail(word)
            ):
                after.append(NameHit(m.start("name"), m.end("name"), word, rule, True))
    after += _subjects(text, boundaries)
    after += _prep_lists(text, boundaries)
    sure += after
    for hit in after:
        sure += _list_before(text, hit.start, boundaries)
    context_ends = {h.end for h in sure}
    for k, (word, start, end) in enumerate(toks):
        if word[0] not in _FIRST_CHARS:
            continue  # neither rule takes a word that starts with no surname
        guess = _segmenter_name(word, start, end) or _split_name(toks, k)
        if guess is not None and guess.name not in NOT_NAMES and not _bad_tail(guess.name):
            # Right after a name found by context (员工贝晓琳封样), a guess is the verb, not a second name.
            confident = guess.confident and not (guess.start in context_ends and len(guess.name) == 2)
            (sure if confident else unsure).append(guess)
    # 邵逸夫医院, “马应龙”商标, 周大福金饰: a person's name used as the name of a place, firm or brand.
    thing = [_names_a_thing(text, h) for h in sure]
    things = {h.name for h, t in zip(sure, thing, strict=True) if t}
    # A guess that names a thing anywhere in the text (黄金豆卷1袋 … 黄金豆卷及…) is that thing everywhere.
    sure = [
        h
        for h, t in zip(sure, thing, strict=True)
        if not t and not (h.name in things and (h.rule.startswith("segmenter") or h.rule == "context_named"))
    ]
    # A segmenter's piece (喻志) of a name a context rule found whole (喻志刚) is no second person.
    whole = [(h.start, h.end) for h in sure if not h.rule.startswith("segmenter")]
    sure = [
        h
        for h in sure
        if not (h.rule.startswith("segmenter") and any(a <= h.start and h.end < b for a, b in whole))
    ]
    # An unsure guess goes to the reviewer only when it is no dictionary word and no firm's name.
    unsure = [
        h
        for h in unsure
        if not _names_a_thing(text, h)
        and not _ORG_SOON.match(text, h.end)
        and segment.word_freq(h.name) <= 20
        # 冷藏柜, 宋体字: a thing's word is boilerplate, not a doubt for every record that says it.
        and not (len(h.name) == 3 and h.name[-1] in _OBJECT_ENDINGS)
    ]
    if _DOT_NAME_ANYWHERE.search(text):
        # A name with a middle dot is one name: pieces other rules found inside it (阿依古) give way.
        dotted = _dot_names(text, toks, boundaries)
        spans = [(h.start, h.end) for h in dotted]
        sure = dotted + [h for h in sure if not any(h.start < b and a < h.end for a, b in spans)]
        unsure = [h for h in unsure if not any(h.start < b and a < h.end for a, b in spans)]
    return sure, unsure


_BREAKS = frozenset(
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


def _breaks_after(toks: list[tuple[str, int, int]], k: int) -> bool:
    return k >= len(toks) or toks[k][0] in _BREAKS


def _split_name(toks: list[tuple[str, int, int]], k: int) -> NameHit | None:
    """An unknown name the segmenter cut in two: 司马/菊, 郭/飞雪, 刘家/军."""
    word, start, _ = toks[k]
    if k + 1 >= len(toks):
        return None
    nxt, _, nxt_end = toks[k + 1]
    if not (1 <= len(nxt) <= 2) or any(c in NOT_GIVEN or not "\u4e00" <= c <= "\u9fff" for c in nxt):
        return None
    name = word + nxt
    followed = _breaks_after(toks, k + 2)
    if word in COMPOUND_SURNAMES and segment.word_freq(nxt) <= 2000:
        return NameHit(start, nxt_end, name, "segmenter_compound", followed)
    if not followed or word[:1] in WEAK_SURNAMES:
        return None
    if len(word) == 1 and word in SINGLE_SURNAMES:
        freq = segment.word_freq(nxt)
        if freq == 0 or (len(nxt) == 2 and freq <= 1000):
            return NameHit(start, nxt_end, name, "segmenter_split", freq == 0 or freq <= 50)
    elif len(word) == 2 and word[0] in SINGLE_SURNAMES and len(nxt) == 1 and segment.word_freq(word) <= 3000:
        return NameHit(start, nxt_end, name, "segmenter_split", segment.word_freq(name) == 0)
    return None


def _segmenter_name(word: str, start: int, end: int) -> NameHit | None:
    n = len(word)
    compound = word[:2] in COMPOUND_SURNAMES
    if not (2 <= n <= 3 or (compound and n == 4)):
        return None
    if not (compound or word[0] in SINGLE_SURNAMES):
        return None
    given = word[2:] if compound and n > 2 else word[1:]
    if not given or any(c in NOT_GIVEN or not ("\u4e00" <= c <= "\u9fff") for c in given):
        return None
    freq = segment.word_freq(word)
    # 齐云山, 钱塘江, 金寨路: place names carry the person tag too; the reviewer decides.
    weak = (
        (not compound and word[0] in WEAK_SURNAMES)
        or (n == 3 and word[-1] in (_PLACE_ENDINGS | _OBJECT_ENDINGS))
        or (n == 3 and not compound and _is_common_word(word[:2], 50))
    )
    if freq == 0:
        # Not a dictionary word: the segmenter's HMM glued it together, which is how unknown names appear.
        return NameHit(start, end, word, "segmenter_new_word", not weak)
    if segment.is_person_word(word) and freq <= 500:
        # The dictionary's person tag is noisy (许可证, 银行卡 carry it): only rare entries are trusted.
        return NameHit(start, end, word, "segmenter_nr", not weak and freq <= 30)
    return None


# First characters of every surname, single or compound.
_FIRST_CHARS = frozenset(SINGLE_SURNAMES) | {c[0] for c in COMPOUND_SURNAMES}
_PLACE_ENDINGS = frozenset("山江河湖路街区县市镇村桥寺港湾岛峰岭州庄园")
# Things, not people: 冷藏柜, 宋体字 carry the dictionary's person tag too.
_OBJECT_ENDINGS = frozenset("柜箱瓶袋桶罐盒件套机器字纸表单票证卡章牌库厂店房馆车")


class NameMasker:
    """Masks names consistently within one decision: 王建国 → 王某, a second 王… → 王某1/王某2."""

    def __init__(self, names: list[str], taken_text: str = "") -> None:
        by_mask: dict[str, list[str]] = {}
        for name in names:
            by_mask.setdefault(surname_of(name) + "某", []).append(name)
        self.mapping: dict[str, str] = {}
        for mask, group in by_mask.items():
            # A mask already used in the source text for somebody else counts as taken.
            if len(group) == 1 and not re.search(re.escape(mask) + "(?!某)", taken_text):
                self.mapping[group[0]] = mask
            else:
                for i, name in enumerate(group, start=1):
                    self.mapping[name] = f"{mask}{i}"

    def mask(self, name: str) -> str:
        """The masked form of `name`."""
        return self.mapping.get(name) or surname_of(name) + "某"


# Third characters that more often start the next word than end a name (证实, 称, 到场…).
_WEAK_ENDINGS = frozenset("证称到现当说讲反提介陈签确作在于对将向和与及等")
