"""A big 问题清单 export runs as an ExportJob with the page's workbook, in the user's scope."""

import io

import openpyxl
import pytest
from django.urls import reverse

from conftest import login
from core.choices import ExportStatus
from core.models import ExportJob
from milestones.choices import MilestonesExport
from milestones.tests.factories import ProblemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


def cells(content):
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def _problems(city):
    for project in (city.project_a, city.project_town, city.project_b, city.project_city_unit):
        ProblemFactory(project=project, description=f"{project.name}的用地问题")


def _queued(client, query):
    response = client.get(reverse("milestones:problem_export"), query)
    job = ExportJob.objects.latest("pk")
    assert response.status_code == 302
    assert response.url == reverse("portal:export_detail", args=[job.pk])
    assert job.kind == MilestonesExport.PROBLEMS and job.status == ExportStatus.DONE
    file = client.get(reverse("portal:export_file", args=[job.pk]))
    assert file.status_code == 200
    return job, b"".join(file.streaming_content)


def test_big_problem_export_is_a_job_with_the_same_workbook(client, city, users, settings, today):
    # given four problems and the city reviewer's synchronous export of a filtered list
    _problems(city)
    login(client, users.reviewer)
    query = {"status": "open"}
    direct = client.get(reverse("milestones:problem_export"), query)
    assert direct.status_code == 200

    # when the threshold is below the row count
    settings.EXPORT_ASYNC_ROWS = 2
    job, content = _queued(client, query)

    # then the job's workbook is the synchronous one, cell for cell
    assert job.rows_total == job.rows_done == 4 and job.params == "status=open"
    assert cells(content) == cells(direct.content)
    assert len(cells(content)["问题清单"]) == 2 + 4


def test_reporters_problem_job_holds_only_their_scope(client, city, users, settings, today):
    _problems(city)
    settings.EXPORT_ASYNC_ROWS = 1
    login(client, users.reporter_a)
    job, content = _queued(client, {})
    text = str(cells(content))
    assert job.rows_total == 2
    assert "甲县项目的用地问题" in text and "甲县城关镇项目的用地问题" in text
    assert "乙区项目" not in text and "市交通局乙区道路" not in text
