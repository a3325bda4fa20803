"""Starting the next year's list offers the pipeline's 成熟 projects (a hook pipeline registers;
registry imports nothing of pipeline)."""

import datetime

import pytest
from django.urls import reverse

from pipeline.models import PipelineProject

pytestmark = pytest.mark.django_db


def test_next_year_preview_offers_mature_projects(client, city, users):
    PipelineProject.objects.create(
        name="甲县成熟的物流园", region=city.county_a, category="industry",
        total_investment=50000, stage="mature", idea_on=datetime.date(2025, 1, 1),
        mature_on=datetime.date(2025, 9, 1),
    )  # fmt: skip
    PipelineProject.objects.create(
        name="甲县还在谋划的园区", region=city.county_a, category="industry",
        idea_on=datetime.date(2025, 1, 1),
    )  # fmt: skip
    client.force_login(users.reviewer)
    page = client.get(reverse("year_cycle:next", args=[2026])).content.decode()
    assert "可列入2027年度名单的成熟项目（1个" in page
    assert "甲县成熟的物流园" in page and "甲县还在谋划的园区" not in page
