"""The demo city's names and sizes: regions, units, leaders, programs and project names."""

import random
from decimal import ROUND_HALF_UP, Decimal

from registry.choices import Category, Sector, UnitKind

CENT = Decimal("0.01")
DEMO_PASSWORD = "Demo@2026"
# Per 120 projects: 163.5亿元 total investment, 85.4亿元 annual plan (in 万元).
TOTAL_PER_120 = Decimal("1635000")
PLAN_PER_120 = Decimal("854000")

CITY = ("江州市", "360800", "JZ")
COUNTIES = [
    ("江州区", "360802", "JZQ"),
    ("青山区", "360803", "QSQ"),
    ("临江县", "360821", "LJX"),
    ("永丰县", "360822", "YFX"),
    ("石门县", "360823", "SMX"),
    ("安平县", "360824", "APX"),
    ("清河县", "360825", "QHX"),
    ("江州经开区", "360871", "JKQ"),
]
# Province scale (seed_demo --cities 10): 江州市 and nine more cities under one 省.
PROVINCE = ("江右省", "360000")
CITIES = [
    ("清江市", "360100", "QJ"),
    ("云山市", "360200", "YS"),
    ("白沙市", "360300", "BS"),
    ("龙泉市", "360400", "LQ"),
    ("金溪市", "360500", "JX"),
    ("桃源市", "360600", "TY"),
    ("新丰市", "360700", "XF"),
    ("长宁市", "360900", "CN"),
    ("宁远市", "361000", "NY"),
]
OTHER_COUNTIES = ["东区", "西区", "北山县", "南湖县", "东乡县", "西岭县", "河口县", "经开区"]
TOWN_SUFFIXES = ["城关镇", "新安镇", "东湖街道"]
CITY_UNITS = [
    "市发展和改革委员会",
    "市交通运输局",
    "市住房和城乡建设局",
    "市工业和信息化局",
    "市教育局",
    "市卫生健康委员会",
    "市水利局",
    "市生态环境局",
]
COUNTY_UNIT_KINDS = [
    ("{c}发展和改革局", UnitKind.DEPARTMENT),
    ("{c}住房和城乡建设局", UnitKind.DEPARTMENT),
    ("{c}产业园区管委会", UnitKind.PARK),
]
CITY_LEADERS = [
    ("周建国", "市长"),
    ("李文华", "常务副市长"),
    ("王海涛", "副市长"),
    ("陈晓燕", "副市长"),
    ("刘志强", "副市长"),
    ("赵明辉", "副市长"),
    ("孙立新", "市委常委、秘书长"),
    ("黄振宇", "市政府党组成员"),
]
SURNAMES = "张王李赵刘陈杨黄吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志新宏亮红波辉鹏飞斌"
COUNTY_POSTS = ["县（区）长", "常务副县（区）长", "副县（区）长", "副县（区）长"]
PROGRAMS = ["四个一百", "市重大产业项目", "招商引资"]

NAME_PARTS = {
    Category.INDUSTRY: (
        [
            "新能源电池",
            "智能装备制造",
            "电子信息产业园",
            "新材料",
            "生物医药",
            "食品精深加工",
            "汽车零部件",
            "光伏组件",
        ],
        ["项目", "产业园项目", "生产基地项目", "扩能改造项目"],
    ),
    Category.INFRASTRUCTURE: (
        [
            "国道改建",
            "城区快速路",
            "物流园",
            "220千伏变电站",
            "供水管网",
            "高铁站前广场",
            "综合管廊",
            "县乡公路提质",
        ],
        ["工程", "项目", "一期工程", "建设项目"],
    ),
    Category.SOCIAL: (
        [
            "人民医院新院区",
            "第一中学扩建",
            "职业技术学院",
            "妇幼保健院",
            "养老服务中心",
            "体育中心",
            "文化艺术中心",
        ],
        ["项目", "建设项目", "工程"],
    ),
    Category.URBAN: (
        ["老旧小区改造", "城中村改造", "保障性住房", "历史街区更新", "智慧停车", "城市公园"],
        ["项目", "工程", "（二期）项目"],
    ),
    Category.ECOLOGY: (
        [
            "污水处理厂提标",
            "流域综合治理",
            "垃圾焚烧发电",
            "湿地公园",
            "矿山生态修复",
            "高标准农田",
        ],
        ["项目", "工程", "示范项目"],
    ),
}
SECTOR_BY_CATEGORY = {
    Category.INDUSTRY: Sector.SECONDARY,
    Category.INFRASTRUCTURE: Sector.TERTIARY,
    Category.SOCIAL: Sector.TERTIARY,
    Category.URBAN: Sector.TERTIARY,
    Category.ECOLOGY: Sector.PRIMARY,
}


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
