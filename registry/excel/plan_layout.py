"""The published plan (计划表) as cities adopt and print it, read without hand edits.

Such a file has no 项目编号 and often no 责任单位; the location is 所在地; one 建设起止年限
column ("2024-2026", "2025～2027年") stands for the two planned dates; the unit (亿元) sits in
a title row; heading rows group the projects by category ("一、产业项目（12项）"); the level
is in the title ("2026年XX市市级重点建设项目计划表"). This module reads those parts; the
ledger import applies them to rows that do not say otherwise:

- 项目类别 from the group heading above the row;
- 项目级别 from the title, else the default chosen on the import form (`--level`);
- 建设性质 from the start year against the list year (earlier → 续建, same or later → 新开工);
- 计划开工/竣工时间 from 建设起止年限: its months where it gives them ("2025.03-2027.12",
  "2026年3月至2028年6月"), else 1 January of the first year and 31 December of the last.
"""

import re

from core.excel import values
from core.excel.schema import normalise
from core.excel.values import span_dates
from registry.choices import Category, Nature, ProjectLevel
from registry.excel.choices import CATEGORY

_YEARS = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_NUMBERING = re.compile(r"^[(（]?([一二三四五六七八九十百]+|\d+|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+)[)）]?[、.．)）]?")
_TITLE_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?")
_COUNT = re.compile(r"[(（][^)）]*[)）]$")
_TITLE_LEVELS = (
    ("省级", ProjectLevel.PROVINCE),
    ("省重点", ProjectLevel.PROVINCE),
    ("市级", ProjectLevel.CITY),
    ("市重点", ProjectLevel.CITY),
    ("县级", ProjectLevel.COUNTY),
    ("区级", ProjectLevel.COUNTY),
    ("县区重点", ProjectLevel.COUNTY),
    ("县重点", ProjectLevel.COUNTY),
    ("区重点", ProjectLevel.COUNTY),
)
# Words cities use in group headings for the five categories of SPEC §3.1 (checked in this
# order, so 基础设施 wins over 产业 in "产业园区基础设施"): a heading naming one of them
# gives its rows' 项目类别.
_HEADING_CATEGORIES = (
    (("生态", "环保", "环境治理", "污染防治", "水环境"), Category.ECOLOGY),
    (("基础设施", "交通", "水利", "能源", "电力", "市政", "新基建"), Category.INFRASTRUCTURE),
    (("社会事业", "民生", "教育", "卫生", "医疗", "文化", "体育", "养老"), Category.SOCIAL),
    (("城乡建设", "城市建设", "城镇建设", "城市更新", "城建", "乡村振兴", "安居"), Category.URBAN),
    (("产业", "工业", "制造", "服务业", "农业", "文旅", "旅游", "商贸", "物流"), Category.INDUSTRY),
)
# Plans grouped by nature instead ("一、续建项目（30项）", "二、新开工项目").
_HEADING_NATURES = (
    ("续建", Nature.CONTINUING),
    ("新开工", Nature.NEW),
    ("新建", Nature.NEW),
    ("预备", Nature.PREPARATORY),
    ("前期", Nature.PREPARATORY),
)


def level_from_title(texts) -> str | None:
    """The list's level from its title rows ('…市级重点建设项目计划表' → 市重点)."""
    for text in texts:
        # "临江县2026年重点建设项目计划" says 县重点 once the year is out of the way
        t = _TITLE_YEAR.sub("", normalise(text))
        if "重点" not in t and "项目" not in t:
            continue
        for word, level in _TITLE_LEVELS:
            if word in t:
                return level
    return None


def _heading_words(text) -> str:
    t = normalise(values.to_text(text))
    t = _NUMBERING.sub("", t)
    return _COUNT.sub("", t).strip()


def category_of_heading(text) -> str | None:
    """'一、产业项目（12项）' → 产业; '（二）交通基础设施' → 基础设施; None if not a category."""
    t = _heading_words(text)
    for candidate in (t, t.removesuffix("项目"), t.removesuffix("类"), t.removesuffix("项目类")):
        if candidate and candidate in CATEGORY:
            return CATEGORY[candidate]
    for words, category in _HEADING_CATEGORIES:
        if any(w in t for w in words):
            return category
    return None


def nature_of_heading(text) -> str | None:
    """'一、续建项目（30项）' → 续建; '二、新开工项目' → 新开工; None otherwise."""
    t = _heading_words(text)
    for word, nature in _HEADING_NATURES:
        if word in t:
            return nature
    return None


def _headings(group) -> tuple:
    """The headings above a row, outermost first (a single heading may come as a string)."""
    if not group:
        return ()
    return (group,) if isinstance(group, str) else tuple(group)


def _innermost(headings, read):
    for text in reversed(headings):
        found = read(text)
        if found:
            return found
    return None


def nature_for(start_year: int | None, list_year: int) -> str | None:
    if start_year is None:
        return None
    return Nature.CONTINUING if start_year < list_year else Nature.NEW


def fill_defaults(
    vals: dict, *, group, list_year: int, level: str | None, context: tuple = ()
) -> None:
    """Fill what a published-plan row leaves out; what the row says always wins. `group` is
    the headings above the row, outermost first: the innermost naming a category gives
    项目类别, the innermost naming a nature (续建/新开工/预备) gives 建设性质. `context` is the
    sheet's name and title rows, which count as headings above all others (a county prints
    its 续建 and 新开工 projects on two sheets, the nature only in their names and titles)."""
    headings = (*context, *_headings(group))
    span = vals.pop("years_span", None)
    if span is not None:
        start, finish = span
        first, last = span_dates(start, finish)
        if vals.get("planned_start") is None:
            vals["planned_start"] = first
        if vals.get("planned_finish") is None:
            vals["planned_finish"] = last
    if not vals.get("category") and headings:
        vals["category"] = _innermost(headings, category_of_heading)
    if not vals.get("level") and level:
        vals["level"] = level
    if not vals.get("nature") and headings:
        vals["nature"] = _innermost(headings, nature_of_heading)
    if not vals.get("nature"):
        start = vals.get("planned_start")
        vals["nature"] = nature_for(start.year if start else None, list_year)
