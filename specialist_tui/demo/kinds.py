"""What kinds of budget unit the demo makes at each level, and how their names are formed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Canteen mode weights: own, outsourced, shared, none.
Modes = tuple[float, float, float, float]
_DEPT: Modes = (0.25, 0.08, 0.52, 0.15)
_GOV: Modes = (0.55, 0.25, 0.20, 0.0)
_SCHOOL: Modes = (0.68, 0.24, 0.0, 0.08)
_KINDER: Modes = (0.85, 0.05, 0.0, 0.10)
_HOSP: Modes = (0.45, 0.50, 0.0, 0.05)
_CLINIC: Modes = (0.45, 0.05, 0.25, 0.25)
_STATION: Modes = (0.12, 0.0, 0.48, 0.40)
_MISC: Modes = (0.35, 0.08, 0.35, 0.22)
_TOWN_GOV: Modes = (0.75, 0.10, 0.15, 0.0)
_COLLEGE: Modes = (0.30, 0.70, 0.0, 0.0)
MODE_NAMES = ("own", "outsourced", "shared", "none")

LEVELS = ("provincial", "prefecture", "county")

# fmt: off
# key, provincial, prefecture, county name (None: not at that level), parent department.
# A place with few units gets the first few: schools and hospitals need theirs first.
DEPTS: tuple[tuple[str, str | None, str | None, str | None, str | None], ...] = (
    ("edu", "教育厅", "教育局", "教育局", None),
    ("health", "卫生健康委员会", "卫生健康委员会", "卫生健康局", None),
    ("gov", "人民政府办公厅", "人民政府办公室", "人民政府办公室", None),
    ("finance", "财政厅", "财政局", "财政局", None),
    ("police", "公安厅", "公安局", "公安局", None),
    ("agri", "农业农村厅", "农业农村局", "农业农村局", None),
    ("civil", "民政厅", "民政局", "民政局", None),
    ("hr", "人力资源和社会保障厅", "人力资源和社会保障局", "人力资源和社会保障局", None),
    ("natural", "自然资源厅", "自然资源和规划局", "自然资源局", None),
    ("culture", "文化和旅游厅", "文化旅游广电局", "文化旅游体育局", None),
    ("market", "市场监督管理局", "市场监督管理局", "市场监督管理局", None),
    ("housing", "住房和城乡建设厅", "住房和城乡建设局", "住房和城乡建设局", None),
    ("transport", "交通运输厅", "交通运输局", "交通运输局", None),
    ("water", "水利厅", "水利局", "水利局", None),
    ("forestry", "林业和草原局", "林业和草原局", "林业和草原局", "natural"),
    ("justice", "司法厅", "司法局", "司法局", None),
    ("dev", "发展和改革委员会", "发展和改革委员会", "发展和改革局", None),
    ("stats", "统计局", "统计局", "统计局", None),
    ("audit", "审计厅", "审计局", "审计局", None),
    ("emergency", "应急管理厅", "应急管理局", "应急管理局", None),
    ("veterans", "退役军人事务厅", "退役军人事务局", "退役军人事务局", None),
    ("medical", "医疗保障局", "医疗保障局", "医疗保障局", None),
    ("ethnic", "民族宗教事务委员会", "民族宗教事务委员会", "民族宗教事务局", None),
    ("rural", "乡村振兴局", "乡村振兴局", "乡村振兴局", "agri"),
    ("industry", "工业和信息化厅", "工业和信息化局", "工业商务和信息化局", None),
    ("science", "科学技术厅", "科学技术局", "科学技术局", None),
    ("eco", "生态环境厅", "生态环境局", None, None),
    ("commerce", "商务厅", "商务局", None, None),
    ("sport", "体育局", "体育局", None, None),
    ("jiguan", "机关事务管理局", None, None, None),
)
# fmt: on

# A stage of a kind's name list: ("one", templates, scale), ("town" | "street" | "road" |
# "region" | "village" | "area", template, scale), ("num", template, first, last, scale).
# Templates use {p} place, {t} town, {ts} town without 镇/乡, {v} village, {r} road,
# {rg} region, {n} ordinal, {d} supervising department, {tcm} 中医院/藏医院, and {a} an
# area of the place (town, street, road or region). The "area" stage never ends: it numbers
# within every area in turn (…多巴镇第三小学), so names stay unique and the numbers small.
Stage = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Kind:
    key: str
    dept: str | None  # the department that supervises it; None: answers to no one here
    org: str  # credit code prefix: "11" 机关, "12" 事业单位
    weight: float
    staff: tuple[int, int]
    meal: float  # canteen spend per head against an office canteen (pupils, patients eat too)
    modes: Modes
    stages: tuple[Stage, ...]


def _one(*templates: str, scale: float = 1.0) -> Stage:
    return ("one", templates, scale)


# fmt: off
COUNTY_KINDS = (
    Kind("primary", "edu", "12", 14, (15, 150), 4.0, _SCHOOL, (
        _one("{p}第一小学", "{p}第二小学", scale=1.3),
        ("road", "{p}{r}小学", 1.0),
        ("town", "{p}{t}中心学校", 0.9),
        ("num", "{p}第{n}小学", 3, 6, 0.8),
        ("village", "{p}{t}{v}小学", 0.3),
        ("area", "{p}{a}第{n}小学", 0.6),
    )),
    Kind("middle", "edu", "12", 5, (40, 400), 5.0, _SCHOOL, (
        _one("{p}第一中学", "{p}民族中学", "{p}第二中学", scale=1.5),
        ("town", "{p}{t}中学", 0.7),
        ("num", "{p}第{n}中学", 3, 5, 1.0),
        ("area", "{p}{a}第{n}中学", 0.7),
    )),
    Kind("kinder", "edu", "12", 7, (10, 60), 3.0, _KINDER, (
        _one("{p}第一幼儿园", "{p}第二幼儿园", scale=1.3),
        ("road", "{p}{r}幼儿园", 1.0),
        ("town", "{p}{t}中心幼儿园", 0.8),
        ("num", "{p}第{n}幼儿园", 3, 8, 0.8),
        ("village", "{p}{t}{v}幼儿园", 0.3),
        ("area", "{p}{a}第{n}幼儿园", 0.6),
    )),
    Kind("edu_misc", "edu", "12", 2, (10, 80), 2.5, _SCHOOL, (
        _one("{p}职业技术学校", "{p}特殊教育学校", "{p}教师进修学校",
             "{p}青少年校外活动中心", "{p}学生资助管理中心"),
    )),
    Kind("hospital", "health", "12", 3, (80, 900), 2.5, _HOSP, (
        _one("{p}人民医院", "{p}{tcm}", "{p}妇幼保健计划生育服务中心",
             "{p}疾病预防控制中心", "{p}第二人民医院"),
    )),
    Kind("clinic", "health", "12", 6, (10, 70), 1.2, _CLINIC, (
        ("town", "{p}{t}卫生院", 1.0),
        ("street", "{p}{t}社区卫生服务中心", 1.0),
        ("village", "{p}{t}{v}卫生室", 0.3),
        ("area", "{p}{a}第{n}卫生服务站", 0.5),
    )),
    Kind("police", "police", "11", 3, (10, 45), 1.0, _STATION, (
        _one("{p}公安局交通警察大队", "{p}公安局刑事侦查大队", "{p}看守所"),
        ("town", "{p}公安局{ts}派出所", 1.0),
        ("street", "{p}公安局{ts}派出所", 1.0),
        ("area", "{p}公安局{a}第{n}警务室", 0.4),
    )),
    Kind("agri", "agri", "12", 4, (10, 50), 1.0, _STATION, (
        _one("{p}农业技术推广中心", "{p}动物疫病预防控制中心", "{p}农业综合行政执法大队",
             "{p}草原工作站"),
        ("town", "{p}{t}农牧业综合服务中心", 1.0),
        ("area", "{p}{a}第{n}农技服务站", 0.5),
    )),
    Kind("civil", "civil", "12", 1.5, (10, 40), 1.5, _MISC, (
        _one("{p}社会福利中心", "{p}救助管理站"),
        ("town", "{p}{t}敬老院", 0.8),
    )),
    Kind("culture", "culture", "12", 1.5, (10, 40), 1.0, _MISC, (
        _one("{p}文化馆", "{p}图书馆", "{p}博物馆", "{p}体育运动中心"),
        ("town", "{p}{t}综合文化站", 0.5),
    )),
    Kind("forestry", "forestry", "12", 1, (10, 30), 1.0, _STATION, (
        _one("{p}林业技术推广中心", "{p}森林病虫害防治检疫站"),
        ("town", "{p}{t}林业工作站", 0.6),
    )),
    Kind("water", "water", "12", 1, (10, 30), 1.0, _STATION, (
        _one("{p}水利技术服务中心", "{p}水土保持工作站"),
        ("town", "{p}{t}水利管理站", 0.6),
    )),
    Kind("town_gov", None, "11", 5, (20, 90), 1.3, _TOWN_GOV, (
        ("town", "{p}{t}人民政府", 1.0),
        ("street", "{p}{t}办事处", 1.0),
    )),
    Kind("gov_misc", "gov", "12", 1.5, (10, 60), 1.0, _MISC, (
        _one("{p}机关事务服务中心", "{p}融媒体中心", "{p}档案馆", "{p}政务服务中心"),
    )),
    Kind("hr", "hr", "12", 1, (10, 60), 1.0, _MISC, (
        _one("{p}就业服务局", "{p}社会保险服务中心", "{p}劳动保障监察大队"),
    )),
    Kind("housing", "housing", "12", 1, (10, 120), 1.0, _MISC, (
        _one("{p}环境卫生管理站", "{p}城市管理综合执法大队", "{p}市政工程管理站",
             "{p}住房保障服务中心"),
    )),
    Kind("market", "market", "11", 1.5, (10, 25), 1.0, _STATION, (
        ("town", "{p}市场监督管理局{ts}市场监督管理所", 1.0),
        ("street", "{p}市场监督管理局{ts}市场监督管理所", 1.0),
    )),
    Kind("fin_station", "finance", "11", 1.5, (10, 20), 1.0, _STATION, (
        _one("{p}财政国库支付中心"),
        ("town", "{p}{t}财政所", 1.0),
    )),
    Kind("justice", "justice", "11", 1, (10, 15), 1.0, _STATION, (
        ("town", "{p}司法局{ts}司法所", 1.0),
    )),
    Kind("natural", "natural", "12", 1, (10, 20), 1.0, _STATION, (
        _one("{p}不动产登记中心", "{p}自然资源执法监察大队"),
        ("town", "{p}{t}自然资源所", 1.0),
    )),
)

_PREFECTURE_KINDS = (
    Kind("primary", "edu", "12", 10, (30, 180), 4.0, _SCHOOL, (
        ("road", "{p}{r}小学", 1.0),
        ("num", "{p}第{n}小学", 1, 30, 1.0),
        ("area", "{p}{a}第{n}小学", 0.8),
    )),
    Kind("middle", "edu", "12", 7, (60, 450), 5.0, _SCHOOL, (
        ("num", "{p}第{n}中学", 1, 3, 1.5),
        _one("{p}民族中学", "{p}第一高级中学", scale=1.5),
        ("num", "{p}第{n}中学", 4, 30, 1.0),
        ("area", "{p}{a}第{n}中学", 0.8),
    )),
    Kind("kinder", "edu", "12", 6, (15, 80), 3.0, _KINDER, (
        ("num", "{p}第{n}幼儿园", 1, 6, 1.2),
        ("road", "{p}{r}幼儿园", 1.0),
        ("num", "{p}第{n}幼儿园", 7, 30, 0.8),
        ("area", "{p}{a}第{n}幼儿园", 0.6),
    )),
    Kind("edu_misc", "edu", "12", 2, (15, 150), 3.0, _SCHOOL, (
        _one("{p}职业技术学校", "{p}特殊教育学校", "{p}教育科学研究所", "{p}卫生学校",
             "{p}电化教育馆", "{p}教育考试中心", "{p}青少年活动中心"),
    )),
    Kind("hospital", "health", "12", 3, (200, 2500), 2.5, _HOSP, (
        _one("{p}人民医院", "{p}第二人民医院", "{p}{tcm}", "{p}妇幼保健院",
             "{p}疾病预防控制中心", "{p}第三人民医院", "{p}中心血站", "{p}急救中心",
             "{p}口腔医院"),
    )),
    Kind("clinic", "health", "12", 3, (15, 80), 1.2, _CLINIC, (
        ("road", "{p}{r}社区卫生服务中心", 1.0),
        ("area", "{p}{a}第{n}社区卫生服务站", 0.5),
    )),
    Kind("police", "police", "11", 3, (20, 200), 1.2, _STATION, (
        _one("{p}公安局交通警察支队", "{p}公安局特警支队", "{p}公安局刑事侦查支队",
             "{p}看守所", "{p}拘留所"),
        ("road", "{p}公安局{r}派出所", 0.5),
        ("area", "{p}公安局{a}第{n}警务室", 0.4),
    )),
    Kind("agri", "agri", "12", 2, (15, 80), 1.0, _MISC, (
        _one("{p}农业技术推广中心", "{p}动物疫病预防控制中心", "{p}农牧综合行政执法支队",
             "{p}草原站", "{p}农产品质量安全检测中心"),
    )),
    Kind("civil", "civil", "12", 1, (15, 80), 1.5, _MISC, (
        _one("{p}社会福利院", "{p}儿童福利院", "{p}救助管理站", "{p}殡仪馆", "{p}老年养护院"),
    )),
    Kind("culture", "culture", "12", 1.5, (15, 150), 1.0, _MISC, (
        _one("{p}群众艺术馆", "{p}图书馆", "{p}博物馆", "{p}体育运动学校", "{p}民族歌舞团",
             "{p}广播电视台"),
    )),
    Kind("gov_misc", "gov", "12", 1.5, (15, 80), 1.0, _MISC, (
        _one("{p}机关事务服务中心", "{p}融媒体中心", "{p}档案馆", "{p}政务服务中心",
             "{p}人民政府发展研究中心"),
    )),
    Kind("fin_station", "finance", "12", 1, (15, 60), 1.0, _MISC, (
        _one("{p}财政国库支付中心", "{p}政府采购中心", "{p}财政投资评审中心"),
    )),
    Kind("hr", "hr", "12", 1, (15, 80), 1.0, _MISC, (
        _one("{p}就业服务局", "{p}社会保险服务中心", "{p}人才交流服务中心"),
    )),
    Kind("housing", "housing", "12", 1, (15, 200), 1.0, _MISC, (
        _one("{p}城市管理综合执法支队", "{p}环境卫生管理处", "{p}住房公积金管理中心",
             "{p}市政工程管理处"),
    )),
    Kind("market", "market", "12", 1, (15, 60), 1.0, _MISC, (
        _one("{p}食品药品检验检测中心", "{p}质量技术监督检验所",
             "{p}市场监管综合行政执法支队"),
    )),
    Kind("forestry", "forestry", "12", 1, (15, 60), 1.0, _STATION, (
        _one("{p}林业工作站", "{p}野生动物救护中心", "{p}林木种苗站"),
    )),
    Kind("water", "water", "12", 1, (15, 60), 1.0, _STATION, (
        _one("{p}水利技术服务中心", "{p}水土保持工作站", "{p}水文站"),
    )),
)

_PROVINCIAL_KINDS = (
    Kind("college", "edu", "12", 2, (300, 3000), 2.0, _COLLEGE, (
        _one("青海大学", "青海师范大学", "青海民族大学", "青海交通职业技术学院",
             "青海建筑职业技术学院", "青海卫生职业技术学院", "青海畜牧兽医职业技术学院",
             "青海柴达木职业技术学院", "青海警官职业学院", "青海开放大学"),
    )),
    Kind("prov_school", "edu", "12", 1, (60, 400), 5.0, _SCHOOL, (
        _one("青海省湟川中学", "青海师范大学附属中学", "青海省教育考试院",
             "青海省教育科学研究院", "青海省电化教育馆", "青海省学生资助管理中心"),
    )),
    Kind("prov_hospital", "health", "12", 2, (300, 3000), 2.5, _HOSP, (
        _one("青海省人民医院", "青海大学附属医院", "青海省第一人民医院", "青海省妇女儿童医院",
             "青海省中医院", "青海省藏医院", "青海省心脑血管病专科医院", "青海省第三人民医院",
             "青海省第四人民医院", "青海省第五人民医院", "青海红十字医院", "青海省康复医院",
             "青海省交通医院", "青海省疾病预防控制中心", "青海省血液中心", "青海省急救中心"),
    )),
    Kind("prov_police", "police", "11", 1, (30, 300), 1.2, _STATION, (
        _one("青海省公安厅交通警察总队", "青海省公安厅特警总队",
             "青海省公安厅高速公路交通警察总队"),
        ("region", "青海省公安厅高速公路交通警察总队{rg}大队", 0.4),
    )),
    Kind("prov_agri", "agri", "12", 1, (20, 150), 1.0, _MISC, (
        _one("青海省农业技术推广总站", "青海省动物疫病预防控制中心", "青海省草原总站",
             "青海省农产品质量安全检测中心"),
        ("region", "青海省农业技术推广总站{rg}工作站", 0.3),
    )),
    Kind("prov_water", "water", "12", 1, (20, 150), 1.0, _STATION, (
        _one("青海省水文水资源测报中心", "青海省水利水电科学研究院"),
        ("region", "青海省水文水资源测报中心{rg}水文站", 0.3),
    )),
    Kind("prov_transport", "transport", "12", 1, (30, 300), 1.0, _MISC, (
        _one("青海省公路局", "青海省交通运输综合行政执法监督局", "青海省公路科研勘测设计院"),
        ("region", "青海省公路局{rg}公路段", 0.5),
    )),
    Kind("prov_forestry", "forestry", "12", 1, (20, 120), 1.0, _STATION, (
        _one("青海省林业技术推广总站", "青海省林木种苗总站",
             "青海省野生动植物和自然保护区管理局"),
        ("region", "青海省{rg}林场", 0.4),
    )),
    Kind("prov_culture", "culture", "12", 1, (20, 200), 1.0, _MISC, (
        _one("青海省图书馆", "青海省博物馆", "青海省文化馆", "青海省非物质文化遗产保护中心",
             "青海省民族歌舞剧院"),
    )),
    Kind("prov_civil", "civil", "12", 1, (20, 150), 1.5, _MISC, (
        _one("青海省社会福利院", "青海省救助管理站", "青海省儿童福利院", "青海省康复中心"),
    )),
    Kind("prov_market", "market", "12", 1, (20, 150), 1.0, _MISC, (
        _one("青海省药品检验检测院", "青海省计量检定测试所", "青海省产品质量监督检验所",
             "青海省食品检验检测院"),
    )),
    Kind("prov_finance", "finance", "12", 1, (20, 100), 1.0, _MISC, (
        _one("青海省财政厅国库支付中心", "青海省政府采购中心", "青海省财政投资评审中心"),
    )),
    # Every department has a few service centers; numbered stations are the last resort that
    # keeps names unique however many provincial units are asked for.
    *(
        Kind(f"gen_{key}", key, "12", 0.15, (15, 120), 1.0, _MISC, (
            _one("{d}信息中心", "{d}机关服务中心", "{d}宣传教育中心", "{d}培训中心",
                 "{d}综合保障中心", "{d}评审中心", "{d}技术服务中心", "{d}发展研究中心"),
            ("region", "{d}{rg}工作站", 0.6),
            ("region", "{d}{rg}办事处", 0.6),
            ("area", "{d}{a}第{n}工作站", 0.5),
        ))
        for key, provincial, _pref, _county, _parent in DEPTS
        if provincial
    ),
)
# fmt: on

KINDS = {
    "provincial": _PROVINCIAL_KINDS,
    "prefecture": _PREFECTURE_KINDS,
    "county": COUNTY_KINDS,
}
DEPT_SHARE = {"provincial": 0.3, "prefecture": 0.2, "county": 0.25}
_DEPT_STAFF = {"provincial": (60, 400), "prefecture": (30, 200), "county": (12, 80)}


def office_kind(key: str, parent: str | None, level: str) -> Kind:
    """A department itself as a unit: an agency (机关) whose name the caller gives."""
    modes = _GOV if key in ("gov", "jiguan") else _DEPT
    return Kind(key, parent, "11", 0, _DEPT_STAFF[level], 1.0, modes, ())
