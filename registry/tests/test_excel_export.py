"""Ledger export and templates: scoped, filtered, and a round trip that changes nothing."""

import io

import openpyxl
import pytest
from django.urls import reverse

from conftest import login
from registry.excel.headers import LEDGER_COLUMNS, PROGRESS_COLUMNS
from registry.ledger_import import ledger_import
from registry.models import Land
from registry.tests.factories import AnnualPlanFactory, ProjectFactory
from registry.tests.fixtures.workbooks import messy_ledger
from registry.tests.test_ledger_import import snapshot

pytestmark = pytest.mark.django_db


def _rows(resp, sheet=0):
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    ws = wb.worksheets[sheet]
    return wb, ws, [r for r in ws.iter_rows(min_row=3, values_only=True)]


def _codes(resp):
    return sorted(r[1] for r in _rows(resp)[2])


def test_export_layout(client, city, users):
    login(client, users.reviewer)
    resp = client.get(reverse("registry:ledger_export"), {"year": 2026})
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    wb, ws, rows = _rows(resp)
    assert ws["A1"].value == "2026年重点项目台账"
    assert "A1:T1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == [c.label for c in LEDGER_COLUMNS]
    assert ws.freeze_panes == "C3"
    assert ws["L3"].number_format == "#,##0.00"
    assert ws["N3"].number_format == "yyyy-mm-dd"
    assert len(rows) == 4
    assert len(ws.data_validations.dataValidation) == 4


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
    p = ProjectFactory(region=city.county_a, unit=city.unit_a, owner="业主", phone="0531-1",
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
    resp = client.get(reverse("registry:progress_template"))
    wb, ws, rows = _rows(resp)
    assert [c.value for c in ws[2]] == [c.label for c in PROGRESS_COLUMNS]
    assert sorted(r[0] for r in rows if r[0]) == sorted(
        [city.project_a.code, city.project_town.code]
    )
    assert "填写说明" in wb.sheetnames
