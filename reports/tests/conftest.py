import datetime
from decimal import Decimal

import pytest

from assessments.services import assess_month
from assessments.tests.helpers import leaf
from milestones.choices import ReportStatus
from milestones.tests.factories import ProblemFactory, ProgressReportFactory
from registry.choices import RegionLevel
from registry.tests.factories import ProjectFactory, RegionFactory, UnitFactory

HOSTILE = '=HYPERLINK("http://evil.example","点我")'


@pytest.fixture
def report_city(db, settings, tmp_path):
    """A city of two counties, March 2026 judged: A1 on time, A2 lagging, a package of two
    sub-projects in B, and B3 with a hostile name and an open problem with hostile measures."""
    settings.MEDIA_ROOT = tmp_path / "media"

    class C:
        pass

    c = C()
    c.city = RegionFactory(name="报表市", code="390100", level=RegionLevel.CITY)
    c.a = RegionFactory(name="东县", code="390101", level=RegionLevel.COUNTY, parent=c.city)
    c.b = RegionFactory(name="西区", code="390102", level=RegionLevel.COUNTY, parent=c.city)
    c.unit_a = UnitFactory(name="东县发改局", region=c.a)
    c.unit_b = UnitFactory(name="西区住建局", region=c.b)
    c.a1 = leaf(
        region=c.a, unit=c.unit_a, plan="1200", reports=[(1, "100"), (2, "200"), (3, "300")]
    )
    c.a2 = leaf(region=c.a, unit=c.unit_a, plan="1000", reports=[(1, "20"), (2, "30"), (3, "50")])
    c.pkg = ProjectFactory(region=c.b, unit=c.unit_b, is_package=True, name="西区打包项目")
    c.b1 = leaf(region=c.b, unit=c.unit_b, plan="800", package=c.pkg,
                reports=[(1, "60"), (2, "130"), (3, "200")])  # fmt: skip
    c.b2 = leaf(region=c.b, unit=c.unit_b, plan="400", package=c.pkg,
                reports=[(1, "30"), (2, "60"), (3, "100")])  # fmt: skip
    c.b3 = leaf(region=c.b, unit=c.unit_b, plan="600", name=HOSTILE,
                reports=[(1, "40"), (2, "100"), (3, "150")])  # fmt: skip
    c.problem = ProblemFactory(project=c.b3, description="征地未完成", measures=HOSTILE,
                               deadline=datetime.date(2026, 5, 31))  # fmt: skip
    for month in (1, 2, 3):
        assess_month(year=2026, month=month)
    return c


@pytest.fixture
def judged(city):
    """June 2026: 甲县项目 滞后 (R 25%), 甲县城关镇项目 预警 (G −10), the 乙区 two normal."""
    for p in (city.project_a, city.project_town, city.project_b, city.project_city_unit):
        p.started_on = datetime.date(2026, 1, 5)
        p.save()
    for p, ytd in (
        (city.project_a, "300"),
        (city.project_town, "480"),
        (city.project_b, "600"),
        (city.project_city_unit, "600"),
    ):
        for month in (4, 5, 6):
            ProgressReportFactory(
                project=p, month=month, status=ReportStatus.APPROVED,
                invested_ytd=Decimal(ytd) * month / 6,
                first_submitted_at=datetime.datetime(2026, month + 1, 2, tzinfo=datetime.UTC),
            )  # fmt: skip
    for month in (4, 5, 6):
        assess_month(year=2026, month=month)
    return city
