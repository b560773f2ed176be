"""Deterministic demo data: Qinghai's budget units with filings, orders, calls and tickets.

Everything comes from one seeded ``random.Random`` (no clock, no uuid4). Each rule R1–R14 is
planted on a few percent of the units so that every flag shows up; most units stay clean.

Area codes are ``QH`` + the center's two digits + a two-digit area: ``QH0100`` is the east
center's provincial (省本级) area, ``QH0101``–``QH0104`` its prefectures (西宁, 海东, 海北, 黄南),
``QH0201``–``QH0204`` the west center's (海南, 果洛, 玉树, 海西).
"""

from __future__ import annotations

import functools
import gc
import itertools
import math
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from specialist_tui.domain.enums import TicketPriority
from specialist_tui.domain.identifiers import CREDIT_CODE_ALPHABET, org_code_check_char
from specialist_tui.domain.policy import Policy

Row = dict[str, Any]


@dataclass
class DemoData:
    centers: list[Row]
    specialists: list[Row]
    units: list[Row]
    filings: list[Row]
    orders: list[Row]
    calls: list[Row]
    tickets: list[Row]
    ticket_events: list[Row]
    user_id: str


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# -- the map ------------------------------------------------------------------------------------

_CENTERS = (("QH01", "青海东部区域服务中心"), ("QH02", "青海西部区域服务中心"))
_PROVINCE_AREA = "QH0100"

# id, name, center, role. The lead keeps the provincial units herself and sees everything.
_SPECIALISTS = (
    ("sp-01", "马晓军", "QH01", "lead"),
    ("sp-02", "李娜", "QH01", "specialist"),
    ("sp-03", "祁永强", "QH01", "specialist"),
    ("sp-04", "韩文斌", "QH01", "specialist"),
    ("sp-05", "张海燕", "QH01", "specialist"),
    ("sp-06", "才让东主", "QH02", "specialist"),
    ("sp-07", "拉毛措", "QH02", "specialist"),
    ("sp-08", "王建国", "QH02", "specialist"),
)
_LEAD = "sp-01"

# fmt: off
# division, name, area code, specialist, weight among prefecture-level units, share of Tibetan
# names among contacts.
_PREFECTURES = (
    ("630100", "西宁市", "QH0101", "sp-02", 4.0, 0.08),
    ("630200", "海东市", "QH0102", "sp-04", 2.6, 0.10),
    ("632200", "海北藏族自治州", "QH0103", "sp-05", 1.2, 0.35),
    ("632300", "黄南藏族自治州", "QH0104", "sp-05", 1.2, 0.65),
    ("632500", "海南藏族自治州", "QH0201", "sp-06", 1.4, 0.55),
    ("632600", "果洛藏族自治州", "QH0202", "sp-06", 1.0, 0.85),
    ("632700", "玉树藏族自治州", "QH0203", "sp-07", 1.2, 0.90),
    ("632800", "海西蒙古族藏族自治州", "QH0204", "sp-08", 1.5, 0.30),
)

# division, how unit names start (autonomous counties by their short names, as units write
# them), population in 10k, specialist ("" = the prefecture's), its 乡镇 and 街道.
_COUNTIES = (
    ("630102", "西宁市城东区", 38, "", "东关大街街道 清真巷街道 大众街街道 周家泉街道 "
     "火车站街道 八一路街道 林家崖街道 韵家口镇"),
    ("630103", "西宁市城中区", 30, "", "人民街街道 南滩街道 仓门街街道 礼让街街道 饮马街街道 "
     "南川东路街道 南川西路街道 总寨镇"),
    ("630104", "西宁市城西区", 28, "", "西关大街街道 古城台街道 虎台街道 胜利路街道 "
     "兴海路街道 文汇路街道 通海路街道 彭家寨镇"),
    ("630105", "西宁市城北区", 32, "", "朝阳街道 小桥大街街道 马坊街道 火车西站街道 "
     "大堡子镇 廿里铺镇"),
    ("630106", "西宁市湟中区", 43, "sp-03", "鲁沙尔镇 多巴镇 拦隆口镇 上新庄镇 田家寨镇 "
     "甘河滩镇 共和镇 西堡镇 李家山镇 上五庄镇 海子沟乡 土门关乡 汉东回族乡 大才回族乡 "
     "群加藏族乡"),
    ("630121", "大通县", 42, "sp-03", "桥头镇 城关镇 塔尔镇 东峡镇 黄家寨镇 长宁镇 景阳镇 "
     "多林镇 新庄镇 青林乡 青山乡 逊让乡 极乐乡 石山乡 宝库乡 斜沟乡 良教乡 向化藏族乡 "
     "桦林乡 朔北藏族乡"),
    ("630123", "湟源县", 13, "sp-03", "城关镇 大华镇 东峡乡 日月藏族乡 和平乡 波航乡 申中乡 "
     "巴燕乡 寺寨乡"),
    ("630202", "海东市乐都区", 26, "", "碾伯镇 雨润镇 寿乐镇 高庙镇 洪水镇 高店镇 瞿昙镇 "
     "共和乡 中岭乡 李家乡 芦花乡 马营乡 马厂乡 蒲台乡 中坝藏族乡 峰堆乡 城台乡 达拉土族乡 "
     "下营藏族乡"),
    ("630203", "海东市平安区", 12, "", "平安镇 小峡镇 三合镇 洪水泉回族乡 石灰窑回族乡 "
     "古城回族乡 沙沟回族乡 巴藏沟回族乡"),
    ("630222", "民和县", 36, "", "川口镇 古鄯镇 马营镇 官亭镇 巴州镇 满坪镇 李二堡镇 峡门镇 "
     "马场垣乡 北山乡 松树乡 西沟乡 总堡乡 隆治乡 大庄乡 转导乡 前河乡 甘沟乡 中川乡 "
     "杏儿藏族乡 核桃庄乡 新民乡"),
    ("630223", "互助县", 33, "", "威远镇 丹麻镇 高寨镇 南门峡镇 加定镇 五十镇 五峰镇 塘川镇 "
     "台子乡 西山乡 红崖子沟乡 东沟乡 林川乡 东和乡 东山乡 蔡家堡乡 巴扎藏族乡 松多藏族乡 "
     "哈拉直沟乡"),
    ("630224", "化隆县", 24, "", "巴燕镇 群科镇 牙什尕镇 甘都镇 扎巴镇 昂思多镇 二塘乡 "
     "谢家滩乡 德恒隆乡 沙连堡乡 阿什努乡 石大仓乡 初麻乡 查甫藏族乡 金源藏族乡 塔加藏族乡"),
    ("630225", "循化县", 15, "", "积石镇 白庄镇 街子镇 道帏藏族乡 清水乡 查汗都斯乡 "
     "尕楞藏族乡 文都藏族乡 岗察藏族乡"),
    ("632221", "门源县", 14, "", "浩门镇 青石嘴镇 泉口镇 东川镇 北山乡 西滩乡 阴田乡 仙米乡 "
     "珠固乡 苏吉滩乡 皇城蒙古族乡 麻莲乡"),
    ("632222", "祁连县", 5, "", "八宝镇 峨堡镇 默勒镇 扎麻什乡 阿柔乡 野牛沟乡 央隆乡"),
    ("632223", "海晏县", 4, "", "三角城镇 西海镇 金滩乡 哈勒景蒙古族乡 青海湖乡 甘子河乡"),
    ("632224", "刚察县", 5, "", "沙柳河镇 哈尔盖镇 伊克乌兰乡 泉吉乡 吉尔孟乡"),
    ("632301", "同仁市", 10, "", "隆务街道 保安镇 年都乎乡 曲库乎乡 扎毛乡 黄乃亥乡 "
     "双朋西乡 兰采乡 瓜什则乡 加吾乡"),
    ("632322", "尖扎县", 6, "", "马克唐镇 康杨镇 坎布拉镇 当顺乡 措周乡 昂拉乡 能科乡 贾加乡 "
     "尖扎滩乡"),
    ("632323", "泽库县", 8, "", "泽曲镇 麦秀镇 和日镇 宁秀镇 王家乡 西卜沙乡 多禾茂乡"),
    ("632324", "河南县", 4, "", "优干宁镇 宁木特镇 多松乡 赛尔龙乡 柯生乡 托叶玛乡"),
    ("632521", "共和县", 13, "", "恰卜恰镇 倒淌河镇 龙羊峡镇 塘格木镇 黑马河镇 石乃亥镇 "
     "江西沟镇 沙珠玉乡 铁盖乡 廿地乡 切吉乡"),
    ("632522", "同德县", 7, "", "尕巴松多镇 唐谷镇 巴沟乡 秀麻乡 河北乡"),
    ("632523", "贵德县", 10, "", "河阴镇 河西镇 拉西瓦镇 常牧镇 河东乡 新街回族乡 尕让乡"),
    ("632524", "兴海县", 8, "", "子科滩镇 河卡镇 曲什安镇 温泉乡 龙藏乡 中铁乡 唐乃亥乡"),
    ("632525", "贵南县", 8, "", "茫曲镇 过马营镇 森多镇 沙沟乡 茫拉乡 塔秀乡"),
    ("632621", "玛沁县", 6, "", "大武镇 拉加镇 东倾沟乡 雪山乡 下大武乡 当洛乡 优云乡"),
    ("632622", "班玛县", 3, "", "赛来塘镇 多贡麻乡 马可河乡 吉卡乡 达卡乡 知钦乡 江日堂乡 "
     "亚尔堂乡 灯塔乡"),
    ("632623", "甘德县", 4, "", "柯曲镇 上贡麻乡 下贡麻乡 岗龙乡 青珍乡 江千乡 下藏科乡"),
    ("632624", "达日县", 4, "", "吉迈镇 满掌乡 德昂乡 窝赛乡 莫坝乡 上红科乡 下红科乡 "
     "建设乡 桑日麻乡 特合土乡"),
    ("632625", "久治县", 3, "", "智青松多镇 门堂乡 哇赛乡 索乎日麻乡 白玉乡 哇尔依乡"),
    ("632626", "玛多县", 2, "", "玛查理镇 花石峡镇 黄河乡 扎陵湖乡"),
    ("632701", "玉树市", 13, "", "结古街道 扎西科街道 西杭街道 新寨街道 隆宝镇 下拉秀镇 "
     "仲达乡 巴塘乡 小苏莽乡 上拉秀乡 安冲乡 哈秀乡"),
    ("632722", "杂多县", 7, "", "萨呼腾镇 昂赛乡 结多乡 阿多乡 苏鲁乡 查旦乡 莫云乡 扎青乡"),
    ("632723", "称多县", 6, "", "称文镇 歇武镇 扎朵镇 清水河镇 珍秦镇 尕朵乡 拉布乡"),
    ("632724", "治多县", 4, "", "加吉博洛镇 多彩乡 治渠乡 立新乡 扎河乡 索加乡"),
    ("632725", "囊谦县", 10, "", "香达镇 娘拉乡 毛庄乡 觉拉乡 东坝乡 尕羊乡 吉曲乡 着晓乡 "
     "吉尼赛乡 白扎乡"),
    ("632726", "曲麻莱县", 4, "", "约改镇 巴干乡 秋智乡 叶格乡 麻多乡 曲麻河乡"),
    ("632801", "格尔木市", 22, "", "昆仑路街道 黄河路街道 金峰路街道 河西街道 西藏路街道 "
     "郭勒木德镇 唐古拉山镇 大格勒乡 乌图美仁乡"),
    ("632802", "德令哈市", 8, "", "河西街道 河东街道 火车站街道 尕海镇 怀头他拉镇 柯鲁柯镇 "
     "蓄集乡"),
    ("632803", "茫崖市", 3, "", "花土沟镇 茫崖镇 冷湖镇"),
    ("632821", "乌兰县", 4, "", "希里沟镇 茶卡镇 柯柯镇 铜普镇"),
    ("632822", "都兰县", 8, "", "察汗乌苏镇 香日德镇 夏日哈镇 宗加镇 热水乡 香加乡 沟里乡 "
     "巴隆乡"),
    ("632823", "天峻县", 3, "", "新源镇 木里镇 江河镇 快尔玛乡 舟群乡 织合玛乡 阳康乡 龙门乡 "
     "生格乡 苏里乡"),
)
# fmt: on

_ROADS = _words(
    "南大街 北大街 东大街 西大街 昆仑路 黄河路 长江路 五四大街 七一路 八一路 胜利路 文化街 "
    "建设路 解放路 人民路 团结路 柴达木路 祁连路 湟水路 南山路 北山路 海湖路 新宁路 花园路 "
    "民主路 光明路 南川路 青年路 和平路 同仁路 互助路 金塔路 通海路 文汇路 园树路 兴海路"
)
# More streets for numbering schools in big prefectures (…昆北路第三小学).
_ROAD_STEMS = _words(
    "西关 东关 北关 南关 朝阳 夏都 宁张 康川 盐庄 虎台 小桥 杨家庄 冷湖 五一 六一 红光 建国 "
    "民族 学院 昆北 湟光 纬二 经二 德令哈 格尔木 玉树 果洛 黄南 海北 海晏 共和 贵德 循化 "
    "乐都 平安 大通 湟源 湟中 多巴 长宁 景阳 安宁 宁湖 丰收 幸福 新华 振兴"
)
_MORE_ROADS = _ROADS + tuple(
    stem + suffix
    for suffix in ("路", "大街", "巷", "东路", "西路")
    for stem in _ROAD_STEMS
    if stem + suffix not in _ROADS
)
_REGIONS = _words(
    "西宁 海东 海北 黄南 海南 果洛 玉树 海西 湟中 大通 湟源 乐都 平安 民和 互助 化隆 循化 门源 "
    "祁连 海晏 刚察 同仁 尖扎 泽库 河南 共和 同德 贵德 兴海 贵南 玛沁 班玛 甘德 达日 久治 玛多 "
    "杂多 称多 治多 囊谦 曲麻莱 格尔木 德令哈 茫崖 乌兰 都兰 天峻"
)
_LEVELS = ("provincial", "prefecture", "county")

# -- who the units are --------------------------------------------------------------------------

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
_MODE_NAMES = ("own", "outsourced", "shared", "none")

# fmt: off
# key, provincial, prefecture, county name (None: not at that level), parent department.
# A place with few units gets the first few: schools and hospitals need theirs first.
_DEPTS: tuple[tuple[str, str | None, str | None, str | None, str | None], ...] = (
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
class _Kind:
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
_COUNTY_KINDS = (
    _Kind("primary", "edu", "12", 14, (15, 150), 4.0, _SCHOOL, (
        _one("{p}第一小学", "{p}第二小学", scale=1.3),
        ("road", "{p}{r}小学", 1.0),
        ("town", "{p}{t}中心学校", 0.9),
        ("num", "{p}第{n}小学", 3, 6, 0.8),
        ("village", "{p}{t}{v}小学", 0.3),
        ("area", "{p}{a}第{n}小学", 0.6),
    )),
    _Kind("middle", "edu", "12", 5, (40, 400), 5.0, _SCHOOL, (
        _one("{p}第一中学", "{p}民族中学", "{p}第二中学", scale=1.5),
        ("town", "{p}{t}中学", 0.7),
        ("num", "{p}第{n}中学", 3, 5, 1.0),
        ("area", "{p}{a}第{n}中学", 0.7),
    )),
    _Kind("kinder", "edu", "12", 7, (10, 60), 3.0, _KINDER, (
        _one("{p}第一幼儿园", "{p}第二幼儿园", scale=1.3),
        ("road", "{p}{r}幼儿园", 1.0),
        ("town", "{p}{t}中心幼儿园", 0.8),
        ("num", "{p}第{n}幼儿园", 3, 8, 0.8),
        ("village", "{p}{t}{v}幼儿园", 0.3),
        ("area", "{p}{a}第{n}幼儿园", 0.6),
    )),
    _Kind("edu_misc", "edu", "12", 2, (10, 80), 2.5, _SCHOOL, (
        _one("{p}职业技术学校", "{p}特殊教育学校", "{p}教师进修学校",
             "{p}青少年校外活动中心", "{p}学生资助管理中心"),
    )),
    _Kind("hospital", "health", "12", 3, (80, 900), 2.5, _HOSP, (
        _one("{p}人民医院", "{p}{tcm}", "{p}妇幼保健计划生育服务中心",
             "{p}疾病预防控制中心", "{p}第二人民医院"),
    )),
    _Kind("clinic", "health", "12", 6, (10, 70), 1.2, _CLINIC, (
        ("town", "{p}{t}卫生院", 1.0),
        ("street", "{p}{t}社区卫生服务中心", 1.0),
        ("village", "{p}{t}{v}卫生室", 0.3),
        ("area", "{p}{a}第{n}卫生服务站", 0.5),
    )),
    _Kind("police", "police", "11", 3, (10, 45), 1.0, _STATION, (
        _one("{p}公安局交通警察大队", "{p}公安局刑事侦查大队", "{p}看守所"),
        ("town", "{p}公安局{ts}派出所", 1.0),
        ("street", "{p}公安局{ts}派出所", 1.0),
        ("area", "{p}公安局{a}第{n}警务室", 0.4),
    )),
    _Kind("agri", "agri", "12", 4, (10, 50), 1.0, _STATION, (
        _one("{p}农业技术推广中心", "{p}动物疫病预防控制中心", "{p}农业综合行政执法大队",
             "{p}草原工作站"),
        ("town", "{p}{t}农牧业综合服务中心", 1.0),
        ("area", "{p}{a}第{n}农技服务站", 0.5),
    )),
    _Kind("civil", "civil", "12", 1.5, (10, 40), 1.5, _MISC, (
        _one("{p}社会福利中心", "{p}救助管理站"),
        ("town", "{p}{t}敬老院", 0.8),
    )),
    _Kind("culture", "culture", "12", 1.5, (10, 40), 1.0, _MISC, (
        _one("{p}文化馆", "{p}图书馆", "{p}博物馆", "{p}体育运动中心"),
        ("town", "{p}{t}综合文化站", 0.5),
    )),
    _Kind("forestry", "forestry", "12", 1, (10, 30), 1.0, _STATION, (
        _one("{p}林业技术推广中心", "{p}森林病虫害防治检疫站"),
        ("town", "{p}{t}林业工作站", 0.6),
    )),
    _Kind("water", "water", "12", 1, (10, 30), 1.0, _STATION, (
        _one("{p}水利技术服务中心", "{p}水土保持工作站"),
        ("town", "{p}{t}水利管理站", 0.6),
    )),
    _Kind("town_gov", None, "11", 5, (20, 90), 1.3, _TOWN_GOV, (
        ("town", "{p}{t}人民政府", 1.0),
        ("street", "{p}{t}办事处", 1.0),
    )),
    _Kind("gov_misc", "gov", "12", 1.5, (10, 60), 1.0, _MISC, (
        _one("{p}机关事务服务中心", "{p}融媒体中心", "{p}档案馆", "{p}政务服务中心"),
    )),
    _Kind("hr", "hr", "12", 1, (10, 60), 1.0, _MISC, (
        _one("{p}就业服务局", "{p}社会保险服务中心", "{p}劳动保障监察大队"),
    )),
    _Kind("housing", "housing", "12", 1, (10, 120), 1.0, _MISC, (
        _one("{p}环境卫生管理站", "{p}城市管理综合执法大队", "{p}市政工程管理站",
             "{p}住房保障服务中心"),
    )),
    _Kind("market", "market", "11", 1.5, (10, 25), 1.0, _STATION, (
        ("town", "{p}市场监督管理局{ts}市场监督管理所", 1.0),
        ("street", "{p}市场监督管理局{ts}市场监督管理所", 1.0),
    )),
    _Kind("fin_station", "finance", "11", 1.5, (10, 20), 1.0, _STATION, (
        _one("{p}财政国库支付中心"),
        ("town", "{p}{t}财政所", 1.0),
    )),
    _Kind("justice", "justice", "11", 1, (10, 15), 1.0, _STATION, (
        ("town", "{p}司法局{ts}司法所", 1.0),
    )),
    _Kind("natural", "natural", "12", 1, (10, 20), 1.0, _STATION, (
        _one("{p}不动产登记中心", "{p}自然资源执法监察大队"),
        ("town", "{p}{t}自然资源所", 1.0),
    )),
)

_PREFECTURE_KINDS = (
    _Kind("primary", "edu", "12", 10, (30, 180), 4.0, _SCHOOL, (
        ("road", "{p}{r}小学", 1.0),
        ("num", "{p}第{n}小学", 1, 30, 1.0),
        ("area", "{p}{a}第{n}小学", 0.8),
    )),
    _Kind("middle", "edu", "12", 7, (60, 450), 5.0, _SCHOOL, (
        ("num", "{p}第{n}中学", 1, 3, 1.5),
        _one("{p}民族中学", "{p}第一高级中学", scale=1.5),
        ("num", "{p}第{n}中学", 4, 30, 1.0),
        ("area", "{p}{a}第{n}中学", 0.8),
    )),
    _Kind("kinder", "edu", "12", 6, (15, 80), 3.0, _KINDER, (
        ("num", "{p}第{n}幼儿园", 1, 6, 1.2),
        ("road", "{p}{r}幼儿园", 1.0),
        ("num", "{p}第{n}幼儿园", 7, 30, 0.8),
        ("area", "{p}{a}第{n}幼儿园", 0.6),
    )),
    _Kind("edu_misc", "edu", "12", 2, (15, 150), 3.0, _SCHOOL, (
        _one("{p}职业技术学校", "{p}特殊教育学校", "{p}教育科学研究所", "{p}卫生学校",
             "{p}电化教育馆", "{p}教育考试中心", "{p}青少年活动中心"),
    )),
    _Kind("hospital", "health", "12", 3, (200, 2500), 2.5, _HOSP, (
        _one("{p}人民医院", "{p}第二人民医院", "{p}{tcm}", "{p}妇幼保健院",
             "{p}疾病预防控制中心", "{p}第三人民医院", "{p}中心血站", "{p}急救中心",
             "{p}口腔医院"),
    )),
    _Kind("clinic", "health", "12", 3, (15, 80), 1.2, _CLINIC, (
        ("road", "{p}{r}社区卫生服务中心", 1.0),
        ("area", "{p}{a}第{n}社区卫生服务站", 0.5),
    )),
    _Kind("police", "police", "11", 3, (20, 200), 1.2, _STATION, (
        _one("{p}公安局交通警察支队", "{p}公安局特警支队", "{p}公安局刑事侦查支队",
             "{p}看守所", "{p}拘留所"),
        ("road", "{p}公安局{r}派出所", 0.5),
        ("area", "{p}公安局{a}第{n}警务室", 0.4),
    )),
    _Kind("agri", "agri", "12", 2, (15, 80), 1.0, _MISC, (
        _one("{p}农业技术推广中心", "{p}动物疫病预防控制中心", "{p}农牧综合行政执法支队",
             "{p}草原站", "{p}农产品质量安全检测中心"),
    )),
    _Kind("civil", "civil", "12", 1, (15, 80), 1.5, _MISC, (
        _one("{p}社会福利院", "{p}儿童福利院", "{p}救助管理站", "{p}殡仪馆", "{p}老年养护院"),
    )),
    _Kind("culture", "culture", "12", 1.5, (15, 150), 1.0, _MISC, (
        _one("{p}群众艺术馆", "{p}图书馆", "{p}博物馆", "{p}体育运动学校", "{p}民族歌舞团",
             "{p}广播电视台"),
    )),
    _Kind("gov_misc", "gov", "12", 1.5, (15, 80), 1.0, _MISC, (
        _one("{p}机关事务服务中心", "{p}融媒体中心", "{p}档案馆", "{p}政务服务中心",
             "{p}人民政府发展研究中心"),
    )),
    _Kind("fin_station", "finance", "12", 1, (15, 60), 1.0, _MISC, (
        _one("{p}财政国库支付中心", "{p}政府采购中心", "{p}财政投资评审中心"),
    )),
    _Kind("hr", "hr", "12", 1, (15, 80), 1.0, _MISC, (
        _one("{p}就业服务局", "{p}社会保险服务中心", "{p}人才交流服务中心"),
    )),
    _Kind("housing", "housing", "12", 1, (15, 200), 1.0, _MISC, (
        _one("{p}城市管理综合执法支队", "{p}环境卫生管理处", "{p}住房公积金管理中心",
             "{p}市政工程管理处"),
    )),
    _Kind("market", "market", "12", 1, (15, 60), 1.0, _MISC, (
        _one("{p}食品药品检验检测中心", "{p}质量技术监督检验所",
             "{p}市场监管综合行政执法支队"),
    )),
    _Kind("forestry", "forestry", "12", 1, (15, 60), 1.0, _STATION, (
        _one("{p}林业工作站", "{p}野生动物救护中心", "{p}林木种苗站"),
    )),
    _Kind("water", "water", "12", 1, (15, 60), 1.0, _STATION, (
        _one("{p}水利技术服务中心", "{p}水土保持工作站", "{p}水文站"),
    )),
)

_PROVINCIAL_KINDS = (
    _Kind("college", "edu", "12", 2, (300, 3000), 2.0, _COLLEGE, (
        _one("青海大学", "青海师范大学", "青海民族大学", "青海交通职业技术学院",
             "青海建筑职业技术学院", "青海卫生职业技术学院", "青海畜牧兽医职业技术学院",
             "青海柴达木职业技术学院", "青海警官职业学院", "青海开放大学"),
    )),
    _Kind("prov_school", "edu", "12", 1, (60, 400), 5.0, _SCHOOL, (
        _one("青海省湟川中学", "青海师范大学附属中学", "青海省教育考试院",
             "青海省教育科学研究院", "青海省电化教育馆", "青海省学生资助管理中心"),
    )),
    _Kind("prov_hospital", "health", "12", 2, (300, 3000), 2.5, _HOSP, (
        _one("青海省人民医院", "青海大学附属医院", "青海省第一人民医院", "青海省妇女儿童医院",
             "青海省中医院", "青海省藏医院", "青海省心脑血管病专科医院", "青海省第三人民医院",
             "青海省第四人民医院", "青海省第五人民医院", "青海红十字医院", "青海省康复医院",
             "青海省交通医院", "青海省疾病预防控制中心", "青海省血液中心", "青海省急救中心"),
    )),
    _Kind("prov_police", "police", "11", 1, (30, 300), 1.2, _STATION, (
        _one("青海省公安厅交通警察总队", "青海省公安厅特警总队",
             "青海省公安厅高速公路交通警察总队"),
        ("region", "青海省公安厅高速公路交通警察总队{rg}大队", 0.4),
    )),
    _Kind("prov_agri", "agri", "12", 1, (20, 150), 1.0, _MISC, (
        _one("青海省农业技术推广总站", "青海省动物疫病预防控制中心", "青海省草原总站",
             "青海省农产品质量安全检测中心"),
        ("region", "青海省农业技术推广总站{rg}工作站", 0.3),
    )),
    _Kind("prov_water", "water", "12", 1, (20, 150), 1.0, _STATION, (
        _one("青海省水文水资源测报中心", "青海省水利水电科学研究院"),
        ("region", "青海省水文水资源测报中心{rg}水文站", 0.3),
    )),
    _Kind("prov_transport", "transport", "12", 1, (30, 300), 1.0, _MISC, (
        _one("青海省公路局", "青海省交通运输综合行政执法监督局", "青海省公路科研勘测设计院"),
        ("region", "青海省公路局{rg}公路段", 0.5),
    )),
    _Kind("prov_forestry", "forestry", "12", 1, (20, 120), 1.0, _STATION, (
        _one("青海省林业技术推广总站", "青海省林木种苗总站",
             "青海省野生动植物和自然保护区管理局"),
        ("region", "青海省{rg}林场", 0.4),
    )),
    _Kind("prov_culture", "culture", "12", 1, (20, 200), 1.0, _MISC, (
        _one("青海省图书馆", "青海省博物馆", "青海省文化馆", "青海省非物质文化遗产保护中心",
             "青海省民族歌舞剧院"),
    )),
    _Kind("prov_civil", "civil", "12", 1, (20, 150), 1.5, _MISC, (
        _one("青海省社会福利院", "青海省救助管理站", "青海省儿童福利院", "青海省康复中心"),
    )),
    _Kind("prov_market", "market", "12", 1, (20, 150), 1.0, _MISC, (
        _one("青海省药品检验检测院", "青海省计量检定测试所", "青海省产品质量监督检验所",
             "青海省食品检验检测院"),
    )),
    _Kind("prov_finance", "finance", "12", 1, (20, 100), 1.0, _MISC, (
        _one("青海省财政厅国库支付中心", "青海省政府采购中心", "青海省财政投资评审中心"),
    )),
    # Every department has a few service centers; numbered stations are the last resort that
    # keeps names unique however many provincial units are asked for.
    *(
        _Kind(f"gen_{key}", key, "12", 0.15, (15, 120), 1.0, _MISC, (
            _one("{d}信息中心", "{d}机关服务中心", "{d}宣传教育中心", "{d}培训中心",
                 "{d}综合保障中心", "{d}评审中心", "{d}技术服务中心", "{d}发展研究中心"),
            ("region", "{d}{rg}工作站", 0.6),
            ("region", "{d}{rg}办事处", 0.6),
            ("area", "{d}{a}第{n}工作站", 0.5),
        ))
        for key, provincial, _pref, _county, _parent in _DEPTS
        if provincial
    ),
)
# fmt: on

_KINDS = {
    "provincial": _PROVINCIAL_KINDS,
    "prefecture": _PREFECTURE_KINDS,
    "county": _COUNTY_KINDS,
}
_DEPT_SHARE = {"provincial": 0.3, "prefecture": 0.2, "county": 0.25}
_DEPT_STAFF = {"provincial": (60, 400), "prefecture": (30, 200), "county": (12, 80)}

_VILLAGE_HEAD = "新东西南北上下前后大小红黄杨李王马韩祁张刘沙石河柳泉"
_VILLAGE_TAIL = ("庄", "家", "沟", "滩", "湾", "寨", "台", "堡", "岭", "崖", "坪", "营")
_VILLAGE_TIBETAN = _words(
    "措日 达隆 拉藏 哇日 查曲 多拉 尕尔 加塘 扎西 昂欠 才龙 索日 江让 拉则 当江 巴塘 日安 "
    "达哇 格日 莫曲 扎日 果青 尕青 隆青 宗达 优多 赛宗 吉吾 智合 阿尼"
)

# -- people -------------------------------------------------------------------------------------

# Surname and weight: Hui surnames (马, 韩, 冶) are far more common in Qinghai than nationally.
_SURNAME_TABLE = _words(
    "王7 李7 张6 马8 刘4 陈3 杨3 赵3 韩3 祁2 冶1.5 何2 孙2 朱1.5 胡1.5 郭1.5 周1.5 吴1 徐1 "
    "高1.5 魏1 鲁1 谢1 罗1 白1 史1 许1 汪1 苏1 任1 蔡0.5 窦0.5 星0.5 喇0.5 铁0.3 童0.5"
)
_SURNAMES = tuple(entry[0] for entry in _SURNAME_TABLE)
_SURNAME_CUM = tuple(itertools.accumulate(float(entry[1:]) for entry in _SURNAME_TABLE))
_GIVEN_1 = "建国海文永晓玉秀志学福成有存得生春丽红明德金兰"
_GIVEN_2 = "军燕斌强兰英刚庆林良胜莲梅花东平华辉宁青霞芳娟伟磊涛鹏敏静洁杰"
_TIBETAN_A = _words(
    "才让 多杰 扎西 索南 尼玛 达哇 旦增 更登 桑杰 仁青 公保 完玛 拉毛 卓玛 央金 德吉 才旦 "
    "久美 昂秀 东主 南加 洛桑 尖措 闹日 周毛 吉毛 切吉 贡保 才仁 巴桑 格桑 措毛 周加 完德 华旦 "
    "拉加 仁增"
)
_TIBETAN_B = ("", "", "", "措", "吉", "东主", "才让", "加", "卓玛", "太", "本", "尖措", "多杰",
              "扎西", "才旦", "加布", "草", "毛")  # fmt: skip
_MOBILE_PREFIXES = _words(
    "130 131 132 133 135 136 137 138 139 150 151 152 155 157 158 159 177 180 181 182 183 185 "
    "186 187 188 189 191 199"
)

_CONTRACTOR_WORDS = _words(
    "鑫源 华隆 昆仑 雪域 三江源 高原红 金穗 宏达 德馨 康源 恒信 河湟 青稞香 祥和 安康 顺达 "
    "丰禾 湟水 瑞丰 百味 禾润 天佑 溢香 众益 聚福 青之源 益民 兴盛 锦程 海湖"
)
_CONTRACTOR_FORMS = (
    "青海{w}餐饮管理有限公司",
    "青海{w}后勤服务有限公司",
    "西宁{w}餐饮服务有限公司",
    "青海{w}团餐管理有限公司",
    "海东市{w}餐饮有限公司",
)
_DECLINE_REASONS = (
    "今年就餐人数减少，年度食堂食材采购总额相应下降",
    "食堂改为外包，预留金额按外包合同重新测算",
    "单位机构调整，部分人员划转至其他单位",
    "上年预留含一次性慰问采购，今年未再安排",
    "学校生源减少，寄宿学生人数下降",
)

# -- calls and tickets --------------------------------------------------------------------------

_NOTES = {
    "filing": (
        "与{c}沟通{y}年预留份额填报，对方表示将尽快在采购人管理系统提交。",
        "提醒{c}填报截止日为{dl}，已说明食堂、工会两部分的填报口径。",
        "{c}反映填报时不清楚共用食堂如何注明，已逐项讲解。",
    ),
    "ratio": (
        "核对食堂预留比例，{c}表示将按不低于15%重新测算预留金额。",
        "说明预留金额较上年下降需向本级财政部门作出说明，{c}表示会补充说明材料。",
        "{c}询问工会部分的预留口径，已告知不低于工会采购总额的15%。",
    ),
    "purchasing": (
        "介绍832优选和一站通专区，{c}计划本月集中采购米面油和牛羊肉。",
        "提醒下单时填写区域代码，已通过微信发送填写位置截图。",
        "{c}反映采购进度偏慢，约定下周推荐适合食堂的常用食材清单。",
    ),
    "payment": (
        "有待付款订单，{c}表示报销审批走完后即线上支付。",
        "告知不得无故拖欠货款，{c}承诺本周内完成支付。",
        "{c}咨询公务卡支付流程，已讲解线上支付结算步骤。",
    ),
    "account": (
        "协助为外包食堂的采购执行主体开通交易账号，已发送开户资料清单。",
        "{c}反映账号登录异常，已指导重置密码并重新绑定手机号。",
        "{c}更换经办人，已协助变更管理员账号。",
    ),
    "after_sales": (
        "{c}反映部分商品包装破损，已联系供应商补发。",
        "查询退款进度，已催促供应商三个工作日内处理。",
    ),
    "training": (
        "约定为财务和食堂人员做一次采购人管理系统操作培训。",
        "讲解提货通发放和职工微信小程序绑定单位的流程。",
    ),
    "other": (
        "例行回访，单位暂无问题。",
        "更新单位联系人信息。",
    ),
}
_ACTIONS = {
    "filing": "回访确认预留份额是否已提交",
    "ratio": "核对调整后的预留比例和下降说明",
    "purchasing": "回访采购进度，检查订单区域代码",
    "payment": "确认待付款订单已线上支付",
    "account": "确认采购执行主体账号已开通",
    "after_sales": "跟进售后处理结果",
    "training": "安排线上操作培训",
    "other": "再次回访",
}
_TOPICS = tuple(_ACTIONS)

_RULE_TOPICS = (
    ("R1", "filing"),
    ("R2", "filing"),
    ("R3", "ratio"),
    ("R4", "account"),
    ("R5", "filing"),
    ("R6", "filing"),
    ("R7", "ratio"),
    ("R8", "ratio"),
    ("R9", "purchasing"),
    ("R10", "payment"),
    ("R11", "purchasing"),
    ("R12", "purchasing"),
    ("R13", "payment"),
)
_OUTCOMES = ("reached", "resolved", "callback_requested", "no_answer", "busy", "wrong_number")
_OUTCOME_CUM = tuple(itertools.accumulate((40, 25, 12, 14, 6, 3)))
_ROLE_LABELS = {"finance": "财务", "canteen": "食堂", "union": "工会", "head": "负责人"}

# category, subject, description
# fmt: off
_TICKETS = (
    ("account", "采购执行主体账号无法登录",
     "外包食堂的采购执行主体登录采购人管理系统时提示账号未激活，请协助核实开通状态。"),
    ("account", "申请变更单位管理员账号",
     "原经办人调岗，需将管理员账号变更为新经办人并重新绑定手机号。"),
    ("filing", "预留份额填报提示金额校验失败",
     "填报食堂预留金额时系统提示校验失败，金额已按15%计算，请核查。"),
    ("filing", "填报被退回后无法修改",
     "本级财政部门退回填报后，单位端无法编辑预留金额，请协助处理。"),
    ("payment", "线上支付失败", "使用公务卡线上支付时提示交易失败，订单仍为待付款状态。"),
    ("payment", "已支付订单仍显示待付款",
     "单位已完成线上支付，订单状态未更新，请核实支付结果。"),
    ("delivery", "订单超过约定时间未送达",
     "订单已发货一周仍未送达，食堂急需，请联系供应商确认物流。"),
    ("delivery", "配送地址需要变更", "单位搬迁，后续订单配送地址需变更到新址。"),
    ("quality", "收到的牦牛肉有异味", "收到的牦牛肉解冻后有异味，已拍照留存，申请退换。"),
    ("quality", "大米包装破损受潮", "部分大米包装破损受潮，请供应商补发。"),
    ("after_sales", "申请退货退款", "商品规格与页面描述不符，申请整单退货退款。"),
    ("after_sales", "退款长时间未到账", "退货已签收超过十天，退款仍未到账。"),
    ("invoice", "发票抬头错误需重开", "电子发票抬头与单位全称不一致，无法报销，需重开。"),
    ("invoice", "未收到电子发票", "订单已完结，未收到电子发票，请催促供应商开具。"),
    ("training", "申请采购人管理系统操作培训", "单位新任财务人员需要培训填报和下单流程。"),
    ("other", "咨询提货通发放流程", "工会计划发放提货通，咨询发放和职工使用流程。"),
)
# fmt: on
_PRIORITIES = ("low", "normal", "high", "urgent")
_PRIORITY_CUM = tuple(itertools.accumulate((20, 50, 22, 8)))
# Status changes that end in each status, each legal under models.TICKET_TRANSITIONS.
_TICKET_PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    "open": ((), ("in_progress", "resolved", "open")),
    "in_progress": (("in_progress",), ("waiting", "in_progress")),
    "waiting": (("in_progress", "waiting"), ("waiting",)),
    "resolved": (
        ("in_progress", "resolved"),
        ("in_progress", "waiting", "in_progress", "resolved"),
    ),
    "closed": (("in_progress", "resolved", "closed"), ("resolved", "closed")),
}
_TICKET_COMMENTS = (
    "已联系供应商，等待回复。",
    "已向单位核实情况并留存截图。",
    "已提交平台技术支持处理。",
    "单位补充了材料。",
    "供应商承诺两个工作日内处理。",
)


# -- small helpers ------------------------------------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九"


def _ordinal(n: int) -> str:
    """一 … 三十 as schools are numbered; beyond that numbering turns Arabic (第37幼儿园)."""
    if n > 30:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[ones] if ones else "")


def _town_short(town: str) -> str:
    for suffix in ("街道", "蒙古族乡", "藏族乡", "回族乡", "土族乡", "镇", "乡"):
        if town.endswith(suffix) and len(town) > len(suffix) + 1:
            return town[: -len(suffix)]
    return town


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` by largest remainder: exact and stable."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    counts = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


_CREDIT_VALUE = {ch: i for i, ch in enumerate(CREDIT_CODE_ALPHABET)}
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _credit_code(head: str, org8: str) -> str:
    """A GB 32100 code: head (2 + 6 digits), org code with its GB 11714 check, check char."""
    body = head + org8 + org_code_check_char(org8)
    total = sum(_CREDIT_VALUE[ch] * w for ch, w in zip(body, _CREDIT_WEIGHTS, strict=True))
    return body + CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@functools.lru_cache(maxsize=4096)
def _day_iso(base: date, days: int) -> str:
    return (base + timedelta(days=days)).isoformat()


def _stamp(base: date, minute: int, second: int = 0) -> str:
    """ISO-8601 Beijing time, ``minute`` minutes after midnight starting ``base``."""
    days, minute = divmod(minute, 1440)
    return f"{_day_iso(base, days)}T{minute // 60:02d}:{minute % 60:02d}:{second:02d}+08:00"


@dataclass(slots=True)
class _Place:
    level: str
    prefix: str
    division: str
    area_code: str
    specialist: str
    tibetan: float
    towns: tuple[str, ...] = ()
    roads: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    more_areas: tuple[str, ...] = ()  # extra areas to number within, beyond roads and regions
    villages: dict[str, list[str]] = field(default_factory=dict)


@dataclass(slots=True)
class _Unit:
    row: Row
    place: int
    kind: str
    town: str | None
    staff: int
    meal: float
    modes: Modes
    mode: str = "own"
    union: str = "independent"
    representative: int | None = None  # index of the unit filing for a shared canteen
    group_staff: int = 0  # staff of a shared group, counted on its representative
    canteen_total: int = 0
    canteen_reserved: int = 0
    union_total: int = 0
    union_reserved: int = 0
    status: str = "confirmed"
    filed_reserved: int = 0  # canteen + union reserved as the current filing row shows it
    orders_from: int = 0
    orders_to: int = 0


# -- the generator ------------------------------------------------------------------------------


def generate(units: int, today: date, policy: Policy, seed: int = 832) -> DemoData:
    """A demo data set of ``units`` budget units, as it would stand on ``today``."""
    if units < 1:
        raise ValueError("units must be at least 1")
    rng = random.Random(f"832-demo:{seed}:{today.isoformat()}:{units}")
    builder = _Builder(rng, units, today, policy)
    # Millions of fresh dicts and no reference cycles: the cyclic collector would only rescan
    # them again and again (about a quarter of the time at 100k units).
    collecting = gc.isenabled()
    gc.disable()
    try:
        builder.build_units()
        builder.assign_modes()
        builder.plant()
        builder.build_filings()
        builder.build_orders()
        builder.build_calls()
        builder.build_tickets()
    finally:
        if collecting:
            gc.enable()
    centers = [
        {
            "code": code,
            "name": name,
            "area_codes": ([_PROVINCE_AREA] if code == "QH01" else [])
            + [p[2] for p in _PREFECTURES if p[2].startswith(code)],
        }
        for code, name in _CENTERS
    ]
    return DemoData(
        centers=centers,
        specialists=builder.specialists,
        units=[u.row for u in builder.units],
        filings=builder.filings,
        orders=builder.orders,
        calls=builder.calls,
        tickets=builder.tickets,
        ticket_events=builder.events,
        user_id=_LEAD,
    )


class _Builder:
    def __init__(self, rng: random.Random, n: int, today: date, policy: Policy) -> None:
        self.rng = rng
        self.n = n
        self.today = today
        self.policy = policy
        self.year = policy.year
        self.year_start = policy.year_start
        self.days_in_year = (policy.year_end - policy.year_start).days + 1
        # Day index of today in the policy year; negative before it starts.
        self.dt = (today - self.year_start).days
        self.units: list[_Unit] = []
        self.places: list[_Place] = []
        self.filings: list[Row] = []
        self.orders: list[Row] = []
        self.calls: list[Row] = []
        self.tickets: list[Row] = []
        self.events: list[Row] = []
        self.planted: dict[str, set[int]] = {}
        self.no_prev: set[int] = set()
        self.no_filing: set[int] = set()
        self.ticket_due: set[int] = set()
        self.ts: list[str] = []  # ISO stamps of every minute from Jan 1 to the end of today
        self.limit = 0  # the first minute after today, as an index into ts
        self.seq = 0
        self.used_phones: set[str] = set()
        self.specialists = [
            {"id": sid, "name": name, "phone": self.phone(), "center_code": center, "role": role}
            for sid, name, center, role in _SPECIALISTS
        ]

    # -- people -----------------------------------------------------------------------------

    def ri(self, low: int, high: int) -> int:
        """randint(low, high) at a fraction of its cost; the bias of a float draw is nil here."""
        return low + int(self.rng.random() * (high - low + 1))

    def pick(self, seq: Sequence[str]) -> str:
        return seq[int(self.rng.random() * len(seq))]

    def phone(self) -> str:
        rnd = self.rng.random
        while True:
            number = self.pick(_MOBILE_PREFIXES) + f"{int(rnd() * 100_000_000):08d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def person(self, tibetan: float) -> str:
        rng = self.rng
        pick = self.pick
        if rng.random() < tibetan:
            first, second = pick(_TIBETAN_A), pick(_TIBETAN_B)
            # 拉毛 + 毛 would stutter.
            return first if second[:1] == first[-1] else first + second
        surname = rng.choices(_SURNAMES, cum_weights=_SURNAME_CUM)[0]
        if rng.random() < 0.6:
            return surname + pick(_GIVEN_1) + pick(_GIVEN_2)
        return surname + pick(_GIVEN_2)

    # -- units ------------------------------------------------------------------------------

    def build_places(self) -> list[int]:
        """The province, prefectures and counties, and how many units each one gets."""
        n = self.n
        provincial = round(n * 0.05)
        prefecture = round(n * 0.20)
        county = n - provincial - prefecture
        places = self.places
        places.append(
            _Place(
                "provincial",
                "青海省",
                "630000",
                _PROVINCE_AREA,
                _LEAD,
                0.12,
                regions=tuple(_REGIONS),
            )
        )
        quotas = [provincial]
        pref_quotas = _allocate(prefecture, [p[4] for p in _PREFECTURES])
        by_division = {}
        for (division, name, area, specialist, _w, tibetan), quota in zip(
            _PREFECTURES, pref_quotas, strict=True
        ):
            by_division[division] = (area, specialist, tibetan)
            places.append(
                _Place(
                    "prefecture",
                    name,
                    division,
                    area,
                    specialist,
                    tibetan,
                    roads=_ROADS,
                    more_areas=_MORE_ROADS,
                )
            )
            quotas.append(quota)
        # Every county has its offices whatever its size, hence the constant in the weight.
        county_quotas = _allocate(county, [8 + c[2] for c in _COUNTIES])
        for (division, prefix, _pop, specialist, towns), quota in zip(
            _COUNTIES, county_quotas, strict=True
        ):
            area, pref_specialist, tibetan = by_division[division[:4] + "00"]
            all_towns = tuple(towns.split())
            urban = prefix.startswith("西宁市城")
            places.append(
                _Place(
                    "county",
                    prefix,
                    division,
                    area,
                    specialist or pref_specialist,
                    tibetan,
                    towns=all_towns,
                    roads=_ROADS[:18] if urban else (),
                )
            )
            quotas.append(quota)
        return quotas

    def build_units(self) -> None:
        rng = self.rng
        used_names: set[str] = set()
        used_orgs: set[str] = set()
        for index, quota in enumerate(self.build_places()):
            if quota <= 0:
                continue
            place = self.places[index]
            level = place.level
            at_level = 1 + _LEVELS.index(level)
            candidates = [d for d in _DEPTS if d[at_level]]
            n_depts = max(1, min(len(candidates), round(quota * _DEPT_SHARE[level])))
            depts: dict[str, int] = {}
            dept_names: dict[str, str] = {}
            for dept in candidates[:n_depts]:
                key, parent = dept[0], dept[4]
                name = place.prefix + str(dept[at_level])
                office = _Kind(
                    key, parent, "11", 0, _DEPT_STAFF[level], 1.0,
                    _GOV if key in ("gov", "jiguan") else _DEPT, (),
                )  # fmt: skip
                sup = depts.get(parent) if parent else None
                depts[key] = self.add_unit(place, index, office, None, name, 1.0, sup, used_orgs)
                dept_names[key] = name
                used_names.add(name)
            kinds = [k for k in _KINDS[level] if k.dept is None or k.dept in depts]
            cum = list(itertools.accumulate(k.weight for k in kinds))
            generators = {k.key: self.names(k, place, dept_names) for k in kinds}
            made = n_depts
            while made < quota:
                kind = rng.choices(kinds, cum_weights=cum)[0]
                try:
                    name, town, scale = next(generators[kind.key])
                except StopIteration:
                    kinds.remove(kind)
                    cum = list(itertools.accumulate(k.weight for k in kinds))
                    continue
                if name in used_names:
                    continue
                used_names.add(name)
                sup = depts[kind.dept] if kind.dept else None
                self.add_unit(place, index, kind, town, name, scale, sup, used_orgs)
                made += 1

    def add_unit(
        self,
        place: _Place,
        place_index: int,
        kind: _Kind,
        town: str | None,
        name: str,
        scale: float,
        supervisor: int | None,
        used_orgs: set[str],
    ) -> int:
        rnd = self.rng.random
        lo, hi = kind.staff
        # Skewed towards small: most units of a kind are modest, a few are big.
        staff = max(10, min(3000, int((lo + (hi - lo) * rnd() ** 1.6) * scale)))
        while True:
            # Agencies' old organisation codes mostly start with 0, institutions' with 4.
            org8 = ("0" if kind.org == "11" else "4") + f"{int(rnd() * 10_000_000):07d}"
            if org8 not in used_orgs:
                used_orgs.add(org8)
                break
        code = _credit_code(kind.org + place.division, org8)
        roles = ["finance"] + [r for r in ("head", "canteen", "union") if rnd() < 0.45]
        contacts = [
            {"name": self.person(place.tibetan), "role": r, "phone": self.phone()} for r in roles
        ]
        sup_row = self.units[supervisor].row if supervisor is not None else None
        row = {
            "code": code,
            "name": name,
            "supervisor_code": sup_row["code"] if sup_row else None,
            "supervisor_name": sup_row["name"] if sup_row else "",
            "level": place.level,
            "division_code": place.division,
            "area_code": place.area_code,
            "specialist_id": place.specialist,
            "contacts": contacts,
            "staff_count": staff,
        }
        self.units.append(_Unit(row, place_index, kind.key, town, staff, kind.meal, kind.modes))
        return len(self.units) - 1

    def names(
        self, kind: _Kind, place: _Place, dept_names: dict[str, str]
    ) -> Iterator[tuple[str, str | None, float]]:
        """A kind's unit names at a place, most prominent first; some kinds never run out."""
        tcm = "藏医院" if place.tibetan > 0.5 else "中医院"
        d = dept_names.get(kind.dept or "", "")
        p = place.prefix
        towns = [t for t in place.towns if not t.endswith("街道")]
        streets = [t for t in place.towns if t.endswith("街道")]
        for stage in kind.stages:
            form = stage[0]
            if form == "one":
                for template in stage[1]:
                    yield template.format(p=p, tcm=tcm, d=d), None, stage[2]
            elif form in ("town", "street"):
                for t in towns if form == "town" else streets:
                    yield stage[1].format(p=p, t=t, ts=_town_short(t)), t, stage[2]
            elif form == "road":
                for r in place.roads:
                    yield stage[1].format(p=p, r=r), None, stage[2]
            elif form == "region":
                for rg in place.regions:
                    yield stage[1].format(d=d, rg=rg), None, stage[2]
            elif form == "village":
                lists = [(t, self.villages(place, t)) for t in towns]
                for i in range(max((len(v) for _t, v in lists), default=0)):
                    for t, villages in lists:
                        if i < len(villages):
                            yield stage[1].format(p=p, t=t, v=villages[i]), t, stage[2]
            elif form == "num":
                _form, template, first, last, scale = stage
                for number in range(first, last + 1):
                    yield template.format(p=p, n=_ordinal(number)), None, scale
            else:
                areas: list[tuple[str, str | None]] = [(t, t) for t in towns]
                areas += [(_town_short(t), t) for t in streets]
                areas += [(r, None) for r in place.more_areas or (*place.roads, *place.regions)]
                for number in itertools.count(1):
                    n = _ordinal(number)
                    for a, town in areas:
                        yield stage[1].format(p=p, d=d, a=a, n=n), town, stage[2]

    def villages(self, place: _Place, town: str) -> list[str]:
        if town not in place.villages:
            rng = self.rng
            if place.tibetan > 0.5:
                pool = [v + "村" for v in _VILLAGE_TIBETAN]
            else:
                pool = [h + t + "村" for h in _VILLAGE_HEAD for t in _VILLAGE_TAIL]
            place.villages[town] = rng.sample(pool, rng.randint(6, 14))
        return place.villages[town]

    # -- canteen modes and shared groups ----------------------------------------------------

    def assign_modes(self) -> None:
        rng = self.rng
        units = self.units
        groups: dict[tuple[int, str | None], list[int]] = {}
        local: dict[tuple[int, str | None], list[int]] = {}
        for i, u in enumerate(units):
            u.mode = rng.choices(_MODE_NAMES, u.modes)[0]
            small = u.staff < 15
            u.union = "none" if rng.random() < (0.45 if small else 0.12) else "independent"
            key = (u.place, u.town)
            local.setdefault(key, []).append(i)
            if u.mode == "shared":
                groups.setdefault(key, []).append(i)

        # The compound's canteen is run by the 机关事务 center or the government office; a
        # town's by the town government.
        def rank(i: int) -> int:
            u = units[i]
            if u.kind == "jiguan" or u.row["name"].endswith("机关事务服务中心"):
                return 0
            return {"gov": 1, "town_gov": 2}.get(u.kind, 3)

        for key, members in groups.items():
            rep = min(local[key], key=lambda i: (rank(i), i))
            if rank(rep) == 3:
                rep = members[0]
            others = [i for i in members if i != rep]
            if not others:
                units[rep].mode = "own"
                continue
            units[rep].mode = "shared"
            units[rep].representative = rep
            for i in others:
                units[i].representative = rep
                units[rep].group_staff += units[i].staff

    # -- which units get which problem ------------------------------------------------------

    def plant(self) -> None:
        rng = self.rng
        n = self.n
        units = self.units
        floor = 3 if n >= 200 else 0

        def pick(name: str, eligible: list[int], rate: float) -> set[int]:
            k = min(len(eligible), max(floor, round(rate * n)))
            chosen = set(rng.sample(eligible, k))
            self.planted[name] = chosen
            return chosen

        everyone = list(range(n))
        reps = {u.representative for u in units if u.representative is not None}
        # R5: a group whose representative has not filed, and a few members naming nobody.
        group_members: dict[int, list[int]] = {}
        for i, u in enumerate(units):
            if u.representative is not None and u.representative != i:
                group_members.setdefault(u.representative, []).append(i)
        lagging_reps: set[int] = set()
        target = max(floor, round(0.012 * n))
        covered = 0
        for rep in rng.sample(sorted(group_members), len(group_members)):
            if covered >= target:
                break
            lagging_reps.add(rep)
            covered += len(group_members[rep])
        members = [i for i, u in enumerate(units) if u.representative not in (None, i)]
        orphans = pick("R5_orphan", members, 0.003)
        self.planted["R5"] = lagging_reps | orphans
        unfiled = pick("R1", [i for i in everyone if i not in reps], 0.045)
        unfiled |= lagging_reps
        self.planted["R1"] = unfiled
        filed = [i for i in everyone if i not in unfiled]
        pick("R2", filed, 0.03)
        pick("R3", [i for i in everyone if units[i].mode in ("own", "outsourced")], 0.03)
        pick("R4", [i for i in everyone if units[i].mode == "outsourced"], 0.025)
        provincial = [i for i in everyone if units[i].row["level"] == "provincial"]
        for i in pick("R6", [i for i in provincial if i not in reps], 0.004):
            u = units[i]
            if u.representative is not None:
                units[u.representative].group_staff -= u.staff
            u.mode, u.representative = "none", None
        pick("R7", [i for i in everyone if units[i].union == "independent"], 0.03)
        reserves = [
            i
            for i in filed
            if units[i].mode in ("own", "outsourced")
            or units[i].representative == i
            or units[i].union == "independent"
        ]
        pick("R8", reserves, 0.03)
        laggards = pick("R9", filed, 0.05)
        pick("R10", everyone, 0.04)
        pick("R11", everyone, 0.10)
        # Shrinking a laggard's spend could undo an overspend, so the two stay apart.
        pick("R12", [i for i in everyone if units[i].staff <= 300 and i not in laggards], 0.02)
        pick("R13", everyone, 0.03)
        pick("R14", everyone, 0.05)
        # New units have no filing last year; those planted on R8 and representatives do.
        self.no_prev = {i for i in everyone if rng.random() < 0.07} - self.planted["R8"] - reps
        self.no_filing = {i for i in unfiled - lagging_reps if rng.random() < 0.3}

    # -- filings ----------------------------------------------------------------------------

    def build_filings(self) -> None:
        rng = self.rng
        ri = self.ri
        policy = self.policy
        units = self.units
        planted = self.planted
        ys = self.year_start
        prev_start = date(self.year - 1, 1, 1)
        deadline = (policy.deadlines.filing - ys).days
        confirm_by = (policy.deadlines.confirmation - ys).days
        dt = self.dt
        explained = set(rng.sample(range(self.n), round(self.n * 0.02)))
        for i, u in enumerate(units):
            row = u.row
            code = row["code"]
            mode = u.mode
            # The plan: what the unit files when it files at all.
            if mode in ("own", "outsourced") or u.representative == i:
                diners = u.staff * u.meal + u.group_staff
                total_yuan = diners * rng.uniform(1500, 3200)
                total_yuan = max(10_000.0, min(5_000_000.0, total_yuan))
                u.canteen_total = round(total_yuan / 100) * 10_000
                if i in planted["R3"]:
                    u.canteen_reserved = _share_below(u.canteen_total, rng.uniform(0.11, 0.149))
                else:
                    ratio = 0.15 + (
                        rng.uniform(0, 0.006) if rng.random() < 0.4 else rng.uniform(0.006, 0.15)
                    )
                    u.canteen_reserved = _share_at_least(u.canteen_total, ratio)
            if u.union == "independent":
                u.union_total = max(1000, round(u.staff * rng.uniform(150, 450) / 100) * 100) * 100
                if i in planted["R7"]:
                    u.union_reserved = _share_below(u.union_total, rng.uniform(0.05, 0.149))
                else:
                    u.union_reserved = _share_at_least(u.union_total, rng.uniform(0.15, 0.5))
            # The status as of today.
            status = "confirmed"
            submit_day = ri(9, deadline) if rng.random() < 0.93 else ri(deadline + 1, deadline + 30)
            if submit_day <= deadline:
                confirm_day = ri(submit_day, max(submit_day, min(confirm_by, submit_day + 7)))
            else:
                confirm_day = submit_day + ri(1, 10)
            submit_minute = ri(8 * 60 + 30, 18 * 60)
            confirm_minute = ri(8 * 60 + 30, 18 * 60)
            if confirm_day == submit_day:
                confirm_minute = max(confirm_minute, submit_minute + ri(10, 120))
            if i in planted["R1"]:
                r = rng.random()
                if r < 0.25 and dt > 10:
                    status = "returned"
                    submit_day = ri(9, min(dt - 1, deadline + 20))
                else:
                    status = "not_started" if r < 0.6 else "draft"
            elif submit_day > dt:
                status = "draft" if rng.random() < 0.6 else "not_started"
            elif i in planted["R2"] or confirm_day > dt:
                status = "submitted"
            u.status = status
            if i in self.no_filing:
                continue
            blank = status == "not_started"
            u.filed_reserved = 0 if blank else u.canteen_reserved + u.union_reserved
            filing = self.filing_row(
                code,
                self.year,
                status,
                None if blank else mode,
                None if blank else u.union,
                None if blank else u,
                i,
            )
            if status in ("submitted", "confirmed", "returned"):
                filing["submitted_at"] = _stamp(ys, submit_day * 1440 + submit_minute, ri(0, 59))
            if status == "confirmed":
                filing["confirmed_at"] = _stamp(ys, confirm_day * 1440 + confirm_minute, ri(0, 59))
            if i in planted["R8"] or i in explained:
                # A drop against last year: last year's filing is drawn above this one.
                filing["decline_explained"] = i in explained and i not in planted["R8"]
                if filing["decline_explained"]:
                    filing["decline_explanation"] = rng.choice(_DECLINE_REASONS)
            self.filings.append(filing)
            if i not in self.no_prev:
                self.filings.append(
                    self.previous_filing(u, i, prev_start, i in planted["R8"] or i in explained)
                )

    def filing_row(
        self,
        code: str,
        year: int,
        status: str,
        mode: str | None,
        union: str | None,
        u: _Unit | None,
        i: int,
    ) -> Row:
        rng = self.rng
        planted = self.planted
        row: Row = {
            "unit_code": code,
            "year": year,
            "status": status,
            "canteen_mode": mode,
            "union_mode": union,
            "submitted_at": None,
            "confirmed_at": None,
            "canteen_total": 0,
            "canteen_reserved": 0,
            "contractor": "",
            "contract_clause": False,
            "executor": "",
            "executor_account_opened": False,
            "representative_code": None,
            "no_canteen_letter": "not_required",
            "union_total": 0,
            "union_reserved": 0,
            "decline_explained": False,
            "decline_explanation": "",
        }
        if u is None:
            return row
        row["canteen_total"] = u.canteen_total
        row["canteen_reserved"] = u.canteen_reserved
        row["union_total"] = u.union_total
        row["union_reserved"] = u.union_reserved
        if mode == "outsourced":
            contractor = rng.choice(_CONTRACTOR_FORMS).format(w=rng.choice(_CONTRACTOR_WORDS))
            row["contractor"] = contractor
            row["contract_clause"] = True
            row["executor"] = contractor
            row["executor_account_opened"] = True
            if year == self.year and i in planted["R4"]:
                gap = rng.randrange(3)
                if gap == 0:
                    row["contract_clause"] = False
                elif gap == 1:
                    row["executor"] = ""
                    row["executor_account_opened"] = False
                else:
                    row["executor_account_opened"] = False
        elif mode == "shared":
            rep = u.representative
            orphan = year == self.year and i in planted["R5_orphan"]
            if rep is not None and not orphan:
                row["representative_code"] = self.units[rep].row["code"]
        elif mode == "none" and u.row["level"] == "provincial":
            letter = "verified"
            if year == self.year and i in planted["R6"]:
                letter = rng.choice(("missing", "submitted", "rejected"))
            row["no_canteen_letter"] = letter
        return row

    def previous_filing(self, u: _Unit, i: int, prev_start: date, declined: bool) -> Row:
        """Last year's filing: at or below this year's plan unless this year is a drop."""
        rng = self.rng
        ri = self.ri
        row = self.filing_row(u.row["code"], self.year - 1, "confirmed", u.mode, u.union, u, i)
        total, reserved = u.canteen_total, u.canteen_reserved
        union_total, union_reserved = u.union_total, u.union_reserved
        if declined:
            if reserved:
                total = round(total * rng.uniform(0.95, 1.2) / 10_000) * 10_000
                reserved = min(total, round(reserved * rng.uniform(1.1, 1.4) / 100) * 100)
            else:
                union_reserved = min(
                    union_total, union_reserved + max(100, union_reserved // 400 * 100)
                )
        else:
            if total:
                total = round(total * rng.uniform(0.8, 1.0) / 10_000) * 10_000
                # Never a higher share nor a higher amount than this year's.
                reserved = min(reserved, reserved * total // u.canteen_total // 100 * 100)
            if union_reserved:
                union_total = round(union_total * rng.uniform(0.8, 1.0) / 10_000) * 10_000
                union_reserved = min(
                    union_total, round(union_reserved * rng.uniform(0.7, 1.0) / 100) * 100
                )
        row["canteen_total"], row["canteen_reserved"] = total, reserved
        row["union_total"], row["union_reserved"] = union_total, union_reserved
        if row["no_canteen_letter"] != "not_required":
            row["no_canteen_letter"] = "verified"
        submit_day = ri(9, 58)
        submitted = submit_day * 1440 + ri(510, 1080)
        row["submitted_at"] = _stamp(prev_start, submitted, ri(0, 59))
        if rng.random() < 0.97:
            row["confirmed_at"] = _stamp(prev_start, submitted + ri(1, 9) * 1440, ri(0, 59))
        else:
            row["status"] = "submitted"
        return row

    # -- orders -----------------------------------------------------------------------------

    def build_orders(self) -> None:
        dt = min(self.dt, self.days_in_year - 1)
        if dt < 0:
            return
        rng = self.rng
        rnd = rng.random
        bits = rng.getrandbits
        policy = self.policy
        ys = self.year_start
        year = self.year
        units = self.units
        planted = self.planted
        limit = (dt + 1) * 1440  # first minute after today
        prefixes = [(ys + timedelta(days=d)).isoformat() + "T" for d in range(dt + 1)]
        suffixes = [f"{h:02d}:{m:02d}:00+08:00" for h in range(24) for m in range(60)]
        ts = [p + s for p in prefixes for s in suffixes]
        self.ts = ts
        self.limit = limit
        pools, fracs = self.day_pools(dt)
        # Tables of 1024 draws, indexed by getrandbits(10): cheaper than a draw per order.
        # Spread of single order amounts around a unit's average (mean 1).
        mults = [min(3.0, max(0.25, rng.lognormvariate(-0.125, 0.5))) for _ in range(1024)]

        def minutes(low: int, high: int) -> list[int]:
            return [rng.randint(low, high) for _ in range(1024)]

        pay_now = minutes(5, 245)
        # Most pay within hours; some wait up to three days for an approval.
        pay_first = [rng.randint(5, 245) if rng.random() < 0.6 else rng.randint(0, 4320)
                     for _ in range(1024)]  # fmt: skip
        deliver = minutes(2880, 8640)  # 2–6 days
        deliver_fast = minutes(1440, 4320)
        confirm = minutes(0, 10080)  # receipt confirmed, or auto-confirmed after 7 days
        confirm_fast = minutes(0, 2880)
        pay_later = minutes(1440, 28800)  # 1–20 days after delivery
        id_prefix = f"832-{year}-"
        # Times of day orders are placed: canteens 07:30–19:00, unions office hours, staff
        # from breakfast to bedtime.
        clocks = {
            part: [t0 + k * span // 1024 for k in range(1024)]
            for part, t0, span in (("canteen", 450, 690), ("union", 510, 600), ("staff", 420, 960))
        }
        elapsed = dt + 1
        pace = policy.pace_factor
        diy = self.days_in_year
        area_codes = [p[2] for p in _PREFECTURES] + [_PROVINCE_AREA]
        cap_per_head = policy.staff_allowance_fen
        orders = self.orders
        append = orders.append
        self.seq = rng.randrange(10_000, 90_000)
        r9, r10, r11, r12, r13 = (planted[r] for r in ("R9", "R10", "R11", "R12", "R13"))
        unpaid_days = policy.purchasing.unpaid_days
        # From a fortnight before the year-end window, specialists chase completion.
        rush = ((policy.year_end_window_start - ys).days - 15) * 1440
        for i, u in enumerate(units):
            row = u.row
            code = row["code"]
            home = row["area_code"]
            start = len(orders)
            u.orders_from = start
            seq = self.seq
            filed = u.status in ("submitted", "confirmed")
            if i in r9:
                m = rng.uniform(0.15, 0.55)
            elif filed:
                m = rng.uniform(1.2, 1.9)
            else:
                m = rng.uniform(0.3, 1.2)
            cap = cap_per_head * u.staff
            guard = i not in r12
            budget = int(cap * 0.85)
            canteen_target = u.canteen_reserved * m if u.canteen_total else 0.0
            union_target = min(u.union_reserved * rng.uniform(1.2, 1.8), cap * 0.6)
            staff_target = u.staff * rng.uniform(0, 6000) if rnd() < 0.6 else 0.0
            if i in r11:
                stray_rate = rng.uniform(0.1, 0.4)
                strays = [
                    "",
                    "",
                    rng.choice([a for a in area_codes if a[:4] != home[:4]]),
                    rng.choice([a for a in area_codes if a != home]),
                ]
            else:
                stray_rate = 0.0
                strays = [home]
            n_strays = len(strays)
            done = 0
            union_staff = 0
            for part, target in (
                ("canteen", canteen_target),
                ("union", union_target),
                ("staff", staff_target),
            ):
                if target <= 0:
                    continue
                yuan = target / 100
                if part == "canteen":
                    n_year = max(2, min(200, round(2 + math.sqrt(yuan) / 8)))
                elif part == "union":
                    n_year = max(1, min(16, round(1 + yuan / 2500)))
                else:
                    n_year = max(1, min(60, round(yuan / 180)))
                pool = pools[part]
                plen = len(pool)
                clock = clocks[part]
                frac = fracs[part]
                expected = n_year * frac
                count = int(expected)
                if rnd() < expected - count:
                    count += 1
                if not count:
                    continue
                avg = target * frac / count
                is_canteen = part == "canteen"
                for _ in range(count):
                    amount = int(avg * mults[bits(10)])
                    if amount < 5000:
                        amount = 5000 + bits(12)
                    elif amount > 5_000_000:
                        amount = 4_000_000 + bits(19)
                    if not is_canteen and guard:
                        if union_staff + amount > budget:
                            continue
                        union_staff += amount
                    placed = pool[int(rnd() * plen)] + clock[bits(10)]
                    paid = received = completed = None
                    r = rnd()
                    if r < 0.028:
                        status = "cancelled"
                    elif r < 0.04:
                        p = placed + pay_now[bits(10)]
                        if p < limit:
                            status = "refunded"
                            paid = ts[p]
                        else:
                            status = "cancelled"
                    elif placed >= rush:
                        # Near the year's end units pay at once and confirm receipt promptly,
                        # or the purchase will not count (notice 二(三)).
                        p = placed + pay_now[bits(10)]
                        rc = p + deliver_fast[bits(10)]
                        cm = rc + confirm_fast[bits(10)]
                        if cm < limit:
                            status = "completed"
                            paid, received, completed = ts[p], ts[rc], ts[cm]
                            done += amount
                        elif rc < limit:
                            status = "received"
                            paid, received = ts[p], ts[rc]
                        elif p + 720 < limit:
                            status = "shipped"
                            paid = ts[p]
                        elif p < limit:
                            status = "paid"
                            paid = ts[p]
                        else:
                            status = "pending_payment"
                    elif r < 0.8:
                        # Paid online at once or after a short approval, then delivered.
                        p = placed + pay_first[bits(10)]
                        rc = p + deliver[bits(10)]
                        cm = rc + confirm[bits(10)]
                        if cm < limit:
                            status = "completed"
                            paid, received, completed = ts[p], ts[rc], ts[cm]
                            done += amount
                        elif rc < limit:
                            status = "received"
                            paid, received = ts[p], ts[rc]
                        elif p + 720 < limit:
                            status = "shipped"
                            paid = ts[p]
                        elif p < limit:
                            status = "paid"
                            paid = ts[p]
                        else:
                            status = "pending_payment"
                    else:
                        # Delivered first, paid once the reimbursement is approved (≤ 26 days).
                        rc = placed + deliver[bits(10)]
                        p = rc + pay_later[bits(10)]
                        cm = p + confirm_fast[bits(10)]
                        if cm < limit:
                            status = "completed"
                            paid, received, completed = ts[p], ts[rc], ts[cm]
                            done += amount
                        elif p < limit:
                            status = "received"
                            paid, received = ts[p], ts[rc]
                        elif rc < limit:
                            status = "pending_payment"
                            received = ts[rc]
                        else:
                            status = "pending_payment"
                    if stray_rate and rnd() < stray_rate:
                        area = strays[int(rnd() * n_strays)]
                    else:
                        area = home
                    seq += 1 + bits(2)
                    append(
                        {
                            "id": f"{id_prefix}{seq:09d}",
                            "unit_code": code,
                            "year": year,
                            "placed_at": ts[placed],
                            "amount": amount,
                            "part": part,
                            "area_code": area,
                            "status": status,
                            "paid_at": paid,
                            "received_at": received,
                            "completed_at": completed,
                        }
                    )
            self.seq = seq
            # Deliberate problems first, then the pace: extras may complete and count.
            if i in r10 and dt > unpaid_days + 1:
                for _ in range(rng.randint(1, 3)):
                    day = dt - rng.randint(unpaid_days + 1, min(dt, unpaid_days + 120))
                    self.extra(code, day, home, rng.randint(20_000, 3_000_000), "canteen", "unpaid")
            if i in r12:
                over = int(cap * rng.uniform(1.1, 1.5)) - self.union_staff_spend(start)
                while over > 0:
                    amount = min(over + rng.randint(0, 50_000), rng.randint(2_000_000, 4_500_000))
                    part = rng.choice(("union", "union", "staff"))
                    done += self.extra(code, rng.randint(0, dt), home, amount, part, "auto")
                    over -= amount
            if i in r13:
                for _ in range(rng.randint(1, 2)):
                    self.extra(
                        code,
                        max(0, dt - rng.randint(0, 3)),
                        home,
                        rng.randint(20_000, 800_000),
                        "canteen",
                        "open",
                    )
            if i in r11 and not any(
                o["area_code"] != home and o["status"] not in ("cancelled", "refunded")
                for o in orders[start:]
            ):
                stray = next(
                    (o for o in orders[start:] if o["status"] not in ("cancelled", "refunded")),
                    None,
                )
                if stray is None:
                    done += self.extra(
                        code,
                        rng.randint(0, dt),
                        "",
                        rng.randint(10_000, 500_000),
                        "canteen",
                        "auto",
                    )
                else:
                    stray["area_code"] = ""
            reserved = u.filed_reserved
            need = -(-reserved * elapsed * pace.numerator // (diy * pace.denominator))
            if filed and reserved and need:
                if i in r9:
                    self.fall_behind(start, done, need)
                elif done < need * 1.05 and dt >= 12:
                    part = "canteen" if u.canteen_total else "union"
                    self.top_up(code, part, int(need * 1.08) - done, home, dt)
            u.orders_to = len(orders)

    def day_pools(self, dt: int) -> tuple[dict[str, list[int]], dict[str, float]]:
        """Midnights (in minutes) to draw order days from, weighted by when units buy.

        Festival windows are fixed month-day spans (春节 falls in late Jan or Feb): close enough
        for the pace of a demo year.
        """
        ys = self.year_start
        weights: dict[str, list[int]] = {"canteen": [], "union": [], "staff": []}
        for d in range(self.days_in_year):
            day = ys + timedelta(days=d)
            md = (day.month, day.day)
            weekend = day.weekday() >= 5
            festival = (
                (1, 20) <= md <= (2, 8)
                or (3, 1) <= md <= (3, 8)
                or (6, 1) <= md <= (6, 9)
                or (9, 5) <= md <= (9, 30)
                or md >= (12, 15)
            )
            # Canteens stock up before the year's last days: late orders risk not counting.
            holiday = (2, 9) <= md <= (2, 17) or (7, 15) <= md <= (8, 20) or md >= (12, 22)
            weights["canteen"].append((2 if weekend else 10) // (2 if holiday else 1))
            weights["union"].append(12 if festival else 1)
            weights["staff"].append((8 if festival else 3) + (2 if weekend else 0))
        pools: dict[str, list[int]] = {}
        fracs: dict[str, float] = {}
        for part, ws in weights.items():
            pools[part] = [d * 1440 for d in range(dt + 1) for _ in range(ws[d])]
            fracs[part] = sum(ws[: dt + 1]) / sum(ws)
        return pools, fracs

    def extra(self, code: str, day: int, area: str, amount: int, part: str, kind: str) -> int:
        """One order placed on purpose: "unpaid" (delivered, not paid), "open" (paid, on its
        way) or "auto" (whatever its age makes it). Returns the amount it adds to completed."""
        rng = self.rng
        ts = self.ts
        limit = self.limit
        placed = day * 1440 + rng.randint(480, 1140)
        placed = min(placed, limit - 30)
        paid = received = completed = None
        if kind == "unpaid":
            status = "pending_payment"
            rc = placed + rng.randint(2880, 8640)
            received = ts[rc] if rc < limit else None
        elif kind == "open":
            p = min(placed + rng.randint(5, 300), limit - 1)
            paid = ts[p]
            status = "shipped" if p + 720 < limit else "paid"
        else:
            p = placed + rng.randint(5, 600)
            rc = p + rng.randint(2880, 7200)
            cm = rc + rng.randint(60, 4320)
            if cm < limit:
                status, paid, received, completed = "completed", ts[p], ts[rc], ts[cm]
            elif p < limit:
                status, paid = "paid", ts[p]
            else:
                status = "pending_payment"
        self.seq += 1 + rng.getrandbits(2)
        self.orders.append(
            {
                "id": f"832-{self.year}-{self.seq:09d}",
                "unit_code": code,
                "year": self.year,
                "placed_at": ts[placed],
                "amount": amount,
                "part": part,
                "area_code": area,
                "status": status,
                "paid_at": paid,
                "received_at": received,
                "completed_at": completed,
            }
        )
        return amount if completed else 0

    def top_up(self, code: str, part: str, short: int, area: str, dt: int) -> None:
        """Completed orders old enough to be done, until the unit is on pace."""
        rng = self.rng
        while short > 0:
            amount = min(
                max(short, 5000) + rng.randint(0, 20_000), rng.randint(3_000_000, 5_000_000)
            )
            self.extra(code, rng.randint(0, dt - 12), area, amount, part, "auto")
            short -= amount

    def fall_behind(self, start: int, done: int, need: int) -> None:
        """Shrink a planted laggard's completed orders until it is clearly behind pace."""
        if done < need:
            return
        completed = [o for o in self.orders[start:] if o["status"] == "completed"]
        goal = need * self.rng.uniform(0.3, 0.7)
        factor = goal / done
        for o in completed:
            o["amount"] = max(5000, int(o["amount"] * factor))
        total = sum(o["amount"] for o in completed)
        for o in sorted(completed, key=lambda o: -o["amount"]):
            if total < need:
                break
            o["status"] = "refunded"
            o["completed_at"] = None
            total -= o["amount"]

    def union_staff_spend(self, start: int) -> int:
        return sum(
            o["amount"]
            for o in self.orders[start:]
            if o["part"] != "canteen" and o["status"] not in ("cancelled", "refunded")
        )

    # -- calls ------------------------------------------------------------------------------

    def build_calls(self) -> None:
        rng = self.rng
        rnd = rng.random
        ri = self.ri
        pick = self.pick
        dt = self.dt
        last_day = dt - 1
        first_day = max(0, dt - 365)
        if last_day < first_day:
            return
        ys = self.year_start
        planted = self.planted
        due = set(rng.sample(sorted(planted["R14"]), len(planted["R14"]) // 2))
        self.ticket_due = planted["R14"] - due
        topic_sets = [(planted[rule], topic) for rule, topic in _RULE_TOPICS]
        deadline = self.policy.deadlines.filing
        dl = f"{deadline.month}月{deadline.day}日"
        for i, u in enumerate(self.units):
            if i not in due and rnd() >= 0.3:
                continue
            code = u.row["code"]
            contacts = u.row["contacts"]
            # Calls are mostly about what is wrong with the unit.
            issues = [topic for units, topic in topic_sets if i in units]
            # One call a day at most, so the last in this list is also the latest.
            days = sorted({ri(first_day, last_day) for _ in range(ri(1, 3))})
            for k, day in enumerate(days):
                contact = contacts[int(rnd() * len(contacts))]
                topics = [pick(issues) if issues and rnd() < 0.7 else pick(_TOPICS)]
                if rnd() < 0.25 and (extra := pick(_TOPICS)) not in topics:
                    topics.append(extra)
                outcome = rng.choices(_OUTCOMES, cum_weights=_OUTCOME_CUM)[0]
                minute = day * 1440 + ri(540, 1050)
                second = ri(0, 59)
                if outcome in ("no_answer", "busy"):
                    duration, ended = 0, None
                    notes = "未接通，稍后再拨。" if outcome == "no_answer" else "对方占线。"
                    action = "再次拨打"
                else:
                    if outcome == "wrong_number":
                        duration = ri(15, 60)
                        role = _ROLE_LABELS[contact["role"]]
                        notes = f"号码错误，需向单位核实{role}联系人电话。"
                        action = "核实联系人电话"
                    else:
                        duration = ri(60, 1200)
                        notes = pick(_NOTES[topics[0]]).format(
                            c=contact["name"], y=self.year, dl=dl
                        )
                        action = _ACTIONS[topics[0]]
                    end = second + duration
                    ended = _stamp(ys, minute + end // 60, end % 60)
                follow: int | None = None
                if k == len(days) - 1:
                    if i in due:
                        follow = max(day, dt - ri(0, 20))
                    elif outcome != "resolved" and rnd() < 0.6:
                        follow = dt + ri(1, 45)
                elif outcome != "resolved" and rnd() < 0.5:
                    follow = min(days[k + 1], day + ri(1, 14))
                self.calls.append(
                    {
                        "id": _uuid(rng),
                        "unit_code": code,
                        "contact_name": contact["name"],
                        "contact_phone": contact["phone"],
                        "direction": "in" if rnd() < 0.22 else "out",
                        "started_at": _stamp(ys, minute, second),
                        "ended_at": ended,
                        "duration_s": duration,
                        "topics": topics,
                        "outcome": outcome,
                        "notes": notes,
                        "follow_up_on": None if follow is None else _day_iso(ys, follow),
                        "follow_up_action": "" if follow is None else action,
                        "author": u.row["specialist_id"],
                    }
                )

    # -- tickets ----------------------------------------------------------------------------

    def build_tickets(self) -> None:
        rng = self.rng
        ri = self.ri
        dt = self.dt
        if dt < 2:
            return
        ys = self.year_start
        policy = self.policy
        now = dt * 1440 + 1439  # the last minute of today
        overdue = self.ticket_due

        def office(day: int) -> int:
            return day * 1440 + ri(510, 1140)  # 08:30–19:00

        for i, u in enumerate(self.units):
            if i not in overdue and rng.random() >= 0.03:
                continue
            category, subject, description = rng.choice(_TICKETS)
            if i in overdue:
                priority = rng.choices(_PRIORITIES, cum_weights=_PRIORITY_CUM)[0]
                hours = policy.tickets.due_hours[TicketPriority(priority)]
                # Due before today began, however late in its day it was opened.
                last = (dt * 1440 - hours * 60 - 1141) // 1440
                if last < 0:
                    continue
                created = office(ri(max(0, last - 20), last))
                final = rng.choice(("open", "in_progress", "waiting"))
            elif rng.random() < 0.55:
                priority = rng.choices(_PRIORITIES, cum_weights=_PRIORITY_CUM)[0]
                hours = policy.tickets.due_hours[TicketPriority(priority)]
                created = office(ri(0, dt - 2))
                final = rng.choice(("resolved", "closed", "closed"))
            else:
                # Still being worked on and not yet due: a relaxed priority, a recent ticket.
                priority = rng.choice(("low", "normal"))
                hours = policy.tickets.due_hours[TicketPriority(priority)]
                earliest = (dt + 1) * 1440 - hours * 60
                created = max(earliest, office(ri(max(0, earliest // 1440), dt)))
                final = rng.choice(("open", "in_progress", "waiting"))
            author = u.row["specialist_id"]
            created_at = _stamp(ys, created)
            order_id = None
            if category in ("payment", "delivery", "quality", "after_sales", "invoice"):
                mine = self.orders[u.orders_from : u.orders_to]
                earlier = [o["id"] for o in mine if o["placed_at"] < created_at]
                if earlier:
                    order_id = rng.choice(earlier)
                    description += f"（订单号 {order_id}）"
            ticket_id = _uuid(rng)
            path = list(rng.choice(_TICKET_PATHS[final]))
            steps: list[tuple[str | None, str]] = [(status, "") for status in path]
            for _ in range(rng.choice((0, 0, 1, 2))):
                steps.insert(ri(0, len(steps)), (None, rng.choice(_TICKET_COMMENTS)))
            # Finished tickets were finished within a few days of falling due.
            days = dt - created // 1440
            if final in ("resolved", "closed"):
                days = min(days, hours // 24 + 3)
            times = sorted(max(created + 1, min(now, office(created // 1440 + ri(0, days))))
                           for _ in steps)  # fmt: skip
            events = [
                {
                    "id": _uuid(rng),
                    "ticket_id": ticket_id,
                    "at": created_at,
                    "author": author,
                    "kind": "created",
                    "from_status": None,
                    "to_status": "open",
                    "comment": "",
                }
            ]
            current = "open"
            for (target, comment), at in zip(steps, times, strict=True):
                events.append(
                    {
                        "id": _uuid(rng),
                        "ticket_id": ticket_id,
                        "at": _stamp(ys, at),
                        "author": author if rng.random() < 0.85 else _LEAD,
                        "kind": "comment" if target is None else "status",
                        "from_status": None if target is None else current,
                        "to_status": target,
                        "comment": comment,
                    }
                )
                current = target or current
            self.events.extend(events)
            self.tickets.append(
                {
                    "id": ticket_id,
                    "unit_code": u.row["code"],
                    "order_id": order_id,
                    "category": category,
                    "priority": priority,
                    "status": final,
                    "subject": subject,
                    "description": description,
                    "created_at": created_at,
                    "updated_at": events[-1]["at"],
                    "due_at": _stamp(ys, created + hours * 60),
                    "author": author,
                    "version": len(events),  # one for creating, one per change since
                }
            )


def _share_at_least(total: int, ratio: float) -> int:
    """Whole yuan, at least ``ratio`` and at least 15% of ``total`` fen, at most all of it."""
    reserved = math.ceil(total * ratio / 100) * 100
    while reserved * 20 < total * 3:
        reserved += 100
    return min(total, reserved)


def _share_below(total: int, ratio: float) -> int:
    """Whole yuan, strictly below 15% of ``total`` fen."""
    reserved = math.floor(total * ratio / 100) * 100
    while reserved * 20 >= total * 3 and reserved > 0:
        reserved -= 100
    return reserved
