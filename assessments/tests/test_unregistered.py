"""应入统未入统 (SPEC §3.1, one of the 三督): started longer ago than the rule set allows and
not in the investment statistics by the day judged."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from conftest import login
from registry.models import Project

pytestmark = pytest.mark.django_db


def test_started_but_unregistered_projects_are_listed_with_their_reason(client, city, users):
    # given (judged on 2026-10-31, 30 days allowed): A started 2026-09-01 and not registered,
    # B started 2026-09-01 and registered, the town project started only 2026-10-15
    started = datetime.date(2026, 9, 1)
    Project.objects.filter(pk=city.project_a.pk).update(started_on=started)
    Project.objects.filter(pk=city.project_b.pk).update(
        started_on=started, stats_registered=True, stats_registered_on=datetime.date(2026, 9, 20)
    )
    Project.objects.filter(pk=city.project_town.pk).update(started_on=datetime.date(2026, 10, 15))
    login(client, users.reviewer)

    # when
    url = reverse("assessments:list", args=["unregistered"]) + "?year=2026&month=10"
    body = client.get(url).content.decode()
    export = client.get(
        reverse("assessments:export", args=["unregistered"]) + "?year=2026&month=10"
    )

    # then only A, with the days and the due date
    assert city.project_a.name in body
    assert city.project_b.name not in body and city.project_town.name not in body
    assert "已开工60天未入统（开工2026-09-01，应于2026-10-01前入统），超期30天" in body
    ws = openpyxl.load_workbook(io.BytesIO(export.content)).active
    names = [r[1] for r in ws.iter_rows(min_row=3, values_only=True)]
    assert names == [city.project_a.name]
