"""Hand-written sentences for the reviewer's checklist (doubts), in phrasings the dev part does not use.

Each sentence with a secret passes when every secret is removed OR a doubt falls in the sentence (the
reviewer then sees it); each sentence without one passes when it comes out unchanged with no doubt
(boilerplate must not cost the reviewer a look on every record). Written before the rules were touched
for them; how many passed as written is in bench/README.md (issue 10, third round).
"""

from __future__ import annotations

from datetime import date

import pytest

from gongshi.domain.intake import AgencyRef, Intake, Party
from gongshi.redaction import redact

AGENCY = AgencyRef(code="11430900MB0000000X", name="某县市场监督管理局")
PARTY = Party(kind="natural_person", name="项杰", id_type="resident_id", id_number="510521198801011234")

# Batch 1: names with no cue word or an unusual one, health and finance in plain words.
SECRETS_1: list[tuple[str, tuple[str, ...]]] = [
    ("经查，2023年5月至8月间，当事人安排无证人员郗文涛在后厨从事食品加工。", ("郗文涛",)),
    ("现场有一名自称是老板亲戚的男子，经核实为蔺家豪。", ("蔺家豪",)),
    ("该批货物由货车运送至仓库，司机姓名为蓝俊杰。", ("蓝俊杰",)),
    ("涉案车辆的实际使用者黎耀东未到场。", ("黎耀东",)),
    ("当天负责看店的是店主的外甥女覃思琪。", ("覃思琪",)),
    ("经走访周边群众，附近住户温晓丽、綦春燕均反映夜间噪音扰民。", ("温晓丽", "綦春燕")),
    ("根据水电工段志鹏的说法，线路系其私自改装。", ("段志鹏",)),
    ("网格巡查中发现，车辆停放处距离鄢志军家不足五米。", ("鄢志军",)),
    ("参与斗殴的另有三人：糜小川、仝志刚、尚晓波。", ("糜小川", "仝志刚", "尚晓波")),
    ("次日凌晨，隔壁商户栾德胜报警称闻到刺鼻气味。", ("栾德胜",)),
    ("该棋牌室的实际出资人为邴国栋。", ("邴国栋",)),
    ("经辨认，殴打申请人的人是淳于明。", ("淳于明",)),
    ("被申请人在处理过程中未听取卓雅琴和滑建业的意见。", ("卓雅琴", "滑建业")),
    ("经调查，陶瓷店的老板娘叫俞美芳。", ("俞美芳",)),
    ("运输车辆挂靠在某物流公司，实际出资购车的是甘文亮。", ("甘文亮",)),
    ("当晚在包厢内唱歌的有闵俊熙、郦雪晴等人。", ("闵俊熙", "郦雪晴")),
    ("受害人当场昏迷，被送往县人民医院抢救。", ("昏迷",)),
    ("经诊断，该顾客为急性胃肠炎。", ("急性胃肠炎",)),
    ("申请人因此落下了腰部旧疾，至今行走不便。", ("腰部旧疾",)),
    ("该名顾客饮用后出现头晕、呕吐等不适反应。", ("头晕",)),
    ("当事人称其患有抑郁症，长期服用药物。", ("抑郁症",)),
    ("被打后，申请人的右耳听力下降。", ("听力下降",)),
    ("经鉴定，其伤情构成十级伤残。", ("十级伤残",)),
    ("受害人的门牙被打掉两颗。", ("门牙被打掉",)),
    ("该老人患有阿尔茨海默病，无民事行为能力。", ("阿尔茨海默病",)),
    ("当事人系建档立卡贫困户，家中无其他收入来源。", ("建档立卡贫困户",)),
    ("当事人称其尚有房贷未还清，每月还款三千元。", ("房贷未还清",)),
    ("申请人现无固定工作，靠亲友接济生活。", ("靠亲友接济",)),
    ("当事人名下银行存款仅有五百余元。", ("存款仅有五百余元",)),
    ("其家庭被列为特困供养对象。", ("特困供养",)),
]

CLEAN_1 = [
    "当事人在经营场所内设置冷藏柜一台，用于储存冷冻食品。",
    "经查，该公司未按规定建立进货查验记录制度。",
    "执法人员现场检查时，当事人的营业执照悬挂于店内显眼位置。",
    "当事人于2023年3月1日取得食品经营许可证。",
    "上述事实有现场检查笔录、现场照片、询问笔录等证据为证。",
    "根据《中华人民共和国食品安全法》第一百二十四条第一款的规定，决定给予如下行政处罚。",
    "如不服本处罚决定，可在收到本决定书之日起六十日内申请行政复议。",
    "我局于当日向当事人送达了行政处罚告知书，当事人未提出陈述申辩。",
    "经营场所内的货架上摆放有康师傅方便面、白象方便面等预包装食品。",
    "当事人主动消除违法行为危害后果，依法可从轻处罚。",
    "当事人在城关镇南门街经营一家五金店。",
    "检查发现，当事人销售的温州产打火机未标注生产日期。",
    "该批次产品经市食品药品检验所检验，结论为不合格。",
    "申请人对罚款金额有异议，认为处罚过重。",
    "涉案的洗衣机、冰箱均已被依法扣押。",
]


# Batch 2: names in lists and role phrases, the second and later names of a list, after 为 (written before
# the rules were touched for them).
SECRETS_2: list[tuple[str, tuple[str, ...]]] = [
    ("本案当事人雇有店员两名，分别为詹红英、管晓慧。", ("詹红英", "管晓慧")),
    ("出警民警：戴永辉、晏子豪。", ("戴永辉", "晏子豪")),
    ("该工地的安全员为祝海军，施工员为邬光明。", ("祝海军", "邬光明")),
    ("证据目录：1.卜春生询问笔录；2.卜春生身份证复印件；3.现场照片。", ("卜春生",)),
    ("本案证据包括巫志强、贝丽娟、龚天佑的询问笔录及现场检查笔录。", ("巫志强", "贝丽娟", "龚天佑")),
    ("该游泳馆救生员孔德胜未持证上岗。", ("孔德胜",)),
    ("当日值守的保安是常振华和闫立新。", ("常振华", "闫立新")),
    ("经查，该店收银员雷小娟、厨师韦大勇均未取得健康证明。", ("雷小娟", "韦大勇")),
    ("该项目的应急联络人为樊志成，联系电话已留存。", ("樊志成",)),
    ("业主代表柏建国、俞文斌参加了听证会。", ("柏建国", "俞文斌")),
    ("涉案货车驾驶员名为牟春来，随车押运员为莫少华。", ("牟春来", "莫少华")),
    ("参加现场勘验的有技术人员蒋思远及村干部熊大军。", ("蒋思远", "熊大军")),
    ("该公司副总经理为滕建明，分管安全生产。", ("滕建明",)),
    ("检查组组长为葛洪涛，组员为童晓辉、覃明亮。", ("葛洪涛", "童晓辉", "覃明亮")),
    ("被处罚人的陪同人员系其同学阮嘉琪。", ("阮嘉琪",)),
    ("事故造成工人邵建业、蓝永福二人受伤。", ("邵建业", "蓝永福")),
    ("现场指挥为黎振东，现场安全监护人为巫成才。", ("黎振东", "巫成才")),
    ("当事人的子女贺晓琳、贺晓峰均在外地工作。", ("贺晓琳", "贺晓峰")),
    ("根据鲍金花、冉德明、甄永生三人的证言，事实清楚。", ("鲍金花", "冉德明", "甄永生")),
    ("据网约车司机透露，乘客尹俊逸于凌晨上车。", ("尹俊逸",)),
]

CLEAN_2 = [
    "当事人在林业局和自然资源局的联合检查中被发现违法占地。",
    "经查明，被检查单位为某县第二人民医院，检查内容为医疗废物管理。",
    "本机关依据《中华人民共和国行政处罚法》第三十二条的规定，决定从轻处罚。",
    "该公司项目经理未在施工现场履职。",
    "当事人已按期缴纳罚款，并对违法行为进行了整改。",
    "执法人员制作了现场检查笔录，并对涉案物品进行了拍照取证。",
    "当事人系个体工商户，经营范围为日用百货零售。",
    "检查时发现，该店未在醒目位置公示营业执照和食品经营许可证。",
    "根据安全生产法的规定，生产经营单位应当建立健全全员安全生产责任制。",
    "现场检查时，当事人的法定代表人在场并签字确认。",
]


# Batch 3: health and finance of a person in plain words, worded unlike the dev part (written after the
# second round's health rules and before anything was changed for them).
SECRETS_3: list[tuple[str, tuple[str, ...]]] = [
    ("申请人被推倒后当场晕了过去，醒来后左臂无法抬起。", ("晕了过去",)),
    ("经医院检查，受害人鼻梁骨断裂，需手术复位。", ("鼻梁骨断裂",)),
    ("第三人称其被打后一直耳鸣，晚上睡不着觉。", ("耳鸣",)),
    ("患者注射后局部出现硬结、红肿，至今未消退。", ("硬结",)),
    ("该女士自述有多年的哮喘病史。", ("哮喘",)),
    ("申请人的母亲瘫痪在床多年，需要专人照顾。", ("瘫痪在床",)),
    ("其子被诊断为轻度自闭症，需长期康复训练。", ("自闭症",)),
    ("当事人称其患有尿毒症，每周需透析三次。", ("尿毒症",)),
    ("受害人右手两根手指被咬断。", ("手指被咬断",)),
    ("申请人称被打后头部缝了七针。", ("缝了七针",)),
    ("该顾客做完激光祛斑后面部留下色素沉着。", ("色素沉着",)),
    ("伤者经抢救脱离危险，但仍处于昏迷状态。", ("昏迷",)),
    ("申请人长期患有高血压和冠心病，不能受刺激。", ("高血压",)),
    ("当事人辩称其身患重病，无力缴纳罚款。", ("身患重病",)),
    ("受害人被刀划破了脸，留下一道疤痕。", ("疤痕",)),
    ("事发后申请人一直精神恍惚，经常做噩梦。", ("精神恍惚",)),
    ("当事人称其患有乙肝，不能从事餐饮工作。", ("乙肝",)),
    ("申请人称自己家中仅有一间土坯房，全家靠种地为生。", ("靠种地为生",)),
    ("其父亲常年在外打工，每月收入不足两千元。", ("收入不足两千元",)),
    ("当事人家中有两个孩子上学，欠了亲戚十几万元。", ("欠了亲戚十几万元",)),
    ("申请人因病致贫，已被纳入低保。", ("因病致贫",)),
    ("当事人称其信用卡已逾期，被银行起诉。", ("信用卡已逾期",)),
    ("第三人系残疾人，持有肢体残疾证。", ("肢体残疾",)),
    ("申请人于事发次日到县医院做了CT，结果显示颅骨骨裂。", ("颅骨骨裂",)),
    ("当事人称其妻子刚生完孩子，尚在哺乳期。", ("哺乳期",)),
]

CLEAN_3 = [
    "该产品外包装标注“本品不能代替药物，不能治疗疾病”。",
    "当事人在网店宣传其销售的保健品可以降血压、降血糖。",
    "根据《中华人民共和国传染病防治法》第七十七条的规定，作出如下处罚。",
    "该诊所未按规定对医疗废物进行分类收集。",
    "当事人公司2023年度营业收入为三百万元。",
    "检查发现该药店销售的感冒药未按规定登记购买者信息。",
    "执法人员对该公司的职业病危害因素检测报告进行了核查。",
    "该医院未取得《医疗机构执业许可证》擅自开展诊疗活动。",
    "当事人按期缴纳了全部罚款，并主动消除了违法行为的危害后果。",
    "该企业因经营困难，申请延期缴纳罚款，本机关予以批准。",
]


# Batch 4: kinds of document the corpus has little of (tax, coercion, licensing, 治安 with several people,
# transport), written before the rules were touched for them.
SECRETS_4: list[tuple[str, tuple[str, ...]]] = [
    ("经查，你单位2022年少缴个人所得税3200元，涉及员工乔立军、祁晓梅的工资薪金所得。", ("乔立军", "祁晓梅")),
    ("扣押物品清单经当事人委托的保管人员步海涛签字确认。", ("步海涛",)),
    ("查封现场由村委会主任陪同，见证人为邹德林、芮春华。", ("邹德林", "芮春华")),
    ("违法行为人：冀文博，男，1990年3月出生，户籍所在地河北省邢台市某县某村。", ("冀文博",)),
    ("违法行为人庞振宇伙同郁国强、隗天成殴打他人。", ("庞振宇", "郁国强", "隗天成")),
    ("被侵害人左新华被打致右眼眶骨折。", ("左新华", "右眼眶骨折")),
    ("申请人经营的货车由其雇佣的司机蔺志远驾驶，途经某收费站时被查。", ("蔺志远",)),
    ("经营者为申请许可提交了从业人员健康证明，其中员工池晓东的健康证明已过期。", ("池晓东",)),
    ("本案由熊雅琪举报，举报人要求对其身份保密。", ("熊雅琪",)),
    ("被检查人的妻子滕秋菊当场表示不清楚情况。", ("滕秋菊",)),
    ("纳税人提供的收款人名单中包括黄卫国、陈春梅等十二人。", ("黄卫国", "陈春梅")),
    ("经营户辛海燕与其丈夫欧阳志刚共同经营该摊位。", ("辛海燕", "欧阳志刚")),
    ("涉案车辆所有人为司徒明辉，实际使用人为其弟司徒明亮。", ("司徒明辉", "司徒明亮")),
    ("当日值班的门卫顾长海未对进出车辆进行登记。", ("顾长海",)),
    ("该宿舍楼的管理员喻秀兰未按规定配置灭火器。", ("喻秀兰",)),
    ("该生因长期营养不良导致贫血，经多次治疗未愈。", ("营养不良",)),
    ("第三人称其近年来因打官司花光了积蓄。", ("花光了积蓄",)),
    ("违法行为人系精神残疾人，其监护人为其父亲栾宝山。", ("精神残疾", "栾宝山")),
    ("被侵害人被打后住院十二天，花费医疗费一万余元。", ("住院十二天",)),
    ("申请人称其因车祸致左腿残疾，行动不便。", ("左腿残疾",)),
]

CLEAN_4 = [
    "经查，你单位2022年度少缴城镇土地使用税12000元，依法应予追缴。",
    "本机关依法对涉案场所实施查封，查封期限为三十日。",
    "申请人提交的申请材料齐全、符合法定形式，本机关决定准予行政许可。",
    "经核查，该车辆车货总重超过限定标准，属于违法超限运输。",
    "你单位如对本决定不服，可以在收到本决定书之日起六十日内依法申请行政复议。",
    "根据《中华人民共和国税收征收管理法》第六十四条第二款的规定，处少缴税款百分之五十的罚款。",
    "该企业在醒目位置公示了安全生产责任人及联系方式。",
    "经现场勘查，该宗土地位于城关镇东关村，土地性质为集体建设用地。",
    "本机关于2024年6月3日对该单位进行了消防监督检查。",
    "申请人的许可申请不符合《城镇燃气管理条例》规定的条件，本机关决定不予行政许可。",
]


# Batch 5: must-keep strings (brands, licence numbers, places, organisations' addresses and names) that
# must come out unchanged, written before the rules were touched for them (15 of 20 as written, 19 after:
# a quoted brand before a product word, a licence number with its issuer's prefix, a law firm's address).
CLEAN_5 = [
    "现场查获“贵州茅台”“五粮液”“剑南春”白酒共计十二瓶。",
    "当事人销售的“金龙鱼”牌食用调和油未标注生产日期。",
    "货架上摆放有“洽洽”瓜子、“卫龙”辣条等休闲食品。",
    "当事人持有的《食品经营许可证》编号为JY14301020012345。",
    "该车辆的《道路运输证》号为湘交运管郴字431000123456号。",
    "当事人的《排污许可证》证书编号为91430600MA4L0X1Q2W001V。",
    "涉案地块位于岳麓区莲花镇桐木村龙王港组。",
    "事发地点为石门县皂市镇杨坪村九组。",
    "执法人员前往郑州市管城回族区南曹乡进行检查。",
    "第三人某某建筑劳务有限公司，住所地长沙市雨花区劳动东路139号。",
    "生产商：江西仁和药业有限公司，地址：江西省樟树市药都南大道158号。",
    "委托代理人系湖南金州律师事务所律师，地址：长沙市芙蓉区五一大道。",
    "当事人从武汉市汉阳区钟家村农贸市场购进该批蔬菜。",
    "经查，当事人在常德市武陵区丹阳街道经营一家名为“祝福多”的便利店。",
    "涉案产品为“冷酸灵”牙膏和“云南白药”牙膏。",
    "该店招牌为“老乡鸡”，实际经营者为当事人。",
    "当事人向“鲁花”花生油经销商进货。",
    "该批次“伊利”纯牛奶的生产批号为20240312。",
    "执法人员调取了章丘区明水街道办事处出具的证明材料。",
    "当事人在邵东市廉桥镇经营药材批发。",
]


# Batch 6: names with no cue word, as the object of a verb or the owner of a thing, written after the
# five batches above and before anything was changed for them (9 of 15 removed and 13 removed-or-doubted
# as written; 12 and 15 after: a name listed before one found, glued to 系; 作出/租赁 after a name; X本人).
SECRETS_6: list[tuple[str, tuple[str, ...]]] = [
    ("被申请人未对冉秀英提交的证据进行审查。", ("冉秀英",)),
    ("该门面房系向庞国庆租赁使用。", ("庞国庆",)),
    ("涉案烟花爆竹存放于岑德贵的仓库内。", ("岑德贵",)),
    ("事发当晚，嵇明宇驾驶无牌摩托车搭载两人。", ("嵇明宇",)),
    ("被申请人作出的认定单雅丽构成工伤的决定证据不足。", ("单雅丽",)),
    ("申请人不服被申请人对戈振华作出的行政处罚决定。", ("戈振华",)),
    ("现场查获的赌资系晏志勇、蒙德福二人所有。", ("晏志勇", "蒙德福")),
    ("经核实，该账户实际由苗春燕本人控制使用。", ("苗春燕",)),
    ("其间，裘佳怡多次通过微信向当事人转账。", ("裘佳怡",)),
    ("被申请人调取了缪德海与第三人之间的聊天记录。", ("缪德海",)),
    ("申请人认为，龚丽娟的证言前后矛盾。", ("龚丽娟",)),
    ("后经调解，楚天明赔偿对方医疗费三千元。", ("楚天明",)),
    ("涉案房屋登记在其母亲鄂秀珍名下。", ("鄂秀珍",)),
    ("本案中，荀建设并非该公司员工。", ("荀建设",)),
    ("第三人伍海生在事故中负次要责任。", ("伍海生",)),
]


# Batch 7: boilerplate of health, tax, safety and social-security decisions, full of body, illness and
# money words that are no one's (written before the doubt words were touched for them: 8 of 12 without a
# doubt as written, 11 after; see KNOWN_DOUBTED).
CLEAN_7 = [
    "该诊所超出登记的诊疗科目范围开展口腔科诊疗活动。",
    "当事人未按规定对从业人员进行健康检查，未取得健康证明即上岗。",
    "你单位未按规定足额缴纳职工基本养老保险费。",
    "该公司未如实申报个人所得税，少缴税款二万元。",
    "当事人销售的保健食品标签上宣称具有“增强免疫力”功能。",
    "该康复中心未取得医疗机构执业许可证开展康复治疗。",
    "经检测，该批次产品菌落总数超标，不符合食品安全标准。",
    "该企业未为从事接触职业病危害作业的劳动者进行上岗前职业健康检查。",
    "该药店未凭处方销售处方药。",
    "被申请人依法作出不予认定工伤的决定，程序合法。",
]


def _intake(text: str) -> Intake:
    return Intake(
        source_id="doubt-batch",
        agency=AGENCY,
        kind="penalty",
        document_number="某市监罚〔2024〕1号",
        title="行政处罚决定书",
        decided_on=date(2024, 5, 6),
        party=PARTY,
        full_text=text,
    )


def handled(text: str, secrets: tuple[str, ...]) -> tuple[bool, bool]:
    """(every secret removed, every secret removed or its sentence flagged by a doubt)."""
    result = redact(_intake(text))
    out = result.public.full_text or ""
    removed = not [s for s in secrets if s in out]
    doubted = any(d.field == "full_text" for d in result.doubts)
    return removed, removed or doubted


def clean(text: str) -> bool:
    result = redact(_intake(text))
    return result.public.full_text == text and not result.doubts


# Still neither removed nor doubted (kept visible here rather than dropped from the batch): a surname the
# table lacks (綦), a weak surname before an everyday word (滑建业) or a compound surname the table lacks
# (淳于).
KNOWN_MISSES = {
    "经走访周边群众，附近住户温晓丽、綦春燕均反映夜间噪音扰民。",
    "经辨认，殴打申请人的人是淳于明。",
    "被申请人在处理过程中未听取卓雅琴和滑建业的意见。",
}
# Boilerplate that still gets a doubt or a mask: a brand before its product (白象方便面), a quoted brand
# before a product word the dictionary lacks (“卫龙”辣条), 工伤 (a legal category, but the word a work
# injury is told in: kept as a doubt word).
KNOWN_DOUBTED = {
    "被申请人依法作出不予认定工伤的决定，程序合法。",
    "经营场所内的货架上摆放有康师傅方便面、白象方便面等预包装食品。",
    "货架上摆放有“洽洽”瓜子、“卫龙”辣条等休闲食品。",
}


def _cases(cases: list[tuple[str, tuple[str, ...]]]) -> list[object]:
    return [
        pytest.param(t, s, marks=pytest.mark.xfail(strict=True, reason="known miss"))
        if t in KNOWN_MISSES
        else pytest.param(t, s)
        for t, s in cases
    ]


def _clean_cases(cases: list[str]) -> list[object]:
    return [
        pytest.param(t, marks=pytest.mark.xfail(strict=True, reason="known doubt"))
        if t in KNOWN_DOUBTED
        else pytest.param(t)
        for t in cases
    ]


@pytest.mark.parametrize(
    ("text", "secrets"), _cases(SECRETS_1 + SECRETS_2 + SECRETS_3 + SECRETS_4 + SECRETS_6)
)
def test_secret_removed_or_doubted(text: str, secrets: tuple[str, ...]) -> None:
    assert handled(text, secrets)[1], redact(_intake(text))


# Names in lists and role phrases are removed by the rules, not only flagged (batch 2: 16 of 20 as
# written, 20 after the list and role-word rules).
# Batch 4 as well (17 of 20 as written, 20 after: 经营户, 门卫 and 营养不良 were new words of known classes).
@pytest.mark.parametrize(("text", "secrets"), SECRETS_2 + SECRETS_4)
def test_listed_and_role_names_removed(text: str, secrets: tuple[str, ...]) -> None:
    assert handled(text, secrets)[0], redact(_intake(text)).public.full_text


# Health and finance phrases of batch 3 are removed (14 of 25 as written, 24 after generalising the
# terms as classes: a body part's state, marks on a body, frailty, debts, having nothing); 晕了过去 is
# left to a doubt.
@pytest.mark.parametrize(("text", "secrets"), [c for c in SECRETS_3 if c[1] != ("晕了过去",)])
def test_health_and_finance_removed(text: str, secrets: tuple[str, ...]) -> None:
    assert handled(text, secrets)[0], redact(_intake(text)).public.full_text


@pytest.mark.parametrize("text", _clean_cases(CLEAN_1 + CLEAN_2 + CLEAN_3 + CLEAN_4 + CLEAN_5 + CLEAN_7))
def test_boilerplate_unchanged_and_not_doubted(text: str) -> None:
    result = redact(_intake(text))
    assert result.public.full_text == text
    assert not result.doubts, result.doubts


def test_name_odds_reads_names_above_words() -> None:
    from gongshi.redaction import name_odds

    assert name_odds.score("郗", "文涛") > name_odds.score("冷", "藏柜") > name_odds.score("于", "店")
    assert name_odds.score("欧阳", "娜娜") > name_odds.score("东方", "红")
    # A character the dictionary never writes reads as neither a name's nor a word's.
    assert abs(name_odds.score("王", "\u9fee")) < 15
