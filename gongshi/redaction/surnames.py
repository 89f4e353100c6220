"""Chinese surnames: compound ones first, then single ones, and those too common as words to trust alone."""

from __future__ import annotations

COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "钟离",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "申屠",
        "公羊",
        "澹台",
        "公冶",
        "宗政",
        "濮阳",
        "太叔",
        "仲孙",
        "闻人",
        "赫连",
        "万俟",
        "呼延",
        "拓跋",
        "百里",
        "东郭",
        "单于",
        "鲜于",
        "闾丘",
        "亓官",
        "司空",
        "第五",
        "梁丘",
        "左丘",
        "段干",
        "乐正",
        "谷梁",
        "子车",
        "巫马",
        "颛孙",
        "壤驷",
        "公良",
        "漆雕",
        "羊舌",
    ]
)

SINGLE_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练"
    "廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亢修邰赫杭况那宿"
    "鲜印逯隆茹诸战慕危玉银亓展贝"
    "宓訾邴糜郦璩濮郏阎庾暨殳蔚夔厍蒯竺桓仉乜弘禄寿衡钭幸"
    "赖傅萧洪茅嵇钮贲荀湛滑鄂阴韶蓟郗酆逄昝隗汲束仰怀籍弓莘羿戎"
)

# Surnames that are also everyday words or function characters: a segmenter's guess starting with one
# of these is not trusted without a context word or a hint.
WEAK_SURNAMES = frozenset(
    "于向和与将从在被对以为及等是有无不之其此该本上下中内外前后共经由按依据至并且又也还就都很最更第各每某"
    "所可能会要应须已曾正才另仅只非未全总同原新老大小多少高低长短明文金万方钟时元成华平国安和常江海路石"
    "关宁全强来云门车单相初解商党乐区位花阴滑束仰怀籍弓"
)

# Characters that do not end (or continue) a Chinese given name in running text.
NOT_GIVEN = frozenset(
    "的了在于将向是系与和及称等说到把被从对为已也均都并因又自即就来去给让经则所以而这那其之某等"
    "于曾未不无没有个名位人某该此其上下中内外年月日时分元号室楼层区县市省镇乡村路街道"
    "我你他她它们本局"
    "，。；：、！？（）()《》“”‘’\"' \n\t0123456789-—"
)


def surname_of(name: str) -> str:
    """The surname of a full name: a compound surname when the name starts with one."""
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


def has_surname(word: str) -> bool:
    """Whether `word` starts with a known surname."""
    return word[:2] in COMPOUND_SURNAMES or word[:1] in SINGLE_SURNAMES


# Words of enforcement documents that start with a surname and that the segmenter may tag as a person.
NOT_NAMES = frozenset(
    [
        "许可证",
        "银行卡",
        "司机",
        "王老吉",
        "经营者",
        "管理员",
        "负责人",
        "执法证",
        "卫生证",
        "健康证",
        "营业执照",
        "黄山路",
        "金寨路",
        "包河区",
        "蜀山区",
        "#",
        "noqa:",
        "E501",
        "马鞍山",
        "钟楼",
        "高新区",
        "经开区",
        "龙子湖",
        "颍州区",
        "金安区",
        "江淮",
        "祁门",
        "宣城",
        "黄山",
        "安庆",
        "贺卡",
        "周岁",
        "周末",
        "周边",
        "周转",
        "方便面",
        "于是",
        "#",
        "noqa:",
        "E501",
        "万元",
        "千元",
        "百元",
        "余元",
        "元整",
        "向其",
        "向该",
        "许可",
        "程序",
        "程度",
        "江南",
        "江北",
        "海鲜",
        "石材",
        "田地",
        "林地",
        "金额",
        "金属",
        "钱款",
        "华润",
        "苏果",
        "康师傅",
        "雷达",
        "明细",
        "明知",
        "文书",
        "文件",
        "史料",
        "白酒",
        "白条",
        "何时",
        "何地",
        "包装",
        "包括",
        "关于",
        "华为",
        "梁山",
        "邱庄",
        "洪水",
        "安全法",
        "汪洋",
    ]
)
