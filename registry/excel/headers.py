"""The ledger's column schema and header synonyms (core.excel.schema reads the headers)."""

from core.excel.schema import AREA, CHOICE, DATE, MONEY, SPAN, TEXT, Column, Schema

LEDGER_COLUMNS = [
    # Text: printed plans number their rows hierarchically (1.1, 一.2); the number is not kept.
    Column("seq", "序号", TEXT, ("序", "行号", "编码序号"), width=6),
    Column("code", "项目编号", TEXT, ("编号", "项目编码", "项目序号"), width=16),
    Column("name", "项目名称", TEXT, ("名称", "项目", "重点项目名称"), required=True, width=30),
    Column("level", "项目级别", CHOICE, ("级别", "项目层级", "项目等级"), width=10),
    Column(
        "region",
        "所属地区",
        TEXT,
        (
            "地区",
            "所属县区",
            "县区",
            "县(市、区)",
            "县(市区)",
            "县市区",
            "所在地区",
            "属地",
            "所属区县",
            "所在县区",
            "所属县(市、区)",
            "所在地",  # the published plan (计划表)
            "建设地点",
            "项目所在地",
        ),
        required=True,
        width=12,
    ),
    Column(
        "unit",
        "责任单位",
        TEXT,
        (
            "项目责任单位",
            "牵头单位",
            "主责单位",
            "责任部门",
            "牵头责任单位",
            "县区责任单位",
            "责任主体",
        ),
        required=True,
        width=18,
    ),
    Column(
        "leader",
        "分包领导",
        TEXT,
        (
            "包保领导",
            "分包市级领导",
            "包抓领导",
            "联系领导",
            "分包县级领导",
            "包联领导",
            "分包责任领导",
            "包保责任领导",
            "市级包保领导",
            "分包领导姓名",
        ),
        width=10,
    ),
    Column("nature", "建设性质", CHOICE, ("性质", "项目性质"), width=10),
    Column("category", "项目类别", CHOICE, ("类别", "类型", "项目类型", "项目分类"), width=10),
    Column("sector", "产业类别", CHOICE, ("产业", "所属产业", "三次产业", "产业分类"), width=10),
    Column(
        "scope",
        "建设内容及规模",
        TEXT,
        ("建设规模及内容", "建设内容", "主要建设内容", "建设内容和规模", "主要建设内容及规模"),
        width=40,
    ),
    Column("total_investment", "总投资(万元)", MONEY, ("计划总投资", "项目总投资"), width=14),
    Column(
        "annual_plan",
        "年度计划投资(万元)",
        MONEY,
        (
            "年度计划",
            "年计划投资",
            "本年计划投资",
            "年度投资计划",
            "计划投资",
            "年度计划完成投资",
            "本年度计划投资",
            "年度投资",
        ),
        width=14,
    ),
    Column(
        "planned_start",
        "计划开工时间",
        DATE,
        ("开工时间", "计划开工日期", "开工日期", "计划开工", "开工年月", "计划开工年月"),
        width=12,
    ),
    Column(
        "planned_finish",
        "计划竣工时间",
        DATE,
        (
            "竣工时间",
            "计划竣工日期",
            "竣工日期",
            "计划完工时间",
            "计划竣工",
            "竣工年月",
            "计划竣工年月",
        ),
        width=12,
    ),
    Column(
        "owner",
        "项目业主",
        TEXT,
        ("业主单位", "建设单位", "业主", "项目单位", "项目建设单位", "项目业主单位"),
        width=20,
    ),
    Column("contact", "联系人", TEXT, ("项目联系人",), width=10),
    Column("phone", "联系电话", TEXT, ("电话", "联系方式", "手机"), width=14),
    Column("land_area", "用地面积(亩)", AREA, ("需用地面积", "占地面积", "用地"), width=12),
    Column("note", "备注", TEXT, ("说明",), width=20),
    # 入统/纳统 (SPEC §3.1): blank cells leave what the system holds.
    Column(
        "stats_registered",
        "是否入统",
        CHOICE,
        ("是否纳统", "入统情况", "纳统情况", "是否已入统", "是否已纳统", "入统"),
        width=8,
    ),
    Column("stats_registered_on", "入统时间", DATE, ("纳统时间", "入统日期", "纳统日期"), width=12),
    Column("stats_code", "统计代码", TEXT, ("统计库代码", "入统代码", "项目统计代码"), width=16),
]

# Read on import but not written to the template or the export: the published plan's
# columns.
PLAN_COLUMNS = [
    Column(
        "invested_before_year",
        "至上年底累计完成投资(万元)",
        MONEY,
        (
            "截至上年底累计完成投资",
            "至上年底累计完成",
            "至上年末累计完成投资",
            "截至上年底完成投资",
            "至上年底完成投资",
            "开工至上年底累计完成投资",
        ),
        width=14,
    ),
    Column(
        "years_span",
        "建设起止年限",
        SPAN,
        ("建设年限", "起止年限", "建设起止年份", "建设期限", "建设起止时间"),
        width=12,
    ),
]

LEDGER = Schema("ledger", LEDGER_COLUMNS + PLAN_COLUMNS, key_columns=("name",))
