"""Classes of real-text language the generator never writes (issue 10): kept, removed, withheld."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from gongshi.domain.intake import AgencyRef, Intake, Party
from gongshi.redaction import LeakGate, protected, redact
from gongshi.redaction.places import known_place

AGENCY = AgencyRef(code="11430900MB0000000X", name="岳阳市生态环境局")
ORG = Party(
    kind="legal_person", name="岳阳市龙净环保有限公司", id_type="uscc", id_number="91430600MA4L0X1Q2W"
)
PERSON = Party(kind="natural_person", name="项杰", id_type="resident_id", id_number="510521198801011234")


def _intake(
    text: str,
    party: Party = ORG,
    document_number: str = "岳环罚决字〔2021〕136号",
    source_id: str = "real-1",
) -> Intake:
    return Intake(
        source_id=source_id,
        agency=AGENCY,
        kind="penalty",
        document_number=document_number,
        title="行政处罚决定书",
        decided_on=date(2024, 5, 6),
        party=party,
        full_text=text,
    )


def _redact(text: str, party: Party = ORG) -> tuple[str, list[str]]:
    intake = _intake(text, party=party)
    result = redact(intake)
    out = result.public.full_text or ""
    # The gate in a fresh process passes what redaction published.
    protected.forget()
    assert LeakGate.for_intake(intake).scan(msgspec.json.encode(result.public)) == []
    return out, [text[s.start : s.end] for s in result.redactions]


@pytest.mark.parametrize(
    "text",
    [
        "有《行政处罚事先（听证）告知书》（岳环罚告字〔2021〕136号）及《送达回证》为证。",
        "申请人不服被申请人作出的祁公(陶)决字〔2025〕第0025号公安行政处罚决定书。",
        "行政处罚决定书文号: 罗农(农药)罚〔 2025 〕5号",
        "决定处以罚款人民币伍万贰仟壹佰贰拾元整。",
        "被申请人：祁阳市公安局陶铸路派出所。法定代表人：徐帆欣，所长。",
        "被申请人：泸县公安局，地址：泸县玉蟾大道588号。",
        "标签标示生产者为商丘市大卫化工厂，地址：虞城县木兰大道；邮编：476300；电话：0370-4114685。",
        "委托代理人系四川展羲律师事务所律师。",
        "当事人在盘龙乡三合村委会法土龙村开挖林地。",
        "经调查查明，执法人员查获该批次农药超过质量保证期。",
        "货架上有圣迪®阿奇霉素胶囊，国药准字：H20083611。",
        "工商营业执照注册号：441502600130245。",
        "业务员宣称该产品可治愈糖尿病。",
        "凌晨2时许前往该店，于6时许离开。",
        "法定代表人:胡墨沐,局长。",
        "拱墅区分局作出的杭拱公(和)行罚决字[2023]×号《行政处罚决定书》。",
        "执法人员(18060021044)、(18060021032)出示了执法证件。",
        "现场查见馨湘源黄金豆卷1袋、芙蓉王（黄盒）香烟11盒、郑单958玉米种子。",
        "当事人享有陈述、申辩权和听证申请权。",
        "被申请人:平罗县公安局\n\n住所地:平罗县萧公大街19号\n",
        "申请人:潘浩。\n申请人:皇甫鑫。\n被申请人:广州市住房和城乡建设局。",
        "段宜勇、蒋平娥：\n经县人民政府指定，由本局处理。",
        "当事人运营的抖音账号“杨光的快乐生活”直播间存在违法宣传。",
        "本机关联系电话：0551-63357890，地址：合肥市蜀山区长江西路1号。",
        "当事人认证了“抖音”平台的“杨光的快乐生活”账号。",
        "现场查见黄金豆卷1袋、黄金豆片2袋；黄金豆卷及黄金豆片均已过期。",
        "药店销售感冒灵颗粒和一次性输液器。",
        "该产品宣称可治疗关节炎、颈椎病。",
    ],
)
def test_public_language_is_kept(text: str) -> None:
    out, removed = _redact(text)
    assert out == text, removed


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("造成申请人右手第一掌骨骨裂，头皮血肿，胸部疼痛等。", "骨裂"),
        ("经鉴定，申请人的损伤程度为轻微伤。", "轻微伤"),
        ("后魏红萍被诊断存在焦虑、中度抑郁、急性应激反应。", "抑郁"),
        ("声称自己肩部有些不适。", "不适"),
        ("申请人称其家庭困难，收入微薄，无力缴纳罚款。", "收入微薄"),
        ("当事人通过抖音号：dy486719585 带货。", "dy486719585"),
        ("顾客添加了店主的微信号：zhang_1988。", "zhang_1988"),
        ("殴打去制止其行为的人后，冉艳伟夺过魏红萍手中的镰刀。", "魏红萍"),
        ("认定安曦诗的死亡属于工伤。", "安曦诗"),
        ("证人“杨光”称其当晚在场。", "杨光"),
        ("保安郝国栋未进行登记。", "国栋"),
        ("同日，执法人员向知情人翁美玲了解情况。", "美玲"),
        ("当事人称家中无其他收入来源。", "收入来源"),
        ("甘梅龙家位于花都区狮岭镇振兴路79号幸福里小区7栋1单元1103室。", "1103室"),
        ("导致申请人颈部和左手肘关节处受伤。", "左手肘"),
        ("我局执法人员敖胜振03000121012樊洋芳03000121002到场。", "樊洋芳"),
        ("患者在诊所输液后出现胸闷、心慌。", "胸闷"),
        ("被打得鼻青脸肿，牙齿松动。", "牙齿松动"),
        ("其母亲需定期透析。", "透析"),
        ("申请人称其没有经济来源，交不起罚款。", "交不起"),
        ("诊所为顾客注射玻尿酸。", "玻尿酸"),
    ],
)
def test_private_facts_are_removed(text: str, secret: str) -> None:
    out, _ = _redact(text, PERSON)
    assert secret not in out


def test_statute_quotes_and_negations_are_no_health_facts() -> None:
    text = "依据规定：“殴打他人，造成轻微伤的，处五日以下拘留。”现场无人员受伤。"
    out, removed = _redact(text, PERSON)
    assert out == text, removed


def test_legal_representative_of_another_firm_stays_protected() -> None:
    # Only an agency head named with the title is public; a firm's representative is a third person.
    out, _ = _redact("供货方合肥市百味汽车服务有限公司的法定代表人傅娟燕到场。")
    assert "傅娟燕" not in out


def test_gazetteer_reaches_villages() -> None:
    if not known_place("北京市"):
        pytest.skip("the administrative-division data (jionlp) is not installed")
    assert known_place("白龙村") and known_place("南张街道") and known_place("祁阳市")
    assert not known_place("王建国")


def _status(text: str) -> str:
    intake = _intake(text, party=PERSON, document_number="天教罚〔2022〕1号", source_id="real-2")
    return redact(intake).status


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("经查，顾客中一名男子年龄约16岁，当事人未核验其身份证件。", "withheld"),
        ("当事人向在校学生王某销售卷烟。", "withheld"),
        ("当事人组织中学生开展学科培训，培训对象是中学生。", "publishable"),
        # Words that only name a young child (issue 10 fourth round: a parent's complaint about a drink).
        ("申请人称其小孩喝了该饮料后上吐下泻。", "withheld"),
        ("该产品标签注明“请放在小孩接触不到的地方”。", "publishable"),
        ("当事人经营的幼儿园未取得办学许可。", "withheld"),
    ],
)
def test_minors_by_age_and_schooling(text: str, status: str) -> None:
    assert _status(text) == status


def test_a_piece_of_a_name_is_no_second_person() -> None:
    out, _ = _redact("经查，喻志刚于2023年5月在该店购买了一批过期食品。", PERSON)
    assert "喻某于" in out


def test_no_doubt_on_boilerplate() -> None:
    intake = _intake(
        "现场冷藏柜内存放过期食品。发布日期：2024-11-05，索引号：01525911-1/20241105-00001。"
        "执法人员（执法证号：27080315003）接到群众举报电话后到场。",
        source_id="real-3",
    )
    assert redact(intake).doubts == []


def test_a_name_inside_a_kept_region_passes_a_fresh_gate() -> None:
    # 王建国 is masked as the witness; inside the agency's address and the document number it stays.
    text = (
        "证人王建国称其当晚在场。被申请人：某县公安局，地址：某县王建国路1号。"
        "申请人不服王建国罚字〔2023〕5号决定。"
    )
    out, _ = _redact(text, PERSON)
    assert "证人王某称" in out and "王建国路1号" in out and "王建国罚字〔2023〕5号" in out


SHOP = Party(
    kind="individual_business",
    name="南川区壹群肥肠鱼店",
    id_type="uscc",
    id_number="92500119MAEHAEA47K",
    legal_representative="蒋光富",
    address="重庆市南川区南城街道石林1组74号",
)


@pytest.mark.parametrize(
    ("text", "premises"),
    [
        # Premises and registered addresses are registration facts, whoever does business there.
        (
            "经营者：蒋光富\n\n身份证号码：500108198010245337\n\n经营场所：重庆市南川区南城街道石林1组74号\n",
            "重庆市南川区南城街道石林1组74号",
        ),
        (
            "统一社会信用代码：92441300MA51687A8F\n注册地址：惠州市仲恺高新区陈江街道松岗行政小区N5栋\n",
            "惠州市仲恺高新区陈江街道松岗行政小区N5栋",
        ),
        # An individual business's registration block may label its premises 住址.
        (
            "统一社会信用代码:92640422MA76L1977R\n\n住址:西吉县兴隆镇兴隆村5组5045\n\n经营者:屈宇泽\n",
            "西吉县兴隆镇兴隆村5组5045",
        ),
    ],
)
def test_business_premises_are_kept(text: str, premises: str) -> None:
    out, _ = _redact(text, SHOP)
    assert premises in out


def test_operator_home_under_the_id_line_is_removed_everywhere() -> None:
    text = (
        "经营者：巫斌身份证号码：140512197607121761\n\n住所： 山西省晋城市城区和平镇前进村10组4号\n\n"
        "当事人在山西省晋城市城区和平镇前进村10组4号存放货物。"
    )
    out, _ = _redact(text, SHOP)
    assert "前进村10组4号" not in out


def test_natural_persons_business_address_is_kept_but_home_is_not() -> None:
    text = (
        "身份证号码:430121199103040311\n经营地址:长沙市天心区新联路319号湘水熙园8栋106号\n"
        "住址：长沙市岳麓区麓山路9号。"
    )
    out, _ = _redact(text, PERSON)
    assert "湘水熙园8栋106号" in out
    assert "麓山路9号" not in out


# Third round (issue 10): classes seen first on the c-* documents.
@pytest.mark.parametrize(
    "text",
    [
        # The account a fine is paid to, and an office's contact block with a fax.
        "请于收到本决定书之日起十五日内将罚款缴至中国农业银行寻甸支行（账号：24219301040009986）。",
        "联系人：本局办公室 电子邮箱：xcaxx@126.com 联系电话：2965039 2965181（传真）",
        # A division's short name before a masked firm.
        "第三人：宁夏某有限公司，住所地位于石嘴山市惠农区。",
        # Occupational-disease hazards are a workplace's, not a person's health.
        "主要职业病危害因素为噪声、矽尘、甲苯。",
    ],
)
def test_public_facts_of_offices_and_workplaces_are_kept(text: str) -> None:
    out, removed = _redact(text)
    assert out == text, removed


def test_an_address_naming_only_divisions_is_not_masked_where_it_recurs() -> None:
    party = Party(
        kind="natural_person",
        name="项杰",
        id_type="resident_id",
        id_number="510521198801011234",
        address="四川省泸县",
    )
    text = "申请人：项杰，男，住址：四川省泸县。被申请人：四川省泸县公安局。"
    out, removed = _redact(text, party)
    assert out == text, removed


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("第三人遭受左侧多发性肋骨骨折这样的伤痛。", "多发性肋骨骨折"),
        ("医方使用氨茶碱，导致患者高血钾症，代谢性酸中毒致死亡。", "代谢性酸中毒"),
        ("申请人被第三人持刀砍伤头部和面部。", "头部和面部"),
        ("该《鉴定文书》载明的是“头部划伤”。", "划伤"),
        ("其女儿体弱多病，无法找到工作，无田、无地、无房。", "无房"),
        ("庄涛林和麦林鑫是夫妻关系，无法支付女儿读大学的费用。", "读大学的费用"),
    ],
)
def test_health_and_hardship_described_at_length(text: str, secret: str) -> None:
    out, _ = _redact(text, PERSON)
    assert secret not in out, out


def test_a_newborn_is_a_minor() -> None:
    assert _status("申请人在该医院经剖腹产分娩一女婴，患儿出生后表现特殊面容。") == "withheld"


def test_a_health_word_left_beside_a_partial_removal_is_a_doubt() -> None:
    intake = _intake(
        "经审查，申请人被打伤，经医院诊断，其头部至今隐隐作响。", party=PERSON, source_id="real-3"
    )
    result = redact(intake)
    assert any(d.kind == "health" for d in result.doubts), result


@pytest.mark.parametrize(
    "text",
    [
        "被申请人：常州国家高新技术产业开发区（新北区）人力资源和社会保障局。",
        "申请人是宁夏回族自治区中卫市信鸽协会会员。",
        "申请人因需左转，从直行道虚线处变道。",
        "在被申请人向第三人发送书面告知的情况下，申请人向被申请人索要该证据。",
    ],
)
def test_cities_directions_and_function_words_are_no_names(text: str) -> None:
    out, removed = _redact(text, PERSON)
    assert out == text, removed


def test_a_firms_head_in_another_partys_decision_is_protected() -> None:
    out, _ = _redact("第三人：某有限公司。法定代表人：唐帆帅，总经理。", PERSON)
    assert "唐帆帅" not in out


def test_a_description_stops_before_the_party_name() -> None:
    party = Party(kind="natural_person", name="郝勇", id_type="resident_id", id_number="510521198801011234")
    out, _ = _redact("解娜看到满头鲜血的郝勇，才参与到斗殴中。", party)
    assert "郝勇" in out and "鲜血" not in out


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("执法人员马静、林超出示执法证件后对当事人进行检查。", ["马静", "林超"]),
        ("执法人员林超出示了执法证件。", ["林超"]),
        ("执法人员王建国、李晓明出示执法证件。", ["王建国", "李晓明"]),
    ],
)
def test_a_name_before_the_boilerplate_chushi_keeps_the_verb_whole(text: str, names: list[str]) -> None:
    """The segmenter reads 林/超出/示: the name is 林超, and 出示 stays readable (found in the demo)."""
    out, removed = _redact(text)
    assert removed == names
    assert "出示" in out


def test_a_standards_number_is_no_doubt() -> None:
    intake = _intake(
        "经检测，当事人排放的废水超过《污水综合排放标准》（GB 8978-1996）"
        "和 GB/T 18920-2020 的限值。当事人另报备了号码 8978 1996 3321。",
        source_id="real-2",
    )
    doubts = [d for d in redact(intake).doubts if d.kind == "unexplained_number"]
    # The standards explain themselves; the unlabelled long number still asks.
    assert [intake.full_text[d.start : d.end] for d in doubts if intake.full_text] == ["8978 1996 3321"]
