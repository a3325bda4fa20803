"""Every evaluation page and API answer makes the same number of queries for an event of 3
and of 9 visited projects (each with a report photo, milestones and every evaluator's
scores), as its manager, an evaluator and the city leader."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations import services
from milestones.models import ReportPhoto
from milestones.tests.factories import MilestoneFactory, ProgressReportFactory
from registry.choices import RegionLevel, Role
from registry.tests.factories import (
    AnnualPlanFactory,
    ProjectFactory,
    RegionFactory,
    UnitFactory,
    make_user,
)
from tests.permission_world import PNG

pytestmark = pytest.mark.django_db
DAY = datetime.datetime(2026, 6, 19, 2, 0, tzinfo=datetime.UTC)


class Setup:
    pass


def _world():
    s = Setup()
    s.city = RegionFactory(name="示例市", code="370100", level=RegionLevel.CITY)
    s.county = RegionFactory(name="甲县", code="370102", level=RegionLevel.COUNTY, parent=s.city)
    s.unit = UnitFactory(name="甲县发改局", region=s.county)
    s.manager = make_user("qc_drc", Role.REVIEWER, region=s.city)
    s.leader = make_user("qc_leader", Role.LEADER, region=s.city)
    s.evaluators = [make_user(f"qc_e{i}", Role.REVIEWER, region=s.city) for i in range(5)]
    s.events = []
    for name, start in (("上次观摩", datetime.date(2026, 3, 10)), ("本次观摩", DAY.date())):
        event = services.event_create(
            name=name, year=2026, starts_on=start, ends_on=start, user=s.manager
        )
        s.group = services.group_add(event=event, name="综合组")
        s.route = services.route_add(event=event, name="一线")
        for user in s.evaluators:
            services.evaluator_add(event=event, user=user)
        s.events.append(event)
    s.n = 0
    return s


def _grow(s, n):
    """n more projects visited by both events, each with a photo, a milestone and scores."""
    first, this = s.events
    for _ in range(n):
        s.n += 1
        p = ProjectFactory(
            code=f"QC-{s.n:03d}", name=f"计数项目{s.n}", region=s.county, unit=s.unit
        )
        AnnualPlanFactory(project=p)
        MilestoneFactory(project=p, actual_on=datetime.date(2026, 5, 1))
        report = ProgressReportFactory(project=p, month=3, status="approved")
        photo = ReportPhoto(report=report, caption="现场")
        photo.image.save("site.png", ContentFile(PNG), save=False)
        photo.save()
        for event in (first, this):
            group, route = event.groups.get(), event.routes.get()
            stop = services.stop_add(event=event, project_id=p.pk, group=group, route=route)
            for user in s.evaluators:
                for c in event.criteria.all():
                    services.score_save(event=event, user=user, stop_id=stop.pk,
                                        criterion_id=c.pk, points="5")  # fmt: skip


def _pages(s):
    last, this = s.events
    evaluator = s.evaluators[0]
    return {
        "detail": (s.manager, reverse("evaluations:detail", args=[this.pk])),
        "detail-closed": (s.leader, reverse("evaluations:detail", args=[last.pk])),
        "score": (evaluator, reverse("evaluations:score", args=[this.pk])),
        "bulletin": (s.manager, reverse("evaluations:bulletin", args=[this.pk])),
        "bulletin-closed": (s.leader, reverse("evaluations:bulletin", args=[last.pk])),
        "export": (s.manager, reverse("evaluations:export", args=[this.pk])),
        "lookback": (s.manager, reverse("evaluations:lookback", args=[this.pk])),
        "list": (evaluator, reverse("evaluations:list")),
        "api-list": (s.leader, "/api/evaluations/"),
        "api-detail": (s.manager, f"/api/evaluations/{this.pk}/"),
        "api-my-scores": (evaluator, f"/api/evaluations/{this.pk}/my-scores/"),
    }


def _measure(s):
    out = {}
    for name, (user, url) in _pages(s).items():
        client = Client()
        client.force_login(user)
        client.get(url)
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        out[name] = len(ctx.captured_queries)
    return out


def _counts(n):
    """The counts for events of n projects, the first closed (the 回头看 of the second)."""
    with time_machine.travel(DAY, tick=False), transaction.atomic():
        s = _world()
        _grow(s, n)
        services.event_close(event=s.events[0], user=s.manager)
        s.events[0].refresh_from_db()
        out = _measure(s)
        transaction.set_rollback(True)
    return out


def test_same_query_count_for_3_and_9_projects():
    small, large = _counts(3), _counts(9)
    assert small == large
