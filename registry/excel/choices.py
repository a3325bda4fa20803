"""Choice columns of the ledger with the words real ledgers use for them."""

from core.excel.schema import ChoiceMap
from registry.choices import Category, Nature, ProjectLevel, Sector, YesNo

LEVEL = ChoiceMap(
    ProjectLevel,
    {
        "省级重点": ProjectLevel.PROVINCE,
        "省重点项目": ProjectLevel.PROVINCE,
        "省级": ProjectLevel.PROVINCE,
        "省": ProjectLevel.PROVINCE,
        "市级重点": ProjectLevel.CITY,
        "市重点项目": ProjectLevel.CITY,
        "市级": ProjectLevel.CITY,
        "市重大": ProjectLevel.CITY,
        "市": ProjectLevel.CITY,
        "县级重点": ProjectLevel.COUNTY,
        "县重点": ProjectLevel.COUNTY,
        "区重点": ProjectLevel.COUNTY,
        "县区级": ProjectLevel.COUNTY,
        "县级": ProjectLevel.COUNTY,
        "县区": ProjectLevel.COUNTY,
    },
)
NATURE = ChoiceMap(
    Nature,
    {
        "新建": Nature.NEW,
        "新开": Nature.NEW,
        "续建项目": Nature.CONTINUING,
        "预备": Nature.PREPARATORY,
        "前期项目": Nature.PREPARATORY,
        "储备项目": Nature.RESERVE,
    },
)
CATEGORY = ChoiceMap(
    Category,
    {
        "产业项目": Category.INDUSTRY,
        "产业类": Category.INDUSTRY,
        "基础设施类": Category.INFRASTRUCTURE,
        "基础设施项目": Category.INFRASTRUCTURE,
        "社会事业类": Category.SOCIAL,
        "民生": Category.SOCIAL,
        "城乡建设类": Category.URBAN,
        "城建": Category.URBAN,
        "生态环保类": Category.ECOLOGY,
        "生态": Category.ECOLOGY,
    },
)
SECTOR = ChoiceMap(
    Sector,
    {
        "第一产业": Sector.PRIMARY,
        "一产业": Sector.PRIMARY,
        "第二产业": Sector.SECONDARY,
        "二产业": Sector.SECONDARY,
        "第三产业": Sector.TERTIARY,
        "三产业": Sector.TERTIARY,
    },
)

# 是否入统/纳统: the words statistics lists use for yes and no.
REGISTERED = ChoiceMap(
    YesNo,
    {
        "已入统": YesNo.YES,
        "已纳统": YesNo.YES,
        "入统": YesNo.YES,
        "纳统": YesNo.YES,
        "√": YesNo.YES,
        "y": YesNo.YES,
        "未入统": YesNo.NO,
        "未纳统": YesNo.NO,
        "×": YesNo.NO,
        "n": YesNo.NO,
    },
)
LEDGER_CHOICES = {
    "level": LEVEL,
    "nature": NATURE,
    "category": CATEGORY,
    "sector": SECTOR,
    "stats_registered": REGISTERED,
}
