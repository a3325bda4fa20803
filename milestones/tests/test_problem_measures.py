"""措施 on each problem (SPEC §3.2): the problem list exports as the
问题/措施/责任/时限 list DRCs circulate, and the reporter keeps the measures up to date."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import login
from milestones.models import Problem
from milestones.tests.factories import ProblemFactory

pytestmark = pytest.mark.django_db


def test_export_is_the_problem_measures_owner_deadline_list(client, city, users, today):
    ProblemFactory(
        project=city.project_a, description="用地指标未落实", measures="县自然资源局牵头报批"
    )
    login(client, users.reviewer)
    ws = load_workbook(io.BytesIO(client.get(reverse("milestones:problem_export")).content))[
        "问题清单"
    ]
    header = [c.value for c in ws[2]]
    assert header[5:8] == ["问题描述", "措施", "协调层级"]
    assert header.index("责任单位") < header.index("解决时限")
    row = [c.value for c in ws[3]]
    assert row[5:7] == ["用地指标未落实", "县自然资源局牵头报批"]


def test_reporter_updates_measures_but_not_the_deadline(client, city, users, today):
    problem = ProblemFactory(project=city.project_a, measures="")
    login(client, users.reporter_a)
    url = reverse("milestones:problem_edit", args=[problem.pk])
    form = client.get(url).context["form"]
    data = {
        "version": problem.version,
        "status": "in_progress",
        "measures": "已约谈业主，倒排工期",
        "progress_note": "",
        "resolution": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, form.errors
    problem.refresh_from_db()
    assert problem.measures == "已约谈业主，倒排工期"
    assert form.fields["deadline"].disabled  # the deadline stays the reviewer's
    listing = client.get(reverse("milestones:problem_list")).content.decode()
    assert "措施：已约谈业主，倒排工期" in listing
    assert Problem.history.filter(id=problem.pk, measures="已约谈业主，倒排工期").exists()
