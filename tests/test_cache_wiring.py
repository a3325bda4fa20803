"""Each app wires the figure cache's invalidation for its own models (core.cache's
`bump_on_writes`, in its AppConfig.ready): a save or a delete of any model the figures read
moves the generation, whichever app owns it."""

import pytest
from django.core.cache import cache

from core import cache as figures
from milestones.tests.factories import MilestoneFactory, ProblemFactory, ProgressReportFactory
from registry.models import Funding
from registry.tests.factories import AnnualPlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings):
    settings.ASSESS_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def moves(django_capture_on_commit_callbacks, write) -> bool:
    before = figures.generation()
    with django_capture_on_commit_callbacks(execute=True):
        write()
    return figures.generation() > before


@pytest.mark.parametrize(
    "make",
    [
        ProjectFactory,  # registry
        AnnualPlanFactory,
        lambda: Funding.objects.create(project=ProjectFactory(), source="central", planned=10),
        ProgressReportFactory,  # milestones
        MilestoneFactory,
        ProblemFactory,
    ],
    ids=["project", "plan", "funding", "report", "milestone", "problem"],
)
def test_saving_and_deleting_moves_the_generation(
    cache_on, django_capture_on_commit_callbacks, make
):
    with django_capture_on_commit_callbacks(execute=True):
        row = make()  # its project and plan too: measured apart, below
    assert moves(django_capture_on_commit_callbacks, row.save)
    assert moves(django_capture_on_commit_callbacks, row.delete)
