"""The ledger export and the blank import templates (SPEC §3.4 sheet conventions: title
row, units in headers, frozen header, number formats), written with the one workbook engine
(core.excel.workbook), so a cell the system writes never becomes a formula (SPEC §5). The
export reads back through the importer unchanged: same headers, same labels, real date
cells, money to the cent.
"""

from core.excel.schema import Column
from core.excel.workbook import Workbook
from registry.excel.choices import LEDGER_CHOICES
from registry.excel.headers import LEDGER_COLUMNS

TEMPLATE_ROWS = 2000  # validation lists cover this many data rows in a blank template


def template_sheet(book, name, title, columns):
    """Title row merged across the columns, header row, widths and frozen panes (C3)."""
    return book.sheet(
        name,
        title=title,
        columns=[(c.label, c.width + 2) for c in columns],
        kinds=[c.kind for c in columns],
        freeze_cols=2,
    )


def _validations(sheet, columns, last_row):
    for j, col in enumerate(columns):
        choices = LEDGER_CHOICES.get(col.key)
        if choices:
            sheet.list_validation(j, choices.values_labels, col.label, last_row)


# What one ledger row reads: plain values, not model instances (20,000 instances with their
# region, unit, leader and package cost more than writing them).
LEDGER_FIELDS = (
    "pk", "year", "code", "name", "level", "region__name", "unit__name", "leader__name",
    "nature", "category", "sector", "scope", "total_investment", "planned_start",
    "planned_finish", "owner", "contact", "phone", "note", "stats_registered",
    "stats_registered_on", "stats_code", "is_package", "package_id", "package__code",
)  # fmt: skip


def _choice_labels():
    from registry.models import Project

    fields = ("level", "nature", "category", "sector")
    return {f: dict(Project._meta.get_field(f).flatchoices) for f in fields}


def ledger_rows(projects, plans, lands, year=None, *, with_rows=False):
    """Template-ordered values of each project row (a dict of LEDGER_FIELDS): labels for
    choices, names for links. `plans` maps (project id, year) to the planned investment and
    `lands` project id to the land area (registry.selectors.ledger_factors)."""
    labels = _choice_labels()
    level, nature = labels["level"], labels["nature"]
    category, sector = labels["category"], labels["sector"]
    for i, p in enumerate(projects, start=1):
        values = [
            i,
            p["code"],
            p["name"],
            level.get(p["level"], p["level"]),
            p["region__name"],
            p["unit__name"],
            p["leader__name"],
            nature.get(p["nature"], p["nature"]),
            category.get(p["category"], p["category"]),
            sector.get(p["sector"], p["sector"]),
            p["scope"] or None,
            p["total_investment"],
            plans.get((p["pk"], year or p["year"])),
            p["planned_start"],
            p["planned_finish"],
            p["owner"] or None,
            p["contact"] or None,
            p["phone"] or None,
            lands.get(p["pk"]),
            p["note"] or None,
            "是" if p["stats_registered"] else "否",
            p["stats_registered_on"],
            p["stats_code"] or None,
            package_mark(p),
        ]
        yield (p, values) if with_rows else values


# Export-only column after the template's (the importer ignores it): SPEC §3.1 wants package
# and sub-project rows marked, since a package's own figures are not added into the totals.
PACKAGE_COLUMN = Column("package_mark", "打包情况", width=22)
EXPORT_COLUMNS = [*LEDGER_COLUMNS, PACKAGE_COLUMN]


def package_mark(row):
    if row["is_package"]:
        return "打包项目（不计入合计）"
    if row["package_id"]:
        return f"子项目（{row['package__code']}）" if row["package__code"] else "子项目"
    return None


def _totals_values(totals):
    """The 合计 row: figures handed in by the caller (the one source of numbers), never
    summed here. Its first cell says 合计, so importing the export skips it."""
    keys = [c.key for c in EXPORT_COLUMNS]
    values = [None] * len(keys)
    values[0] = "合计"
    values[keys.index("name")] = totals["label"]
    values[keys.index("total_investment")] = totals["total_investment"]
    values[keys.index("annual_plan")] = totals["annual_plan"]
    progress = totals.get("progress")
    if progress is not None:
        values += [progress["ytd"], progress["completion_rate"]]
    return values


def _progress_columns(totals):
    """The period's 1-M月累计完成投资 and 完成率 columns (export-only, after 打包情况; the
    importer ignores them), when the caller hands them in with the 合计 row."""
    progress = (totals or {}).get("progress")
    if progress is None:
        return [], None
    return [(label, 20) for label in progress["headers"]], progress["rows"]


# Identifiers that look like numbers keep the text format ("@"), so a 电话 or 编号 typed
# into the exported sheet stays text; other text cells need none, and leaving it off saves a
# tenth of a city's export time (an attribute on 300,000 cells).
TEXT_KEPT = ("code", "phone", "stats_code")


def _export_kind(column):
    return None if column.kind == "text" and column.key not in TEXT_KEPT else column.kind


def write_ledger(projects, plans, lands, *, year=None, title=None, totals=None, tick=None):
    """The ledger as the template reads it, plus the 打包情况 mark and, when `totals` is
    given ({"label", "total_investment", "annual_plan"}), a closing 合计 row; with its
    optional "progress" ({"headers", "rows": {pk: (ytd, rate)}, "ytd", "completion_rate"})
    two more columns. `projects`
    are rows of LEDGER_FIELDS (an iterator is fine: rows stream through); `tick()` is
    called after each row (an export job's progress)."""
    title = title or (f"{year}年重点项目台账" if year else "重点项目台账")
    extra, by_project = _progress_columns(totals)
    book = Workbook()
    sheet = book.sheet(
        "台账",
        title=title,
        columns=[(c.label, c.width + 2) for c in EXPORT_COLUMNS] + extra,
        kinds=[_export_kind(c) for c in EXPORT_COLUMNS] + ["money"] * len(extra),
        freeze_cols=2,
    )
    for p, values in ledger_rows(projects, plans, lands, year, with_rows=True):
        if by_project is not None:
            values += by_project.get(p["pk"], (None, None))
        sheet.append(values)
        if tick is not None:
            tick()
    _validations(sheet, LEDGER_COLUMNS, max(sheet.data_rows + 2, 3))
    sheet.autofilter()
    if totals is not None:
        sheet.append(_totals_values(totals), bold=True)
    return book.close()


LEDGER_NOTES = [
    ("项目编号", "已有项目请保留原编号；新项目可留空，导入时自动生成编号"),
    ("项目名称", "必填。没有项目编号时，按“项目名称＋所属地区”匹配已有项目"),
    ("项目级别", "从下拉列表选择：" + "、".join(LEDGER_CHOICES["level"].values_labels)),
    ("所属地区", "必填，填写系统中的县区或乡镇名称（如“{region}”）"),
    ("责任单位", "必填，填写系统中的单位全称"),
    ("分包领导", "填写领导姓名"),
    ("建设性质", "从下拉列表选择：" + "、".join(LEDGER_CHOICES["nature"].values_labels)),
    ("项目类别", "从下拉列表选择：" + "、".join(LEDGER_CHOICES["category"].values_labels)),
    ("产业类别", "从下拉列表选择：" + "、".join(LEDGER_CHOICES["sector"].values_labels)),
    ("总投资(万元)", "数字，单位万元；表头写“总投资(亿元)”时按亿元换算"),
    ("年度计划投资(万元)", "数字，单位万元，写入导入年度的年度计划"),
    ("计划开工时间", "日期，如 2026-03-15、2026年3月、2026.3"),
    ("计划竣工时间", "日期，格式同上"),
    ("用地面积(亩)", "数字，单位亩"),
    (
        "是否入统、入统时间、统计代码",
        "可选：项目开工后纳入固定资产投资统计库的情况（是/否）；留空表示不修改系统中的记录",
    ),
    ("合计/小计行", "可保留，导入时自动跳过；空行也会跳过"),
    ("多个工作表", "每个工作表都会导入（如按级别或地区分表），表头可在标题行下方"),
    ("出错时", "任何一行有错误时整个文件都不导入，请按提示的工作表、行号和列名修改后重新上传"),
]


def notes_sheet(book, title, notes):
    sheet = book.sheet("填写说明", title=title, columns=[("列名", 22), ("填写要求", 80)],
                       freeze=False, merge_title=False, header_height=None)  # fmt: skip
    for item in notes:
        sheet.append(item)


def example_region() -> str:
    """A county of this city for the instructions' example (a real name reads better)."""
    from registry.models import Region

    county = Region.objects.filter(parent__isnull=False, parent__parent__isnull=True)
    name = county.order_by("code").values_list("name", flat=True).first()
    return name or "临江县"


def ledger_template(year):
    book = Workbook()
    sheet = template_sheet(book, "台账", f"{year}年重点项目台账", LEDGER_COLUMNS)
    sheet.append([None] * len(LEDGER_COLUMNS), pad=True)
    _validations(sheet, LEDGER_COLUMNS, TEMPLATE_ROWS)
    region = example_region()
    notes = [(column, text.replace("{region}", region)) for column, text in LEDGER_NOTES]
    notes_sheet(book, "台账导入模板填写说明", notes)
    return book.close()
