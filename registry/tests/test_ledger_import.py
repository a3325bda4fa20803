"""Ledger import service (SPEC §4.3): messy files, errors, atomicity, idempotency."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import audit_rows, login
from registry.choices import Category, Nature, ProjectLevel
from registry.ledger_import import ledger_import
from registry.models import AnnualPlan, ContractAssignment, Land, Leader, Project, Region, Unit
from registry.tests.factories import LeaderFactory, ProjectFactory
from registry.tests.fixtures.workbooks import messy_ledger, row, simple_ledger

pytestmark = pytest.mark.django_db

D = Decimal


def snapshot():
    """Everything an import may touch, to prove a run changed nothing."""
    return (
        list(Project.all_objects.order_by("pk").values()),
        list(AnnualPlan.objects.order_by("pk").values()),
        list(Land.objects.order_by("pk").values()),
        list(Region.objects.order_by("pk").values()),
        list(Unit.objects.order_by("pk").values()),
        list(Leader.objects.order_by("pk").values()),
        list(ContractAssignment.objects.order_by("pk").values()),
        Project.history.count(),
        AnnualPlan.history.count(),
        Land.history.count(),
    )


@pytest.fixture
def wang(city):
    return LeaderFactory(name="王副县长", region=city.county_a)


def test_messy_workbook_imports_every_sheet_to_the_cent(city, wang):
    # given a three-sheet ledger with titles, synonyms, 亿元, text numbers and every date form
    data = messy_ledger()

    # when
    result = ledger_import(data, file_name="messy.xlsx", dry_run=False)

    # then
    assert result.errors == []
    assert result.applied
    assert result.year == 2026  # from the title row
    assert len(result.new) == 5 and result.unchanged == 0
    p1 = Project.objects.get(code="2026-SZ-0001")
    assert p1.name == "甲县新材料产业园"
    assert p1.level == ProjectLevel.PROVINCE
    assert p1.region == city.county_a and p1.unit == city.unit_a and p1.leader == wang
    assert p1.total_investment == D("35000.00")  # 3.5 亿元
    assert p1.planned_start == datetime.date(2026, 3, 1)  # "2026.3"
    assert p1.planned_finish == datetime.date(2027, 12, 1)  # "2027年12月"
    assert p1.phone == "13912345678"
    assert p1.owner == "甲材料公司" and p1.contact == "李四" and p1.note == "重点推进"
    assert p1.annual_plans.get(year=2026).planned_investment == D("1234.56")  # "1,234.56"
    assert p1.land.required_area == D("120.50")

    p2 = Project.objects.get(name="乙区智慧物流园")
    # generated in the pattern of 乙区's existing codes (the fixture's 2026-TS-…)
    used = Project.all_objects.exclude(pk=p2.pk).values_list("code", flat=True)
    last = max(int(c.rsplit("-", 1)[1]) for c in used if c.startswith("2026-TS-"))
    assert p2.code == f"2026-TS-{last + 1:04d}"
    assert p2.level == ProjectLevel.PROVINCE  # 省级重点
    assert p2.total_investment == D("1234.56")  # 0.123456 亿元
    assert p2.annual_plans.get(year=2026).planned_investment == D("2000.00")  # full-width
    assert p2.planned_start == datetime.date(2026, 3, 15)
    assert p2.planned_finish == datetime.date(2028, 6, 30)  # a real date cell
    assert p2.leader is None and not Land.objects.filter(project=p2).exists()

    p3 = Project.objects.get(code="2026-SZ-0002")
    assert p3.region == city.town_a
    assert p3.total_investment == D("12345.68")  # "12,345.678" rounded half up
    assert p3.planned_start == datetime.date(2026, 3, 1)  # Excel serial 46082
    assert p3.planned_finish == datetime.date(2026, 12, 31)  # 2026年12月31日
    assert p3.nature == Nature.PREPARATORY and p3.category == Category.ECOLOGY
    assert p3.land.required_area == D("8.00")

    p4 = Project.objects.get(code="2026-SZ-0003")
    assert p4.region == city.county_b  # "乙" without its suffix
    assert p4.total_investment == D("800.00")
    assert p4.planned_start == datetime.date(2026, 3, 1)  # 2026年3月
    assert p4.planned_finish == datetime.date(2026, 12, 31)  # serial as float
    assert p4.annual_plans.get(year=2026).planned_investment == D("100.50")

    p5 = Project.objects.get(code="2026-SZ-0004")
    assert p5.total_investment == D("5600.00")  # 56,000,000 元
    assert p5.planned_start == datetime.date(2025, 5, 1)  # datetime cell
    assert p5.planned_finish == datetime.date(2026, 10, 1)  # "2026-10"

    # audit: one history row per new project, with the reason; 五个一 record opened
    assert Project.history.filter(history_change_reason__startswith="台账导入").count() == 5
    assert ContractAssignment.objects.filter(project=p1, end_on__isnull=True).count() == 1


def test_reimport_changes_nothing(city, wang):
    # given an imported messy ledger
    data = messy_ledger()
    ledger_import(data, file_name="messy.xlsx", dry_run=False)
    before = snapshot()

    # when the same file comes again
    result = ledger_import(data, file_name="messy.xlsx", dry_run=False)

    # then every row is unchanged and nothing at all was written (no history either)
    assert result.errors == []
    assert (len(result.new), len(result.changed), result.unchanged) == (0, 0, 5)
    assert snapshot() == before


def test_one_bad_row_writes_nothing_and_names_sheet_row_and_column(city):
    # given a good row and a row with an unreadable amount on Excel row 4
    data = simple_ledger([row(name="好项目"), row(name="坏项目", total="约3亿")])
    before = snapshot()

    # when
    result = ledger_import(data, file_name="bad.xlsx", dry_run=False)

    # then
    assert result.errors == ["Sheet1 第4行 总投资(万元): 不是数字 “约3亿”"]
    assert not result.applied
    assert snapshot() == before


def test_dry_run_reports_new_changed_unchanged_with_field_differences(city):
    # given one existing project changed in the file, one unchanged, one new
    a = city.project_a
    leader = a.leader
    rows = [
        row(code=a.code, name=a.name, region="甲县", unit="甲县发改局", leader=leader.name,
            level="市重点", 建设性质="续建", 项目类别="产业", 产业类别="二产", total=12000,
            start="2026-03-01", finish="2027-12-31", 建设内容及规模="", 项目业主="",
            联系人="", phone="", plan=1200, land=None),
        row(code="2026-NEW-1", name="全新项目"),
    ]  # fmt: skip
    before = snapshot()

    # when
    result = ledger_import(simple_ledger(rows), file_name="x.xlsx", dry_run=True)

    # then nothing is written, and the preview says what would change
    assert snapshot() == before
    assert result.errors == []
    assert [n["code"] for n in result.new] == ["2026-NEW-1"]
    assert len(result.changed) == 1
    assert result.changed[0]["changes"] == [["总投资(万元)", "10000.00", "12000.00"]]


def test_match_by_name_and_region_when_code_is_blank(city):
    # given the file names an existing project without its code
    p = city.project_b
    rows = [row(code="", name=p.name, region="乙区", unit="乙区住建局", leader=p.leader.name,
                建设性质="续建", total=10000, start="2026-03-01", finish="2027-12-31",
                建设内容及规模="", 项目业主="", 联系人="", phone="", plan=1200, land=None,
                备注="改了备注")]  # fmt: skip

    # when
    result = ledger_import(simple_ledger(rows), file_name="x.xlsx", dry_run=False)

    # then it updates that project (no new one), bumps its version and audits the change
    assert result.errors == [] and not result.new
    p.refresh_from_db()
    assert p.note == "改了备注" and p.version == 2
    assert p.history.first().history_change_reason == "台账导入：x.xlsx"


def test_unknown_names_are_errors_unless_create_missing(city):
    rows = [row(name="新地区项目", region="丙县", unit="丙县工信局", leader="赵县长")]
    before = snapshot()

    result = ledger_import(simple_ledger(rows), file_name="x.xlsx", dry_run=False)

    assert len(result.errors) == 1
    assert "所属地区: 系统中没有地区“丙县”" in result.errors[0]
    assert snapshot() == before

    result = ledger_import(
        simple_ledger(rows), file_name="x.xlsx", dry_run=False, create_missing=True
    )
    assert result.errors == [] and result.applied
    p = Project.objects.get(name="新地区项目")
    assert p.region.name == "丙县" and p.region.parent == city.city
    assert p.region.path == f"{city.city.path}{p.region.code}/"
    assert p.unit.name == "丙县工信局" and p.leader.name == "赵县长"
    assert result.created == {"regions": ["丙县"], "units": ["丙县工信局"], "leaders": ["赵县长"]}


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"level": "国家级"}, "第3行 项目级别: 无法识别 “国家级”"),
        ({"start": "明年春天"}, "第3行 计划开工时间: 不是有效日期 “明年春天”"),
        ({"start": "2026-02-30"}, "第3行 计划开工时间: 不是有效日期 “2026-02-30”"),
        ({"total": -5}, "第3行 总投资(万元): 不能为负数"),
        ({"start": "2027-01-01", "finish": "2026-01-01"}, "第3行 计划竣工时间: 早于计划开工时间"),
        ({"name": ""}, "第3行 项目名称: 不能为空"),
    ],
)
def test_bad_cells_are_named(city, kw, message):
    before = snapshot()
    result = ledger_import(simple_ledger([row(**kw)]), file_name="x.xlsx", dry_run=False)
    assert any(message in e for e in result.errors), result.errors
    assert result.errors[0].startswith("Sheet1 ")
    assert snapshot() == before


def test_duplicate_code_in_file_is_an_error(city):
    rows = [row(code="2026-D-1", name="一"), row(code="2026-D-1", name="二")]
    result = ledger_import(simple_ledger(rows), file_name="x.xlsx", dry_run=False)
    assert result.errors == ["Sheet1 第4行 项目编号: “2026-D-1”与Sheet1 第3行重复"]
    assert not Project.objects.filter(code="2026-D-1").exists()


def test_scoped_user_cannot_import_rows_outside_scope(city, users):
    rows = [row(name="甲县内", region="甲县"), row(name="乙区的", region="乙区", unit="乙区住建局")]
    result = ledger_import(
        simple_ledger(rows), file_name="x.xlsx", dry_run=False, user=users.reviewer_a
    )
    assert result.errors == ["Sheet1 第4行 所属地区: “乙区”不在您的管理范围内"]
    assert not Project.objects.filter(name="甲县内").exists()


def test_annual_plan_must_agree_with_monthly_schedule(city):
    p = ProjectFactory(code="2026-SC-1", name="有月度计划", region=city.county_a, unit=city.unit_a)
    months = {f"m{m:02d}": D(100 * m) for m in range(1, 13)}
    AnnualPlan.objects.create(project=p, year=2026, planned_investment=D("1200"), **months)
    rows = [row(code=p.code, name=p.name, leader=p.leader.name, plan=1500)]
    result = ledger_import(simple_ledger(rows), file_name="x.xlsx", dry_run=False)
    assert any("年度计划投资(万元): 与已填的月度计划不一致" in e for e in result.errors)


def test_year_argument_wins_over_title(city):
    result = ledger_import(
        simple_ledger([row(code="Y-1", name="年份")]), file_name="x.xlsx", dry_run=False,
        year=2027,
    )  # fmt: skip
    assert result.year == 2027
    p = Project.objects.get(code="Y-1")
    assert p.year == 2027 and p.annual_plans.get().year == 2027


def test_unit_with_same_name_in_two_regions_picks_the_rows_region(city):
    Unit.objects.create(name="住建局", region=city.county_a, kind="department")
    b = Unit.objects.create(name="住建局", region=city.county_b, kind="department")
    result = ledger_import(
        simple_ledger([row(code="U-1", region="乙区", unit="住建局")]), file_name="x.xlsx",
        dry_run=False,
    )  # fmt: skip
    assert result.errors == []
    assert Project.objects.get(code="U-1").unit == b


def test_history_rows_match_the_project(city, users):
    # given a new project imported by a user
    result = ledger_import(
        simple_ledger([row(code="H-1", name="历史", leader="")]),
        file_name="h.xlsx",
        dry_run=False,
        user=users.reviewer,
    )
    assert result.errors == []
    p = Project.objects.get(code="H-1")

    # then its one history row holds every tracked value, as simple-history would write it
    (h,) = p.history.all()
    assert h.history_type == "+" and h.history_user == users.reviewer
    assert h.history_change_reason == "台账导入：h.xlsx"
    tracked = [f.attname for f in Project.history.model._meta.concrete_fields]
    for attname in tracked:
        if not attname.startswith("history_"):
            assert getattr(h, attname) == getattr(p, attname), attname
    assert h.instance.code == "H-1"
    assert p.assignments.get().changed_by == users.reviewer


def _same_row(project, **kw):
    """A ledger row repeating `project` as it stands, except for `kw`."""
    return row(
        code=project.code, name=project.name, region="甲县", unit="甲县发改局",
        leader=project.leader.name, level="市重点", 建设性质="续建", 项目类别="产业",
        产业类别="二产", total=10000, start="2026-03-01", finish="2027-12-31",
        建设内容及规模="", 项目业主="", 联系人="", phone="", **kw,
    )  # fmt: skip


def test_plan_and_land_changes_are_audited_with_the_importer(client, city, users):
    # given project A's plan of 1200 and a land row written without history (a bulk seed)
    a = city.project_a
    Land.objects.bulk_create([Land(project=a, required_area=D("10.00"))])
    users.reviewer.first_name = "王审核"
    users.reviewer.save()

    # when the reviewer imports a ledger that raises the plan and the land area
    result = ledger_import(
        simple_ledger([_same_row(a, plan=1500, land=25)]),
        file_name="调整.xlsx",
        dry_run=False,
        user=users.reviewer,
    )

    # then both changes are in the history, by the reviewer, with the old value kept
    assert result.errors == [] and len(result.changed) == 1
    plan = a.annual_plans.get(year=2026)
    old_plan, new_plan = plan.history.order_by("history_date", "history_id")
    assert (old_plan.planned_investment, new_plan.planned_investment) == (D("1200"), D("1500"))
    assert new_plan.history_type == "~" and new_plan.history_user == users.reviewer
    assert new_plan.history_change_reason == "台账导入：调整.xlsx"
    old_land, new_land = Land.history.filter(project_id=a.pk).order_by("history_date", "history_id")
    assert (old_land.required_area, new_land.required_area) == (D("10.00"), D("25.00"))
    assert old_land.history_user is None and new_land.history_user == users.reviewer

    # and the project page's 变更记录 shows them under the reviewer's name
    login(client, users.reviewer)
    rows = audit_rows(client.get(reverse("registry:project_detail", args=[a.pk])).text)
    assert ["王审核", "2026年度计划", "修改", "年度计划投资(万元)：1,200.00 → 1,500.00"] in [
        r[1:] for r in rows
    ]
    assert ["王审核", "用地", "修改", "需用地面积(亩)：10.00 → 25.00"] in [r[1:] for r in rows]


def test_new_projects_plan_and_land_get_created_records(city, users):
    ledger_import(
        simple_ledger([row(code="N-1", plan=300, land=12)]),
        file_name="n.xlsx",
        dry_run=False,
        user=users.reviewer,
    )
    p = Project.objects.get(code="N-1")
    (plan_rec,) = AnnualPlan.history.filter(project_id=p.pk)
    (land_rec,) = Land.history.filter(project_id=p.pk)
    assert plan_rec.id == p.annual_plans.get().pk and land_rec.id == p.land.pk
    assert (plan_rec.history_type, plan_rec.planned_investment) == ("+", D("300.00"))
    assert (land_rec.history_type, land_rec.required_area) == ("+", D("12.00"))
    assert plan_rec.history_user == land_rec.history_user == users.reviewer
