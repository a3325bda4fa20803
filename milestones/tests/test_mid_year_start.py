"""A project that starts during the year reports from its start month: the months before it
count as zero, so a blank 本年累计 is derived (web form, progress sheet and API share the rule),
and progress sheets headed the way offices head them (1-N月累计完成投资 …) are read for any
month."""

import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from milestones import services
from milestones.models import ProgressReport
from milestones.progress_import import progress_import
from milestones.progress_sheet import PROGRESS
from milestones.tests.factories import ReportingWindowFactory
from registry.models import Project
from registry.tests.fixtures.workbooks import to_bytes

pytestmark = pytest.mark.django_db


def _started(project, on):
    Project.objects.filter(pk=project.pk).update(started_on=on)
    return Project.objects.get(pk=project.pk)


def _create(project, month, user, **data):
    return services.report_create(
        project=project, year=2026, month=month, user=user,
        data={"invested_month": Decimal("80.00"), "progress_text": "开工", **data},
    )  # fmt: skip


def test_started_in_march_derives_ytd_from_march(city, users, today):
    project = _started(city.project_a, datetime.date(2026, 3, 12))
    march = _create(project, 3, users.reporter_a)
    assert march.invested_ytd == Decimal("80.00")
    april = _create(project, 4, users.reporter_a, invested_month=Decimal("120.00"))
    assert april.invested_ytd == Decimal("200.00")


def test_starting_with_this_report_derives_ytd(city, users, today):
    march = _create(city.project_a, 3, users.reporter_a, is_started=True)
    assert march.invested_ytd == Decimal("80.00")


def test_started_last_year_still_needs_the_missing_months(city, users, today):
    project = _started(city.project_a, datetime.date(2025, 6, 1))
    with pytest.raises(ValidationError) as exc:
        _create(project, 3, users.reporter_a)
    assert "2026年1月、2月没有月报" in exc.value.message_dict["invested_ytd"][0]


@pytest.mark.parametrize(
    "header",
    [
        "1-7月累计完成投资（万元）",
        "1—7月累计完成",
        "1至7月累计",
        "截至7月底累计",
        "2026年1-7月累计完成投资",
        "1~11月累计完成投资(万元)",
        "本年累计",
    ],
)
def test_office_headers_name_the_year_to_date(header):
    assert PROGRESS.match(header)[0] == "ytd_completed"


def test_a_months_own_figure_is_not_the_year_to_date():
    assert PROGRESS.match("7月完成投资（万元）")[0] == "month_completed"


def test_sheet_headed_1_3_imports_exactly(city, users, today):
    for month in (2, 3):
        ReportingWindowFactory(year=2026, month=month)
    project = _started(city.project_a, datetime.date(2026, 2, 3))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026年1-3月重点项目进展情况"])
    ws.append(["项目编号", "月份", "3月完成投资（万元）", "1-3月累计完成投资（万元）", "形象进度"])
    ws.append([project.code, "2026-02", 50, None, "场地平整"])
    ws.append([project.code, "2026-03", 70, "120", "桩基施工"])
    result = progress_import(to_bytes(wb), user=users.reporter_a, file_name="p.xlsx", dry_run=False)
    assert result.errors == [] and result.applied
    rows = ProgressReport.objects.filter(project=project).order_by("month")
    assert [(r.month, r.invested_month, r.invested_ytd) for r in rows] == [
        (2, Decimal("50.00"), Decimal("50.00")),
        (3, Decimal("70.00"), Decimal("120.00")),
    ]
