"""Ledger export and templates: scoped, filtered, and a round trip that changes nothing."""

import io

import openpyxl
import pytest
from django.urls import reverse

from conftest import login
from milestones.progress_sheet import PROGRESS_COLUMNS
from registry.excel.headers import LEDGER_COLUMNS
from registry.ledger_import import ledger_import
from registry.models import Land
from registry.tests.factories import (
    AnnualPlanFactory,
    LeaderFactory,
    ProjectFactory,
    UnitFactory,
)
from registry.tests.fixtures.workbooks import (
    HOSTILE_TEXTS,
    formula_cells,
    messy_ledger,
    text_values,
)
from registry.tests.test_ledger_import import snapshot

pytestmark = pytest.mark.django_db


def _rows(resp, sheet=0):
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    ws = wb.worksheets[sheet]
    # project rows only: the closing 合计 row is checked on its own
    return wb, ws, [r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] != "合计"]


def _codes(resp):
    return sorted(r[1] for r in _rows(resp)[2])


def test_export_layout(client, city, users):
    login(client, users.reviewer)
    resp = client.get(reverse("registry:ledger_export"), {"year": 2026})
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    wb, ws, rows = _rows(resp)
    assert ws["A1"].value == "2026年重点项目台账"
    # 23 template columns and the export-only 打包情况 and the month's progress (no report
    # judged yet: the default month is the last one before today)
    assert "A1:Z1" in {str(r) for r in ws.merged_cells.ranges}
    header = [c.value for c in ws[2]]
    assert header[:24] == [c.label for c in LEDGER_COLUMNS] + ["打包情况"]
    assert header[24].endswith("月累计完成投资(万元)") and header[25].endswith("月完成率(%)")
    assert ws.freeze_panes == "C3"
    assert ws["L3"].number_format == "#,##0.00"
    assert ws["N3"].number_format == "yyyy-mm-dd"
    assert len(rows) == 4
    # drop-downs: 项目级别, 建设性质, 项目类别, 产业类别, 是否入统
    assert len(ws.data_validations.dataValidation) == 5
    # identifiers that look like numbers stay text when typed over (编号, 联系电话)
    labels = [c.value for c in ws[2]]
    assert ws.cell(3, labels.index("项目编号") + 1).number_format == "@"
    assert ws.cell(3, labels.index("联系电话") + 1).number_format == "@"


def test_export_honours_list_filters(client, city, users):
    login(client, users.reviewer)
    resp = client.get(reverse("registry:ledger_export"), {"region": city.county_b.pk})
    assert _codes(resp) == sorted([city.project_b.code, city.project_city_unit.code])
    resp = client.get(reverse("registry:ledger_export"), {"q": "城关镇"})
    assert _codes(resp) == [city.project_town.code]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("reviewer_a", ["project_a", "project_town"]),
        ("reporter_a", ["project_a", "project_town"]),
        ("reporter_b", ["project_b", "project_city_unit"]),
        ("unit_clerk", ["project_city_unit"]),
        ("leader_b", ["project_b", "project_city_unit"]),
        ("nobody", None),
    ],
)
def test_export_is_scoped(client, city, users, who, expected):
    login(client, getattr(users, who))
    resp = client.get(reverse("registry:ledger_export"))
    if expected is None:
        assert resp.status_code == 403
        return
    assert _codes(resp) == sorted(getattr(city, n).code for n in expected)


def test_export_out_of_scope_filter_gives_nothing(client, city, users):
    login(client, users.reviewer_a)
    resp = client.get(reverse("registry:ledger_export"), {"region": city.county_b.pk})
    assert _codes(resp) == []


def test_export_then_import_changes_nothing(client, city, users):
    # given a ledger with every kind of value (messy import + factory projects with land)
    from registry.tests.factories import LeaderFactory

    LeaderFactory(name="王副县长", region=city.county_a)
    assert ledger_import(messy_ledger(), file_name="m.xlsx", dry_run=False).errors == []
    p = ProjectFactory(code="2026-EXP-0001", region=city.county_a, unit=city.unit_a, owner="业主", phone="0531-1",
                       scope="多行\n内容", note="备注")  # fmt: skip
    Land.objects.create(project=p, required_area="12.34")
    AnnualPlanFactory(project=p)  # on 2026's list (selectors.year_list)
    login(client, users.admin)
    exported = client.get(reverse("registry:ledger_export"), {"year": 2026}).content
    before = snapshot()

    # when the export is imported back
    result = ledger_import(exported, file_name="export.xlsx", dry_run=False)

    # then every row matches and nothing changes
    assert result.errors == []
    assert (len(result.new), len(result.changed)) == (0, 0), result.changed
    assert result.unchanged == 10
    assert snapshot() == before


def test_ledger_template(client, city, users):
    login(client, users.reviewer)
    resp = client.get(reverse("registry:ledger_template"), {"year": 2027})
    wb, ws, _rows_ = _rows(resp)
    assert wb.sheetnames == ["台账", "填写说明"]
    assert ws["A1"].value == "2027年重点项目台账"
    assert [c.value for c in ws[2]] == [c.label for c in LEDGER_COLUMNS]
    lists = {str(dv.sqref)[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["D"] == '"省重点,市重点,县区重点"'  # 项目级别
    assert lists["H"] == '"新开工,续建,前期,储备"'  # 建设性质
    assert "基础设施" in lists["I"]  # 项目类别
    notes = wb["填写说明"]
    assert notes["A1"].value == "台账导入模板填写说明"
    # the blank template itself imports as "no data rows", not as an error of the template
    result = ledger_import(resp.content, file_name="t.xlsx", dry_run=True)
    assert result.errors == [] and result.rows_total == 0


def test_progress_template_prefills_users_projects(client, city, users):
    login(client, users.reporter_a)
    resp = client.get(reverse("milestones:progress_template"))
    wb, ws, rows = _rows(resp)
    assert [c.value for c in ws[2]] == [c.label for c in PROGRESS_COLUMNS]
    assert sorted(r[0] for r in rows if r[0]) == sorted(
        [city.project_a.code, city.project_town.code]
    )
    assert "填写说明" in wb.sheetnames


def make_hostile(city, texts):
    """One 甲县 project per hostile text: the text opens its name, owner, scope, note,
    contact, and its unit's and leader's names."""
    projects = []
    for i, text in enumerate(texts):
        unit = UnitFactory(name=f"{text}单位{i}", region=city.county_a)
        leader = LeaderFactory(name=f"{text}领导{i}", region=city.county_a)
        p = ProjectFactory(name=text, region=city.county_a, unit=unit, leader=leader,
                           owner=f"{text}业主", scope=f"{text}规模", note=f"{text}备注",
                           contact=f"{text}联系人")  # fmt: skip
        Land.objects.create(project=p, required_area="1.00")
        AnnualPlanFactory(project=p)  # on 2026's list, so the year's exports carry it
        projects.append(p)
    return projects


@pytest.fixture
def hostile(city):
    return make_hostile(city, HOSTILE_TEXTS)


@pytest.mark.parametrize(
    ("route", "who"),
    [
        ("registry:ledger_export", "reviewer"),
        ("milestones:progress_template", "reporter_a"),
        ("registry:ledger_template", "reviewer"),
    ],
)
def test_exports_write_hostile_text_as_text(client, city, users, hostile, route, who):
    # given projects whose texts start with = + - @ tab CR (fixture `hostile`)
    login(client, getattr(users, who))

    # when
    resp = client.get(reverse(route), {"year": 2026})

    # then no cell is a formula, and every name reads back exactly as typed
    assert resp.status_code == 200
    assert formula_cells(resp.content) == []
    if route != "registry:ledger_template":  # the blank template holds no project
        texts = text_values(resp.content)
        missing = [t for t in HOSTILE_TEXTS if t.replace("\r", "\n") not in texts]
        assert missing == []


def test_ledger_export_hostile_text_in_every_text_column(client, city, users, hostile):
    login(client, users.reviewer)
    resp = client.get(reverse("registry:ledger_export"), {"year": 2026})
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).worksheets[0]
    text = '=HYPERLINK("http://x","y")'
    row = next(r for r in ws.iter_rows(min_row=3) if r[2].value == text)
    cells = [row[i] for i in (2, 5, 6, 10, 15, 16, 19)]  # name, unit, leader, scope, owner…
    assert [(c.value, c.data_type) for c in cells] == [
        (text, "s"),
        (f"{text}单位0", "s"),
        (f"{text}领导0", "s"),
        (f"{text}规模", "s"),
        (f"{text}业主", "s"),
        (f"{text}联系人", "s"),
        (f"{text}备注", "s"),
    ]


def test_hostile_names_survive_export_then_import(client, city, users):
    # given projects whose names and texts start with = + - @ (the importer trims the
    # whitespace around every cell by design, so the tab/CR cases are left out here)
    make_hostile(city, [t for t in HOSTILE_TEXTS if t == t.strip()])
    login(client, users.admin)
    exported = client.get(reverse("registry:ledger_export"), {"year": 2026}).content
    before = snapshot()

    # when the export is imported back
    result = ledger_import(exported, file_name="export.xlsx", dry_run=False)

    # then every project is found unchanged: no name became a formula or lost its text
    assert result.errors == []
    assert (len(result.new), len(result.changed)) == (0, 0), result.changed
    assert snapshot() == before
