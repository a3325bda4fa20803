"""问题清单 export: user text is written as text, never as a live formula (SPEC §5)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import login
from milestones.tests.factories import ProblemFactory
from registry.tests.factories import ProjectFactory, UnitFactory
from registry.tests.fixtures.workbooks import HOSTILE_TEXTS, formula_cells, text_values

pytestmark = pytest.mark.django_db


def test_problem_export_writes_hostile_text_as_text(client, city, users, today):
    # given problems whose every free text starts with = + - @ tab CR
    for i, text in enumerate(HOSTILE_TEXTS):
        unit = UnitFactory(name=f"{text}单位{i}", region=city.county_a)
        project = ProjectFactory(name=text, region=city.county_a, unit=unit)
        ProblemFactory(project=project, description=text, responsible_unit=unit,
                       responsible_person=f"{text}人", progress_note=f"{text}措施",
                       resolution=f"{text}解决")  # fmt: skip
    login(client, users.reviewer)

    # when
    response = client.get(reverse("milestones:problem_export"))

    # then no cell is a formula and the texts read back as typed
    assert response.status_code == 200
    assert formula_cells(response.content) == []
    texts = text_values(response.content)
    for text in HOSTILE_TEXTS:
        text = text.replace("\r", "\n")
        for shown in (text, f"{text}人", f"{text}措施", f"{text}解决"):
            assert shown in texts


def test_problem_export_layout(client, city, users, today):
    ProblemFactory(project=city.project_a, description="=1+1", deadline=today)
    login(client, users.reviewer)
    response = client.get(reverse("milestones:problem_export"))
    ws = load_workbook(io.BytesIO(response.content))["问题清单"]
    assert ws["A1"].value.startswith("重点项目问题清单（导出日期：2026-04-10）")
    assert "A1:P1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.freeze_panes == "A3"
    assert ws["K3"].number_format == "yyyy-mm-dd"
    assert (ws["F3"].value, ws["F3"].data_type) == ("=1+1", "s")
    # XlsxWriter stores the width Excel shows for 40 characters (40.71 with padding)
    assert 40 <= ws.column_dimensions["F"].width < 41
