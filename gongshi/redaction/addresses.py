"""Addresses after trigger phrases, health and financial situation of natural persons."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from gongshi.redaction.publicinfo import organisation_before, person_before


class TextHit(NamedTuple):
    """A removal found by a phrase rule."""

    start: int
    end: int
    category: str
    rule: str


_ADDR_BODY = r"[^，。；;,！!？?\n）)“”\"]{4,60}?(?=[，。；;,！!？?\n）)“”\"]|$|(?:的|内|处|门前|附近|经营|从事|销售|开设))"  # noqa: E501
_ADDR_TAIL = r"[^，。；;,！!？?\n）)“”\"]{0,50}?(?=[，。；;,！!？?\n）)“”\"]|$)"
_PERSONAL_ADDR = re.compile(
    r"(?:家庭住址|家庭地址|户籍地址|户籍所在地|户籍地|户口所在地|现住址|现住|家住|住址|居住地|居住于|居住在|"
    r"(?<=[\u4e00-\u9fff])家(?:位于|住在|在)|住处(?:位于|在)|"
    r"暂住地?|租住于?|住在|现居住?于?|经常居住地|联系地址|通讯地址|送达地址|身份证地址)"
    rf"(?:[:：]|为|是|在|于)?\s*(?P<addr>{_ADDR_BODY})"
)
_SHORT_ADDR = re.compile(
    rf"(?<=[（(，,、])住(?:[:：])?(?P<addr>[\u4e00-\u9fff]{{2,}}?(?:省|市|区|县|镇|乡|村|路|街|巷|弄|小区){_ADDR_TAIL})"
)
# An organisation's seat or a person's home, told apart by what stands before it.
_ORG_ADDR_TRIGGER = re.compile(
    r"(?<!经营)(?<!营业)(?<!注册)(?<!办公)(?<!单位)(?:住所地?|地址)(?:[（(](?:住址|住所|地址)[）)])?(?:[:：]|为|在)?\s*(?P<addr>"
    + _ADDR_BODY
    + ")"
)
# Business premises and registered addresses: registration facts of whoever does business there.
_PREMISES_TRIGGER = re.compile(
    # …and an agency's or a firm's own seat (单位住所：东营市金盾路1号).
    r"(?:注册地址|经营场所|经营地址|营业场所|办公地址|生产经营场所|生产地址|单位住所|单位地址)(?:[:：]|为|在)?\s*(?P<addr>"
    + _ADDR_BODY
    + ")"
)
# A dwelling told by its shape, with no trigger word (报称在城关镇建设路18号阳光花园3栋2单元501室被打):
# a flat in a block (N栋N单元N室) or a house in a village group (X村N组N号) is somebody's home.
_N = r"[0-9０-９]+"
_DWELLING = re.compile(
    r"(?:(?<=[镇乡区县市在于住])|(?<=街道))(?P<addr>"
    rf"[\u4e00-\u9fff]{{1,6}}?(?:路|街|巷|弄|大道){_N}号[\u4e00-\u9fff0-9０-９]{{0,16}}?{_N}(?:栋|幢|号楼|座){_N}单元"
    rf"(?:{_N}(?:室|号|户))?"
    rf"|[\u4e00-\u9fff]{{1,6}}?村(?:{_N}|[一二三四五六七八九十]+)组{_N}号)"
)
# A home address label (住址：) that a business's registration block uses for its premises.
_HOME_LABEL = re.compile(r"住址[:：]\s*$")
_HEALTH = re.compile(
    r"(?:患有|罹患|确诊为?|诊断为|被诊断出|(?<![隐忧祸病])患(?![者儿方难])|身患|病史[:：]?|伤情为|伤残等级为?|鉴定为)"
    r"(?!有碍|可能|妨碍|传染病的人员|疾病的人员)(?P<what>[^，。；;,\n]{1,30})"
)
_HEALTH_WORDS = re.compile(
    r"残疾|精神病|精神障碍|抑郁|艾滋|HIV|乙肝|肝炎|结核|癌|肿瘤|怀孕|妊娠|孕期|住院治疗|伤残|"
    # Characters and words a description of a person's body or illness is made of (伤, 病, 痛, 症…),
    # for a sentence the rules did not take: the reviewer reads it.
    r"伤(?<![损杀]伤)(?![害心感亡])|病(?<![疾防]病)(?![虫害媒原毒例房]|危害)|痛|疼|症状|诊断|就医|送医|就诊|住院|急救|"
    r"昏(?![暗黄])|晕(?![暗黄])|瘫|肿(?!瘤)|炎(?<!火炎)|骨(?!干)|鉴定意见|身体|体检(?!中心|机构|项目)|孕|药物反应|服药|吃药"
)
_AMOUNT = r"(?:人民币)?\s*[0-9０-９][0-9０-９,，.．]*\s*(?:万|千|百|亿)?余?\s*元|[一二三四五六七八九十百千万两零几]+余?(?:万)?元"  # noqa: E501
_FINANCE = re.compile(
    r"(?:个人收入|家庭收入|月收入|年收入|人均收入|收入|工资|月薪|年薪|薪酬|存款|余额|负债|欠款|债务|欠债|贷款|借款|欠了|欠下|借了|"
    r"资产|家庭财产|财产|房产|养老金|低保金?|补助金?|抚恤金)"
    rf"(?P<gap>[^，。；;\n]{{0,10}}?)(?P<amount>{_AMOUNT})"
)
_FINANCE_KEEP = re.compile(
    r"销售收入|经营收入|营业收入|违法所得|货值|罚款|没收|违法收入|经营额|销售额|营业额|收入囊中"
)
_FINANCE_WORDS = re.compile(
    r"家庭经济困难|经济困难|低保户|贫困户|特困|建档立卡|资不抵债|负债累累|无力偿还|破产|"
    r"收入(?<![营业销售经营]收入)|工资|存款|积蓄|欠款|债|贷款|借款|困难(?<!经营困难)|贫|穷|生活费|补助|救助|赔偿款|房贷|车贷|网贷|还款|欠钱|借钱|"
    r"接济|养家|失业|无业|下岗|打工"
)


_ADDR_MARK = re.compile(r"[省市区县镇乡村路街巷弄号室栋幢楼组]|小区|大厦|广场|花园|公寓|大道")


# Divisions down to the township and nothing after them: 四川省泸县, 重庆市渝中区, …沙坡头区常乐镇.
_REGION_ONLY = re.compile(
    r"(?:[\u4e00-\u9fff]{1,12}?(?:省|自治区|特别行政区|市|自治州|州|盟|地区|自治县|县|区|旗|镇|乡|街道|苏木))+"
)


def region_only(address: str) -> bool:
    """Whether an address names only divisions (a county, a township), no village, street or number.

    Agencies publish where a party lives at that level (住四川省泸县) and name their own seat and other
    bodies with the same words (泸县公安局): masking it everywhere takes public words, not a home.
    """
    return len(address) <= 24 and _REGION_ONLY.fullmatch(address.strip()) is not None


def personal_addresses(text: str, *, organisation: bool) -> Iterator[TextHit]:
    """Home and contact addresses after trigger phrases (an organisation's registered address is kept).

    地址/住所 after an organisation's name (被申请人：泸县公安局，地址：…; a manufacturer on a label) is
    that organisation's public address; after a natural person's details (身份证号码…，地址：…) it is a
    home address even in an organisation's decision (its legal representative's).
    """
    rules = [
        (_PERSONAL_ADDR, "address_trigger"),
        (_SHORT_ADDR, "address_after_name"),
        (_ORG_ADDR_TRIGGER, "address_natural_person"),
    ]
    for rx, rule in rules:
        for m in rx.finditer(text):
            # "经营场所进行检查" follows a trigger word too; only text that reads like an address goes.
            if not _ADDR_MARK.search(m.group("addr")) or region_only(m.group("addr")):
                continue
            if rx is _ORG_ADDR_TRIGGER or (
                organisation and _HOME_LABEL.search(text, max(0, m.start("addr") - 6), m.start("addr"))
            ):
                if organisation_before(text, m.start()):
                    continue
                if organisation and not person_before(text, m.start()):
                    continue
            yield TextHit(m.start("addr"), m.end("addr"), "address", rule)
    if "单元" in text or "组" in text:
        for m in _DWELLING.finditer(text):
            if not organisation_before(text, m.start()):
                yield TextHit(m.start("addr"), m.end("addr"), "address", "address_dwelling")


def organisation_addresses(text: str) -> Iterator[tuple[int, int]]:
    """Addresses given right after an organisation's name, and business premises: published as they are."""
    for m in _ORG_ADDR_TRIGGER.finditer(text):
        if _ADDR_MARK.search(m.group("addr")) and organisation_before(text, m.start()):
            yield m.start("addr"), m.end("addr")
    for m in _PREMISES_TRIGGER.finditer(text):
        if _ADDR_MARK.search(m.group("addr")):
            yield m.start("addr"), m.end("addr")


# Plain words for a person's body and mind: injuries and their grading, symptoms, diagnoses, drug
# reactions, disability, pregnancy, treatment.
_HEALTH_TERMS = re.compile(
    r"轻微伤|轻伤(?:一级|二级)?|重伤(?:一级|二级)?|受伤|负伤|外伤|弄伤|打伤|砍伤|刺伤|割伤|划伤|咬伤|抓伤|"
    r"烧伤|烫伤|灼伤|扭伤|拉伤|摔伤|撞伤|骨折|骨裂|挫伤|擦伤|撕裂伤?|裂伤|血肿|淤青|瘀青|淤血|瘀血|瘀斑|"
    r"出血|流血|红肿|肿胀|脑震荡|软组织损伤|皮外伤|伤口(?:感染|化脓)?|缝合|缝针|伤残|致残|残疾(?!人[保联就]|人证)|瘫痪|"
    r"疼痛|头晕|头痛|头疼|眩晕|呕吐|恶心|腹泻|拉肚子|腹痛|发烧|发热|高烧|麻木|瘙痒|过敏(?!原)|昏迷|休克|晕厥|"
    r"呼吸困难|失眠|乏力|抽搐|中毒|不适(?<![使适]不适)(?![用宜合当应格])|身体不好|"
    r"焦虑|抑郁|应激反应|应激障碍|精神分裂|精神病|精神障碍|精神疾病|智力障碍|"
    r"高血压|糖尿病|心脏病|癌症|肿瘤|白血病|乙肝|肝炎|结核病?|艾滋病?|梅毒|癫痫|哮喘|脑梗|中风|偏瘫|"
    r"不良反应|过敏反应|药物过敏|怀孕|孕妇|妊娠|孕期|哺乳期|流产|分娩|"
    r"住院治疗|住院(?!费)|门诊治疗|就诊|就医|看病|接受治疗|救治|抢救|截肢|手术(?<!医疗手术)(?![室器刀衣费间台])|伤残鉴定|"
    r"钝性暴力|钝器伤|医疗过错|医疗事故|损害鉴定|"
    # More symptoms and injuries: 咳嗽, 神志不清, 鼻青脸肿, 牙齿松动, 鼓膜穿孔…
    r"咳嗽|咽痛|喉咙痛|嗓子疼|流鼻涕|感冒(?![药灵清颗胶片冲通])|发炎|溃烂|化脓|心悸|胸闷|气短|心慌|水肿|浮肿|"
    r"便血|尿血|咯血|吐血|痉挛|浑身无力|四肢无力|全身无力|意识模糊|神志不清|不省人事|昏倒|晕倒|"
    r"牙痛|牙疼|胃痛|胃疼|肚子痛|肚子疼|腰痛|腰疼|腿痛|腿疼|胸口痛|胸口疼|鼻青脸肿|擦破|破皮|脱臼|韧带(?:撕裂|损伤|断裂)|"
    r"牙齿(?:脱落|松动|断裂|折断)|鼓膜穿孔|耳膜穿孔|失明|失聪|耳聋|视力下降|视力受损|视力减退|听力下降|听力受损|听力减退|"
    r"脑出血|脑溢血|颅内出血|脑损伤|植物人|截瘫|"
    # Diagnoses in plain words.
    r"骨质增生|椎间盘突出|颈椎病|关节炎|胃炎|肺炎|支气管炎|扁桃体炎|鼻炎|皮炎|湿疹|龋齿|牙周炎|白内障|青光眼|"
    r"贫血|痛风|甲亢|脑瘫|自闭症|孤独症|唐氏综合征|尖锐湿疣|淋病|不孕|不育|阳痿|前列腺炎|宫颈糜烂|乳腺增生|"
    r"囊肿|息肉|肾结石|胆结石|脂肪肝|肝硬化|尿毒症|肾衰竭|透析(?<!血液透析)(?![中室机])|化疗|放疗|心肌梗死|心梗|"
    r"冠心病|痴呆|认知障碍|精神失常|精神恍惚|自杀|自残|轻生|割腕|"
    # What was done to a patient's body: 输液, 拔牙, 隆鼻, 人工流产…
    r"输液(?![器瓶管架])|打点滴|挂水|吊瓶|静脉(?:注射|滴注)|肌肉注射|拔牙|补牙|隆鼻|隆胸|吸脂|抽脂|双眼皮|"
    r"注射玻尿酸|注射肉毒素?|打玻尿酸|打肉毒素?|人工流产|人流手术|引产|堕胎|打胎|产检|孕检|身孕|坐月子|剖腹产|"
    r"上吐下泻|皮疹|红疹|疹子|荨麻疹|视物模糊|视线模糊|视力模糊|卧病|卧床不起|病倒|生病|患病|得病|养病|病休|病假|"
    r"病重|病危(?!害)|被打(?:肿|伤|破|断|掉|晕)|打(?:肿|破|断|掉)了?|头昏|眼花|生活不能自理|生活无法自理|不能自理|无法自理|失能|"
    r"伤到了?|伤着了?|切口感染|术后感染|细菌感染|病毒感染|"
    # Frailty, the senses, emergencies and what a body's state stops a person doing.
    r"体弱多病|体弱|多病|年老多病|眼矇|眼蒙|耳背|鲜血|满头是血|满脸是血|心跳骤停|呼吸骤停|骤停|猝死|突发疾病|"
    r"抢救无效|入院(?!前)|出院(?!前)|房颤|禁忌症|并发症|后遗症|损伤程度|"
    r"长期不能工作|不能正常工作|无法正常工作|丧失工作能力|丧失劳动能力|行走不便|行动不便|腿脚不便|腿脚不灵便|手脚不便|伤病|"
    r"身体不舒服|身体欠佳|身体特殊情况|身体状况(?:不好|较差|差)|"
    # Marks on a body and what was done to close them: 疤痕, 缝了七针, 划破, 咬断.
    r"营养不良|耳鸣|硬结|疤痕|伤疤|瘢痕|留疤|色素沉着|缝了?[0-9一二两三四五六七八九十几]+针|"
    r"划破|割破|刺破|咬破|磕破|咬断|打断|折断|骨断|断裂伤"
)
# What a body feels and shows, told as the person tells it (issue 10, fifth round): numbness, ringing ears,
# retching, blood pressure, double vision, a stone, living on pills, pain and torment. A list apart: their
# first characters (发, 长, 看, 重, 心…) are common, and the long list above would be tried at each of them.
_HEALTH_PLAIN = re.compile(
    r"发麻|极麻|痛麻|麻痛|耳朵(?:嗡嗡|轰鸣|嗡鸣)(?:作响)?|耳内(?:嗡嗡|轰鸣)|干呕|恶呕|作呕|反胃|口吐白沫|"
    r"血压[\u4e00-\u9fff]{0,4}?(?:升高|偏高|过高|增高|骤升|下降|偏低|降低|骤降)|重影|看不清东西|(?:尿路|输尿管|膀胱|胆囊|泌尿系)结石|"
    r"靠(?:吃药|药物|打针)(?:维持)?|长期(?:吃药|服药)|常年(?:吃药|服药)|伤痛|精神(?:上的)?(?:折磨|创伤|痛苦)|心理创伤|"
    r"累死|累倒|累垮"
)
# Terms that start with a character class, apart so the list above keeps its literal first characters (the
# regex engine then skips every position no term starts at): 压伤, 踢伤; a body part's state (尾椎骨受损).
_HEALTH_CLASSES = re.compile(
    r"[压夹碾轧戳踩踢碰磕跌冻击殴挤砸]伤"
    # A diagnosis named by its ending: 高血钾症, 代谢性酸中毒, 肠癌 (症状 and 适应症 are no diagnosis).
    r"|(?<=[\u4e00-\u9fff])(?<![适应病重])症(?![状结])|(?<=[\u4e00-\u9fff])癌"
    r"|(?<=[眼耳鼻牙齿头颈肩胸背腰腹臂手腿膝脚骨椎肋颅脑心肝肺胃肾肤脸指趾梁])"
    r"(?:受损|损伤|红肿|发紫|发青|变形|断裂|破裂|骨裂|缺损|脱落|错位|穿孔|被咬断|被打断|断了)"
    # A body part that is unwell: 肚子不舒服, 胃不舒服, 头不舒服.
    r"|[肚胃头腰腿胸嗓喉眼脚背肩颈牙]子?不舒服"
    # Where a person was taken and treated: 送往花山医院救治, 在县人民医院住院治疗.
    r"|送(?:往|至|到|去)[\u4e00-\u9fff]{1,12}?(?:医院|卫生院|诊所)(?:进行)?(?:救治|治疗|抢救|就诊)"
    r"|在[\u4e00-\u9fff]{2,14}?(?:医院|卫生院)(?:住院)?(?:治疗|救治|抢救)"
)
# Symptoms named by what a person showed: 出现头晕乏力等症状, 出现了不良症状.
_NO_SYMPTOM = re.compile(r"(?:任何|什么|其他|相关|类似|上述|以上|明显)")
_SYMPTOMS = re.compile(
    r"(?:出现|伴有|有|表现为|表现出|表现)了?(?P<what>[^，。；;,\n]{2,14}?)(?:等)?(?:症状|不适|面容|体征)"
)
# Where a description of an injury starts: a body part before the term (右手第一掌骨骨裂, 头皮血肿).
_BODY_CHARS = frozenset(
    "左右双两侧上下前后头部皮面脸眼睛角眉鼻梁嘴唇口腔牙齿耳朵颈肩胸背腰腹臀手臂掌腕指拇食肢腿膝盖脚踝足"
    "肋骨锁颅软组织身体全多处第一二三四五六七八九十椎脊柱盆关节肌肉肤双眼皮肘和及、发性"
)
# What struck a body part before an injury term: 被倒下的钢管砸到, 被车撞到, 撞在…上 (the body part follows).
_INJURY_CAUSE = re.compile(
    r"(?:不慎)?(?:被[\u4e00-\u9fff]{1,8}?)?(?:砸到|砸中|砸在|撞到|撞在|撞上|碰到|磕到|摔到|压到|夹到|扎到|割到|踢到|打到|击中)$"
)
_DEGREE = re.compile(r"(?:有些|有点|一些|严重|轻度|中度|重度|多处|明显|轻微|剧烈|持续)$")
# Negations and prevention: 未受伤, 无人员受伤, 防止中毒, 避免过敏.
_HEALTH_NEGATED = re.compile(
    r"(?:未|无|没有|不会|防止|避免|预防|以免|谨防|是否|不得|禁止|可能|"
    # A product's claims, not a person's health: 宣称可治愈糖尿病, 用于缓解疼痛.
    r"治愈|治疗|缓解|改善|防治|可治|根治|主治|适用于?|用于|功效|功能|宣称|声称可)"
    # …and the rest of a list after them: 可治疗关节炎、颈椎病.
    r"(?:[\u4e00-\u9fff]{0,5}[、和及与])*[\u4e00-\u9fff]{0,5}$"
)
_QUOTED = re.compile(r"《[^》]{0,60}》|“[^”]{0,300}”|规定[:：][^。\n]{0,300}")
# A quotation is a statute's words when a statute leads into it (第四十三条规定“…”, 《…》“…”); a
# decision quoting what a record says of a person (载明的是“砍伤”) quotes that person's health.
_STATUTE_LEAD = re.compile(r"(?:规定|条|款|项|法|条例|办法|细则|标准|》)[:：，,]?\s*$")


def _quoted(text: str) -> list[tuple[int, int]]:
    """Titles, statutes quoted, and what follows 规定：— where a health or money word is no one's."""
    if not ("《" in text or "“" in text or "规定" in text):
        return []
    out = []
    for q in _QUOTED.finditer(text):
        if q.group().startswith("“") and not _STATUTE_LEAD.search(text, max(0, q.start() - 8), q.start()):
            continue
        out.append((q.start(), q.end()))
    return out


# A character a diagnosis's name may start with or contain (not a particle, a person or a verb of cause).
_DIAGNOSIS_CHAR = re.compile(
    r"[^\x00-\u4dff\ua000-\U0010ffff的了是在有为被和与及对将把从向于其该等致使导因患者人诊断]"
)


# Body parts an injury verb may name after itself: 砍伤头部和面部, 划伤左手.
_BODY_AFTER = frozenset(
    "头部面脸眼睛鼻梁嘴唇口腔牙齿耳朵颈肩胸背腰腹臀手臂掌腕指肢腿膝盖脚踝足肋骨锁颅和及、左右双侧"
)
_CLAUSE_END = frozenset("，,。；;：:！!？?\n（(）)“”")
# Hits of one clause this close together are one description: 损伤程度经鉴定为轻微伤, 冠心病房颤.
_HEALTH_GAP = 6


def health(text: str) -> Iterator[TextHit]:
    """Illnesses, injuries, symptoms, treatment, disability and pregnancy of a person (one hit per
    description: hits of one clause a few characters apart are joined)."""
    hits = sorted(_health_hits(text), key=lambda h: (h.start, -h.end))
    merged: list[TextHit] = []
    for h in hits:
        if merged:
            last = merged[-1]
            between = text[last.end : h.start]
            if h.start <= last.end or (
                len(between) <= _HEALTH_GAP and not any(c in _CLAUSE_END for c in between)
            ):
                merged[-1] = last._replace(end=max(last.end, h.end))
                continue
        merged.append(h)
    yield from merged


# A clause's end, and who may start a new statement inside one (then the description has ended).
_TAIL_END = re.compile(r"[，,。；;：:！!？?\n（(“”]")
_NEW_SUBJECT = re.compile(r"申请人|第三人|本局|我局|本机关|公司|医院|单位|[0-9]")
_TAIL = 10


def _clause_tail(text: str, end: int) -> int:
    """Where a health term's description ends: the end of its clause when that is near and tells
    no new subject (胸闷 + 症状没有得到缓解, 身体不适 + 初现发病征兆), else the term's own end."""
    m = _TAIL_END.search(text, end, end + _TAIL + 1)
    if m is None:
        return end
    tail = text[end : m.start()]
    return end if _NEW_SUBJECT.search(tail) else m.start()


def _health_hits(text: str) -> Iterator[TextHit]:
    for m in _HEALTH.finditer(text):
        yield TextHit(m.start("what"), m.end("what"), "health", "health_trigger")
    for m in _SYMPTOMS.finditer(text):
        if not _NO_SYMPTOM.match(m.group("what")) and not _HEALTH_NEGATED.search(
            text, max(0, m.start() - 16), m.start()
        ):
            yield TextHit(m.start("what"), m.end("what"), "health", "health_trigger")
    quoted = _quoted(text)
    for m in (*_HEALTH_TERMS.finditer(text), *_HEALTH_CLASSES.finditer(text), *_HEALTH_PLAIN.finditer(text)):
        start = m.start()
        if any(a <= start < b for a, b in quoted):
            continue  # a statute or a title quoted: 造成他人轻微伤的, 《残疾人保障法》
        if _HEALTH_NEGATED.search(text, max(0, start - 16), start):
            continue
        # 肩部有些不适, 头部轻度挫伤: degree words may stand between the body part and the term.
        degree = _DEGREE.search(text, max(0, start - 4), start)
        if degree:
            start = degree.start()
        while start > 0 and m.start() - start < 12 and text[start - 1] in _BODY_CHARS:
            start -= 1
        if start < m.start() and m.group().endswith("伤"):
            # What hit the body part is the injury's description too: 被倒下的钢管砸到腰部左侧受伤.
            cause = _INJURY_CAUSE.search(text, max(0, start - 16), start)
            if cause:
                start = cause.start()
        if m.group()[-1] in "症癌" or m.group().endswith("中毒"):
            # A diagnosis reads back to where its name starts: 高血钾症, 代谢性酸中毒, 直肠癌.
            while start > 0 and m.start() - start < 6 and _DIAGNOSIS_CHAR.match(text, start - 1):
                start -= 1
        end = _clause_tail(text, m.end())
        if m.group().endswith("伤"):
            while end < len(text) and end - m.end() < 8 and text[end] in _BODY_AFTER:
                end += 1
            while end > m.end() and text[end - 1] in "和及、":
                end -= 1
        yield TextHit(start, end, "health", "health_word")


# A natural person's financial situation in plain words.
_FINANCE_TERMS = re.compile(
    r"(?:家庭|经济|生活|家境|日子)(?:十分|非常|较为|比较|特别|极其|很|较)?(?:困难|拮据|贫困|窘迫|紧张|不好)"
    r"|收入(?:微薄|较低|低下?|不稳定|不高|很低|有限)|无(?:固定|稳定|任何|其他|其它)?收入(?:来源)?|没有(?:固定)?收入"
    r"|低保(?:户|金|对象|家庭)?|五保户|贫困户|特困(?:户|人员|供养人员)?|建档立卡(?:贫困户)?|困难户"
    r"|负债(?:累累)?|欠(?:下)?(?:外债|巨债|债务)|外债|债务缠身|资不抵债|入不敷出|无力(?:偿还|缴纳|支付|承担)"
    r"|拿不出(?:[\u4e00-\u9fff]{0,6}钱)?|没(?:有)?钱|身无分文|勉强度日|靠[\u4e00-\u9fff]{1,8}?(?:生活|维生|为生|维持生计)"
    r"|(?:个人|家庭)?(?:存款|积蓄)|失业|无业"
    r"|(?:没有|无|失去)(?:任何)?经济来源|丧失劳动能力|下岗|经济(?:压力|负担)(?:大|重|较大|很大)|"
    r"经济条件(?:差|不好|有限|较差)|家里(?:穷|困难)|穷困|借(?:了)?高利贷|网贷|信用卡(?:欠款|逾期)|"
    r"(?:还|交|付|缴|赔)不(?:上|起)|(?:负担|承担)不起|困难补助|(?:救助|救济)金|最低生活保障|低收入"
    r"|养家糊口|打零工|急需用钱|生活来源"
    # Having nothing: 无田、无地、无房, 住危破房, 无法支付…的费用, 上不起学.
    r"|无[田地房](?![产屋证址权契])|无田地|无住房|住(?:在)?危(?:破)?房|无法(?:支付|偿还|承担|缴纳|负担)(?:[\u4e00-\u9fff]{0,10}?(?:费用|学费|医药费|欠款|贷款|房租|钱))?"
    r"|(?:读|上)不起(?:学|书)|因病(?:致|返)贫|因病[\u4e00-\u9fff]{0,8}?(?:贫困户|低保户|困难户|特困)|建档贫困户"
    r"|花光了?[\u4e00-\u9fff]{0,4}?(?:积蓄|存款|钱)|(?:积蓄|存款)(?:已)?(?:花光|用光|耗尽|所剩无几)"
    r"|(?:没有|无)(?:条件|能力)(?:买|购买|租|支付|承担|缴纳)[\u4e00-\u9fff]{0,3}?(?=[，。；;,\n]|$)|(?:贷款|借款|房贷|车贷|网贷|还款)(?:已)?逾期|信用卡(?:已)?逾期"
)


def finance_words(text: str) -> Iterator[TextHit]:
    """Hardship, income, debts and savings in plain words (outside quoted statutes and titles)."""
    quoted = _quoted(text)
    for m in _FINANCE_TERMS.finditer(text):
        if any(a <= m.start() < b for a, b in quoted):
            continue
        start = m.start()
        # 实在是拿不出那么多钱: the adverbs before belong to the statement.
        while start > 0 and m.start() - start < 4 and text[start - 1] in "实在是确真都很已经也":
            start -= 1
        yield TextHit(start, m.end(), "finance", "finance_word")


def finances(text: str) -> Iterator[TextHit]:
    """Amounts describing income, savings, debts or property (not illegal gains, fines or sales)."""
    for m in _FINANCE.finditer(text):
        head = text[max(0, m.start() - 4) : m.start("amount")]
        if _FINANCE_KEEP.search(head):
            continue
        yield TextHit(m.start("amount"), m.end("amount"), "finance", "finance_amount")


# A person's body named part by part (头部, 左眼, 门牙, 腰椎…): the words an injury or an illness is told in.
_BODY_WORDS = re.compile(
    "|".join(f"{c}部" for c in "头面脸颈胸腹背腰臀肩眼耳鼻口嘴牙手脚腿臂膝足腕肘踝额颅脑肋椎骨")
    + r"|下肢|上肢|四肢|全身|眼睛|眼眶|眼角|眼球|耳朵|鼻子|鼻梁|嘴唇|嘴角|门牙|牙齿|额头|后脑|脑袋|下巴|"
    r"肩膀|胳膊|手臂|手腕|手掌|手指|大腿|小腿|膝盖|脚踝|脚趾|肋骨|锁骨|颅骨|脊椎|腰椎|颈椎|尾椎|头皮|面颊|脸颊|"
    r"胸口|肚子|后背|皮肤"
    # Care and its paper: 病历, 医药费, 救护车, 法医.
    r"|病历|诊断证明|医疗费|医药费|治疗费|药费|护理费|误工费|营养费|急诊|救护车|法医|伤情|体检(?!中心|机构|项目)|康复(?!中心|医院|机构|治疗)"
)


def health_or_finance_words(text: str) -> Iterator[TextHit]:
    """Words that suggest health or money troubles: flagged for the reviewer, not removed.

    The single characters and the words a description of a body, an illness or money is made of (伤,
    病, 痛; 头部, 门牙, 医药费; 收入, 债, 房贷): wider than the removal terms, which find a phrase the
    rules can name; these find the sentences a phrase they cannot name may stand in. Every alternative
    starts with a literal character, so the regex engine skips positions none of them starts at.
    """
    for rx, kind in ((_HEALTH_WORDS, "health"), (_BODY_WORDS, "health"), (_FINANCE_WORDS, "finance")):
        for m in rx.finditer(text):
            yield TextHit(m.start(), m.end(), kind, "word")
