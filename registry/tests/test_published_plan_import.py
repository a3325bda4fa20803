"""The published plan (计划表) imports as it is: no codes, no units, 建设起止年限, category
heading rows, 亿元 in the title, 至上年底累计."""

import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import login
from core.excel import values
from core.excel.values import year_span
from registry.choices import Category, Nature, ProjectLevel
from registry.excel.plan_layout import category_of_heading, level_from_title
from registry.ledger_import import ledger_import
from registry.models import AnnualPlan, Project
from registry.selectors import incomplete_projects
from registry.tests.fixtures.workbooks import to_bytes

pytestmark = pytest.mark.django_db

D = Decimal
HEADER = ["序号", "项目名称", "建设内容及规模", "所在地", "建设起止年限", "总投资",
          "至上年底累计完成投资", "2026年计划投资", "项目业主"]  # fmt: skip


def published_plan(title="2026年示例市市级重点建设项目计划表", level_in_title=True, extra=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "计划表"
    ws.append([title if level_in_title else "2026年重点建设项目计划表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append([None] * 7 + ["单位：亿元"])
    ws.append(HEADER)
    ws.append(["", "合计", "", "", "", 18.6, 2.1, 5.55, ""])
    ws.append(["一、产业项目（2项）", None, None, None, None, 12.5, 2.1, 3.8])
    ws.append([1, "年产10万吨新材料项目", "新建厂房12万平方米", "甲县", "2024-2026", 10, 2.1,
               "3.5", "示例新材料有限公司"])  # fmt: skip
    ws.append([2, "智能装备产业园", "标准化厂房", "乙区", "2026～2027年", 2.5, None, 0.3,
               "乙区城投"])  # fmt: skip
    ws.append(["二、基础设施项目（1项）", None, None, None, None, 6.1, 0, 1.75])
    ws.append([3, "城区供水管网改造", "管网45公里", "甲县城关镇", "2026年", 6.1, 0, 1.75, ""])
    for line in extra:
        ws.append(line)
    return to_bytes(wb)


def test_the_published_plan_imports_with_every_figure(city, users):
    result = ledger_import(
        published_plan(), file_name="计划表.xlsx", dry_run=False, user=users.admin
    )
    assert result.errors == []
    assert len(result.new) == 3
    p1 = Project.objects.get(name="年产10万吨新材料项目")
    assert p1.region == city.county_a
    assert (p1.total_investment, p1.invested_before_year) == (D("100000.00"), D("21000.00"))
    assert (p1.planned_start, p1.planned_finish) == (
        datetime.date(2024, 1, 1),
        datetime.date(2026, 12, 31),
    )
    assert (p1.level, p1.nature, p1.category) == (
        ProjectLevel.CITY,
        Nature.CONTINUING,
        Category.INDUSTRY,
    )
    assert p1.owner == "示例新材料有限公司" and p1.scope == "新建厂房12万平方米"
    assert p1.code.startswith("2026-")
    assert AnnualPlan.objects.get(project=p1, year=2026).planned_investment == D("35000.00")
    p2 = Project.objects.get(name="智能装备产业园")
    assert (p2.region, p2.nature, p2.category) == (city.county_b, Nature.NEW, Category.INDUSTRY)
    assert (p2.total_investment, p2.invested_before_year) == (D("25000.00"), D("0.00"))
    assert p2.planned_finish == datetime.date(2027, 12, 31)
    assert AnnualPlan.objects.get(project=p2, year=2026).planned_investment == D("3000.00")
    p3 = Project.objects.get(name="城区供水管网改造")
    assert (p3.region, p3.category, p3.nature) == (
        city.town_a,
        Category.INFRASTRUCTURE,
        Nature.NEW,
    )
    assert (p3.planned_start, p3.planned_finish) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )
    assert AnnualPlan.objects.get(project=p3, year=2026).planned_investment == D("17500.00")
    # no 责任单位 or 产业类别 in a published plan: 待完善, with what is missing
    assert set(incomplete_projects().values_list("name", flat=True)) == {
        "年产10万吨新材料项目", "智能装备产业园", "城区供水管网改造"
    }  # fmt: skip
    assert p1.unit is None and p1.sector == ""


def test_a_second_import_changes_nothing_and_the_preview_shows_amounts(city, users):
    ledger_import(published_plan(), dry_run=False, user=users.admin)
    again = ledger_import(published_plan(), dry_run=True)
    assert again.errors == [] and not again.new and not again.changed
    assert again.unchanged == 3


def test_level_from_the_import_form_when_the_title_does_not_say(city, users):
    data = published_plan(level_in_title=False)
    refused = ledger_import(data, dry_run=True)
    assert any("项目级别: 新项目必须填写" in e for e in refused.errors)
    result = ledger_import(data, dry_run=False, level=ProjectLevel.PROVINCE)
    assert result.errors == []
    assert set(Project.objects.filter(year=2026, name__contains="项目").values_list(
        "level", flat=True)) >= {ProjectLevel.PROVINCE}  # fmt: skip
    assert Project.objects.get(name="智能装备产业园").level == ProjectLevel.PROVINCE


def test_command_takes_the_default_level(city, tmp_path, users):
    path = tmp_path / "计划表.xlsx"
    path.write_bytes(published_plan(level_in_title=False))
    call_command("import_ledger", str(path), "--level", "县区重点", "--user", users.admin.username)
    assert Project.objects.get(name="城区供水管网改造").level == ProjectLevel.COUNTY


def test_incomplete_projects_are_listed_and_completed_on_the_web(client, city, users):
    ledger_import(published_plan(), dry_run=False, user=users.admin)
    login(client, users.reviewer)
    page = client.get(reverse("registry:project_list"), {"incomplete": "1"}).content.decode()
    assert page.count("待完善：缺责任单位、产业类别") == 3
    p = Project.objects.get(name="年产10万吨新材料项目")
    detail = client.get(reverse("registry:project_detail", args=[p.pk])).content.decode()
    assert "尚缺责任单位、产业类别" in detail
    # the ledger card and the 五个一 box say what is missing instead of a dangling "产业 ·"
    assert "产业类别待完善" in detail
    assert '一个责任单位：</span><span class="text-danger">未落实' in detail


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("2024-2026", (2024, 2026)),
        ("2025～2027年", (2025, 2027)),
        ("2024—2026年", (2024, 2026)),
        ("2024年-2026年", (2024, 2026)),
        ("2026年", (2026, 2026)),
        (2026, (2026, 2026)),
        ("2025至2028", (2025, 2028)),
    ],
)
def test_year_spans(text, span):
    assert year_span(text) == span


@pytest.mark.parametrize("text", ["明年", "2027-2025", "2024-2025-2026", "约三年"])
def test_bad_year_spans_are_refused_in_chinese(text):
    with pytest.raises(values.CellError) as exc:
        year_span(text)
    assert "年" in str(exc.value)


def test_a_bad_year_span_is_a_row_error(city):
    data = published_plan(extra=[[4, "坏年限项目", "", "甲县", "明年", 1, 0, 0.1, ""]])
    result = ledger_import(data, dry_run=True)
    assert any(
        e.startswith("计划表 第10行 建设起止年限: 无法识别 “明年”") for e in result.errors
    ), result.errors


@pytest.mark.parametrize(
    ("heading", "category"),
    [
        ("一、产业项目（12项）", Category.INDUSTRY),
        ("（二）基础设施类", Category.INFRASTRUCTURE),
        ("三、社会事业项目(5项)", Category.SOCIAL),
        ("四、生态环保", Category.ECOLOGY),
        ("（一）工业项目（8项）", Category.INDUSTRY),
        ("（二）交通基础设施", Category.INFRASTRUCTURE),
        ("3. 教育卫生", Category.SOCIAL),
        ("（四）城市更新", Category.URBAN),
        ("（五）水环境治理", Category.ECOLOGY),
        ("五、其他", None),
    ],
)
def test_category_headings(heading, category):
    assert category_of_heading(heading) == category


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("2026年示例市市级重点建设项目计划表", ProjectLevel.CITY),
        ("2026年省级重点建设项目计划", ProjectLevel.PROVINCE),
        ("2026年临江县县级重点项目计划表", ProjectLevel.COUNTY),
        ("临江县2026年重点建设项目计划", ProjectLevel.COUNTY),
        ("江州市2026年重点项目投资计划表", ProjectLevel.CITY),
        ("2026年重点建设项目计划表", None),
    ],
)
def test_level_from_title(title, level):
    assert level_from_title([title, "单位：亿元"]) == level


def test_a_plan_grouped_by_nature_then_category_reads_both(city, users):
    # given a plan whose headings group by nature (一、续建), then by category (（一）工业)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026年重点建设项目计划表"])
    ws.append(
        ["序号", "项目名称", "所在地", "建设年限", "总投资（万元）", "2026年计划投资（万元）"]
    )
    ws.append(["一、续建项目（2项）"])
    ws.append(["（一）工业项目（1项）"])
    ws.append([1, "精密铸造扩建", "甲县", "2026-2027", 8000, 3000])
    ws.append(["（二）交通基础设施（1项）"])
    ws.append([2, "环城路二期", "乙区", "2025-2027", 60000, 20000])
    ws.append(["二、新开工项目（1项）"])
    ws.append(["（一）社会民生"])
    ws.append([3, "第三中学新校区", "甲县", "2026-2028", 30000, 9000])
    result = ledger_import(
        to_bytes(wb), file_name="计划.xlsx", dry_run=False, user=users.admin,
        level=ProjectLevel.COUNTY,
    )  # fmt: skip
    # then each row takes its nature from the outer heading and its category from the inner
    assert result.errors == [] and len(result.new) == 3
    got = {p.name: (p.nature, p.category) for p in Project.objects.filter(code__startswith="2026-")}
    assert got["精密铸造扩建"] == (Nature.CONTINUING, Category.INDUSTRY)  # heading wins over 2026
    assert got["环城路二期"] == (Nature.CONTINUING, Category.INFRASTRUCTURE)
    assert got["第三中学新校区"] == (Nature.NEW, Category.SOCIAL)


@pytest.mark.parametrize("where", ["市本级", "市直", "甲县、乙区", "甲县,乙区"])
def test_city_wide_and_cross_county_projects_belong_to_the_city(city, users, where):
    # given a plan row whose 所在地 is the city itself or several counties
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        ["序号", "项目名称", "所在地", "建设起止年限", "总投资（万元）", "2026年计划投资（万元）"]
    )
    ws.append(["一、交通基础设施"])
    ws.append([1, "跨县区快速路", where, "2025-2027", 90000, 30000])
    result = ledger_import(
        to_bytes(wb), file_name="计划.xlsx", year=2026, dry_run=False, user=users.admin,
        level=ProjectLevel.CITY,
    )  # fmt: skip
    # then it is imported as a project of the city, not refused
    assert result.errors == []
    assert Project.objects.get(name="跨县区快速路").region == city.city


def test_an_unknown_place_among_known_ones_is_still_refused(city, users):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "项目名称", "所在地", "总投资（万元）", "2026年计划投资（万元）"])
    ws.append([1, "某项目", "甲县、火星区", 100, 50])
    result = ledger_import(to_bytes(wb), year=2026, dry_run=True, user=users.admin)
    assert any("系统中没有地区“甲县、火星区”" in e for e in result.errors)
