"""The reporter's to-do list at two sizes: paginated and counted in the database."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login
from milestones.choices import ReportStatus
from milestones.tests.factories import ProgressReportFactory, ReportingWindowFactory
from registry.tests.factories import AnnualPlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def add_projects(city, n, start):
    for i in range(n):
        p = ProjectFactory(
            name=f"待填报项目{start + i:03d}", region=city.county_a, unit=city.unit_a
        )
        AnnualPlanFactory(project=p)
        if i % 3 == 0:
            ProgressReportFactory(project=p, month=3, status=ReportStatus.APPROVED)


def todo_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("milestones:todo") + "?year=2026&month=3&show=all")
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_todo_query_count_does_not_grow_with_projects(client, city, users, today):
    # given a county with 6 projects, then with 66 (more than one page of 50)
    ReportingWindowFactory(year=2026, month=3)
    login(client, users.reporter_a)
    add_projects(city, 4, 0)
    small, _ = todo_queries(client)
    add_projects(city, 60, 100)

    # when the list is opened again
    large, response = todo_queries(client)

    # then the same number of queries, 50 rows on the page, and the totals over all pages
    assert large == small
    body = response.content.decode()
    page2 = client.get(reverse("milestones:todo") + "?year=2026&month=3&show=all&page=2")
    # each project is shown twice: a table row (wide screens) and a card (narrow screens)
    on_page2 = page2.content.decode().count("待填报项目") // 2
    assert body.count("待填报项目") // 2 + on_page2 == 64
    assert on_page2 == 16  # 66 rows: 50 on the first page, 16 on the second
    # 66 county-A projects (64 added + 2 of the fixture); every third added one has reported
    assert "待填报/需修改 44 项，共 66 项" in body


def test_owed_filter_and_counts_agree(client, city, users, today):
    # given one approved, one returned and one missing report in county A
    ReportingWindowFactory(year=2026, month=3)
    ProgressReportFactory(project=city.project_a, month=3, status=ReportStatus.APPROVED)
    ProgressReportFactory(project=city.project_town, month=3, status=ReportStatus.RETURNED)
    extra = ProjectFactory(name="未报项目", region=city.county_a, unit=city.unit_a)
    AnnualPlanFactory(project=extra)
    login(client, users.reporter_a)

    # when the default view (still owed) is opened
    body = client.get(reverse("milestones:todo") + "?year=2026&month=3").content.decode()

    # then the approved project is not listed, the returned and the missing ones are
    assert "待填报/需修改 2 项，共 3 项" in body
    assert "甲县城关镇项目" in body and "未报项目" in body
    assert "甲县项目</" not in body and ">甲县项目<" not in body
