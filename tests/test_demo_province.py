"""`seed_demo --cities N`: a province (省) above N cities for measuring at province scale,
江州市 first and the same as in the one-city demo; idempotent like the city seed."""

import datetime
import random

import pytest
from django.db import transaction

from registry.choices import RegionLevel
from registry.demo import seed_registry
from registry.demo.places import build_places
from registry.models import Project, Region

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


def test_a_province_above_the_cities_projects_in_every_one():
    first = seed_registry(projects=96, today=TODAY, cities=3)
    again = seed_registry(projects=96, today=TODAY, cities=3)
    assert first.created_projects == 96 and again.created_projects == 0
    province = Region.objects.get(parent=None)
    assert province.level == RegionLevel.PROVINCE and province.name == "江右省"
    cities = Region.objects.filter(parent=province).order_by("code")
    assert [c.name for c in cities] == ["清江市", "云山市", "江州市"]
    for city in cities:  # round robin over the 24 县区: four projects in each
        counties = Region.objects.filter(parent=city, level=RegionLevel.COUNTY)
        assert counties.count() == 8
        leaves = Project.objects.filter(
            year=2026, is_package=False, region__path__startswith=city.path
        )
        assert leaves.count() == 32
    codes = list(Project.objects.filter(year=2026).values_list("code", flat=True))
    assert len(codes) == len(set(codes))


def test_the_city_of_a_province_is_the_one_city_demo():
    """The random stream is drawn for 江州市 first: its 县区 leaders are the one-city demo's."""

    def jiangzhou_leaders(cities):
        with transaction.atomic():
            places = build_places(random.Random(2026), cities)
            names = [
                (c.region.code, [x.name for x in c.leaders])
                for c in places.counties
                if c.region.parent.code == "360800"
            ]
            transaction.set_rollback(True)
        return names

    alone = jiangzhou_leaders(1)
    assert len(alone) == 8 and jiangzhou_leaders(3) == alone
