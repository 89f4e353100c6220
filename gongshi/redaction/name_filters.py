"""Name-shaped words that are no person: things, firms, places, products, everyday and legal words."""

from __future__ import annotations

import re

from gongshi.redaction import places, segment
from gongshi.redaction.name_patterns import NOT_GIVEN_WORDS, PEOPLE_WORD, PREPOSITIONS, NameHit
from gongshi.redaction.surnames import (
    COMPOUND_SURNAMES,
    NOT_GIVEN,
    WEAK_SURNAMES,
)


def is_common_word(word: str, limit: int) -> bool:
    freq = segment.word_freq(word)
    return freq > limit and not segment.is_person_word(word)


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
    r"查(?:明|见|获|实|处|封|扣|验|看|询|阅|证|清|办|出|找|收|控|悉|违)|施划|管(?:控|理|辖|护|制|束)|许(?:可|接|诺)|时(?:新|许|任|值|限)"
    r"|申(?:请|辩|诉|报|领|明)(?:权|人|书|表)?|盖章|文(?:旅|综|罚|执|广|体|化|明|件|书)|项(?:诉求|目|下)"
)

# Characters of administrative prose that (almost) never stand in a given name: 农药案, 修复股, 黄盒.
_NEVER_GIVEN = frozenset(
    "案股盒网罚款局厅处室证照票据项章节段库站场点层窗船械料货型样格价费税额率值届批码册页币记"
)

# A firm's or a place's name going on: 向天歌玩具厂, 康乐堂药房, 乐巢娱乐会所, 白马寺.
ORG_SOON = re.compile(
    r"[^\x00-\u4dff\ua000-\U0010ffff在于的到向把被将从对和与及是为了称说并非该其不未没也都]{0,4}?"
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

_QUOTE_AFTER = re.compile(
    r"(?:直播间|账号|帐号|店铺|网店|品牌|商标|牌|公众号|小程序|招牌|牌匾|门头|字号|字样)"
)


def _quoted_handle(text: str, hit: NameHit) -> bool:
    """A name inside the quoted name of an account, shop or brand: 抖音账号“杨光的快乐生活”直播间."""
    opened = text.rfind("“", max(0, hit.start - 20), hit.start + 1)
    if opened < 0 or text.find("”", opened, hit.start) >= 0:
        return False
    close = text.find("”", hit.end, hit.end + 30)
    if close < 0:
        return False
    if _QUOTE_LABEL.search(text, max(0, opened - 6), opened) or _QUOTE_AFTER.match(text, close + 1):
        return True
    # A quoted word right before the name of a product (“卫龙”辣条, “鲁花”花生油, “冷酸灵”牙膏) is its brand;
    # “王强” before a verb or a particle (“王强”称, “王强”的) is still a name.
    return _product_after(text, close + 1)


def _product_after(text: str, pos: int) -> bool:
    if pos >= len(text) or not "\u4e00" <= text[pos] <= "\u9fff" or text[pos] in NOT_GIVEN:
        return False
    return any(
        segment.word_freq(text[pos : pos + n]) >= 300 and not PEOPLE_WORD.fullmatch(text[pos : pos + n])
        for n in (3, 2)
        if pos + n <= len(text)
    )


# What an agency writes where it masked a name: 某, x, ×, *.
_MASKED_MARKS = frozenset("某xX×*＊")


# Directions a vehicle takes (左转, 右拐): 左 and 右 are surnames too.
_DIRECTION = re.compile(r"[左右](?:转|拐|侧|边|前方|后方|转弯|车道)")


def _city_before_org(text: str, hit: NameHit) -> bool:
    """A prefecture's or a province's short name (常州, 温州) followed by more of a name, not by a verb."""
    if len(hit.name) != 2 or hit.end >= len(text):
        return False
    nxt = text[hit.end]
    if not "\u4e00" <= nxt <= "\u9fff" or nxt in NOT_GIVEN:
        return False
    return places.known_place(hit.name + "市") or places.known_place(hit.name + "省")


# Small places named by their landform (楼子湾, 杨柳坳, 黄家冲, 马家坪): a village group's or a field's name,
# not a given name. The strong endings stand after any two characters; the weaker ones (冲, 岭, 坪, 塘…
# are given names too) only after 家.
_LANDFORM_END = frozenset("湾坳垭沟洼坝寨屯峪坡垅垄埂塆凼垱")
_PLACE_AFTER_JIA = frozenset("冲岭岗坪塘湾沟庄村寨营铺桥坝坡屯埠集渡港坳垭洼峪")
# An office's name going on after the name-shaped word: 向城管局, 到信访局 (局长 is a title).
_OFFICE_AFTER = re.compile(r"[局厅署](?!长)")


# A label that names a kind, then its value: 地类为：乔木林地, 树种为杉木, 品种：黄桃 (no person follows).
_KIND_LABEL = re.compile(r"(?:地类|林种|树种|品种|类别|种类|类型|材质|用途)(?:为|是)?[:：]?\s*$")


def _landform_place(hit: NameHit) -> bool:
    surname = 2 if hit.name[:2] in COMPOUND_SURNAMES and len(hit.name) > 2 else 1
    given = hit.name[surname:]
    if len(given) != 2:
        return False
    return given[1] in _LANDFORM_END or (given[0] == "家" and given[1] in _PLACE_AFTER_JIA)


def names_a_thing(text: str, hit: NameHit) -> bool:
    """A firm, shop, place, product or word that only looks like a name (see the patterns above)."""
    if _THING_AFTER.match(text, hit.end) or places.starts_place(text, hit.start, hit.end):
        return True
    if _landform_place(hit) or _OFFICE_AFTER.match(text, hit.end):
        return True
    if _KIND_LABEL.search(text, max(0, hit.start - 8), hit.start):
        return True
    if _city_before_org(text, hit):
        return True  # 常州国家高新技术产业开发区, 常州鼎武医院: a city's short name going on as a name
    if text[hit.end : hit.end + 1] in _MASKED_MARKS and places.known_place(hit.name):
        # 宁夏某有限公司, 温州xx网络科技: a division's short name before a masked firm's name (a person
        # named like a county, 安福 or 龙胜, is still a person elsewhere).
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
    if _BODY.match(hit.name) or _DIRECTION.match(hit.name) or (legal and legal.end() >= len(hit.name) - 1):
        return True  # 查明, 查见馨湘源…: a verb of the record and the word after it
    # A variety in brackets after a product, then a quantity: 长白山（蓝尚）0.8条.
    return (
        hit.rule.startswith("segmenter")
        and before in "（("
        and text[hit.end : hit.end + 1] in ("）", ")")
        and text[hit.end + 1 : hit.end + 2].isdigit()
    )


def bad_tail(word: str) -> bool:
    """Whether the characters after the surname are an everyday adverb or verb (依法, 当场, 出示…)."""
    surname = 2 if word[:2] in COMPOUND_SURNAMES and len(word) > 2 else 1
    tail = word[surname:]
    return tail in NOT_GIVEN_WORDS or (len(tail) == 3 and tail[1:] in NOT_GIVEN_WORDS)


def cuts_a_word(text: str, start: int, end: int) -> bool:
    """执法人员向当事人: a weak surname whose "given name" starts a longer everyday word is a preposition."""
    word = text[start:end]
    if word[:2] in COMPOUND_SURNAMES or word[0] not in WEAK_SURNAMES:
        return False
    if word[0] in PREPOSITIONS and len(word) > 2 and is_common_word(word[1:], 300):
        return True  # 执法人员向周边商户: 向 + an everyday word
    if word[0] in PREPOSITIONS and PEOPLE_WORD.match(text, start + 1):
        return True  # 执法人员向知情人翁美玲: 向 + a person word
    return any(
        start + 1 + n > end and segment.word_freq(text[start + 1 : start + 1 + n]) > 100
        for n in (2, 3, 4)
        if start + 1 + n <= len(text)
    )


def everyday_start(word: str) -> bool:
    """学生毕业后, 申请人有权利更, 老板和顾客: the name-shaped word starts or ends an everyday word."""
    if len(word) != 3 or word[:2] in COMPOUND_SURNAMES:
        return False
    return (segment.word_freq(word[:2]) > 1000 and not segment.is_person_word(word[:2])) or (
        word[0] in WEAK_SURNAMES and segment.word_freq(word[1:]) > 1000
    )


def common_prefix(word: str) -> bool:
    """权益受: a single surname and one character that make an everyday word, then one more character."""
    return len(word) == 3 and word[:2] not in COMPOUND_SURNAMES and is_common_word(word[:2], 500)


# A surname and a title is how a person is addressed without their name: 谭律师, 王医生, 李警官; a title cut
# short as colleagues say it (胡队 for 胡队长, 贺主管, 王总: issue 10 fifth round, a guard's own account).
_TITLES = re.compile(
    r"(?:律师|医生|大夫|老师|先生|女士|小姐|警官|法官|师傅|经理|老板|主任|书记|会计|队长|所长|局长|科长|院长|同志"
    r"|主管|队(?![员伍列])|总(?![是会共计额数体]))"
)


def title_after_surname(text: str, hit: NameHit) -> bool:
    """Whether the hit is a surname followed by a title (谭律师), not a name."""
    surname = 2 if hit.name[:2] in COMPOUND_SURNAMES else 1
    return _TITLES.match(text, hit.start + surname) is not None
