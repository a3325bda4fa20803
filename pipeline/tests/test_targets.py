"""The city's targets: set per county and size band; saving the grid unchanged writes nothing;
only city reviewers may set them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pipeline.models import PipelineTarget, SizeBand

pytestmark = pytest.mark.django_db


def test_targets_saved_and_unchanged_grid_writes_nothing(client, city, users):
    band = SizeBand.objects.get(label="1亿—5亿元")
    client.force_login(users.reviewer)
    url = reverse("pipeline:targets") + "?year=2026"
    key = f"{city.county_a.pk}-{band.pk}"
    assert client.post(url, {f"c-{key}": "3", f"a-{key}": "45000"}).status_code == 302
    row = PipelineTarget.objects.get(year=2026, region=city.county_a, band=band)
    assert (row.count, row.amount) == (3, Decimal("45000.00"))
    stamps = list(PipelineTarget.objects.order_by("pk").values_list("pk", "count", "amount"))
    client.post(url, {f"c-{key}": "3", f"a-{key}": "45000"})
    assert (
        list(PipelineTarget.objects.order_by("pk").values_list("pk", "count", "amount")) == stamps
    )
    # a county reviewer may not
    client.force_login(users.reviewer_a)
    assert client.post(url, {f"c-{key}": "9"}).status_code == 403
    row.refresh_from_db()
    assert row.count == 3
    # a bad number is refused with the form, nothing written
    client.force_login(users.reviewer)
    response = client.post(url, {f"c-{key}": "-1"})
    assert response.status_code == 200 and "不小于0" in response.content.decode()
