"""project_sync_lifecycle: dates and stage follow recorded events, audited, never backwards."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from registry.lifecycle import project_sync_lifecycle
from registry.models import Project
from registry.services import StaleEditError, project_update
from registry.tests.factories import ProjectFactory, make_user

D = datetime.date
pytestmark = pytest.mark.django_db


def test_completion_moves_a_building_project_to_completed_with_a_reason():
    # given a project in construction since 2024 (the example: 竣工 done 2025-08-23)
    project = ProjectFactory(stage="building", started_on=D(2024, 4, 1))
    user = make_user("drc_user")
    version = project.version
    # when its completion is recorded
    notes = project_sync_lifecycle(
        project=project, dates={"completion": D(2025, 8, 23)}, user=user, reason="节点“竣工”"
    )
    # then the ledger says 竣工 on that day, audited with who and why, and the version moved
    project.refresh_from_db()
    assert (project.stage, project.completed_on) == ("completed", D(2025, 8, 23))
    assert project.version == version + 1
    last = project.history.first()
    assert (last.history_user, last.history_change_reason) == (user, "节点“竣工”")
    assert (last.stage, last.completed_on) == ("completed", D(2025, 8, 23))
    assert notes == ["项目竣工时间记为 2025-08-23", "项目阶段由“在建”改为“竣工”"]


def test_a_stale_ledger_form_is_refused_after_a_lifecycle_change():
    project = ProjectFactory(stage="preparatory")
    seen = project.version
    project_sync_lifecycle(project=project, dates={"start": D(2026, 3, 5)}, reason="月报")
    with pytest.raises(StaleEditError):
        project_update(project=project, data={"note": "x"}, version=seen)


@pytest.mark.parametrize(
    "dates,stage",
    [
        ({"start": D(2026, 3, 5)}, "building"),
        ({"operation": D(2026, 9, 1)}, "operating"),
        ({"capacity": D(2026, 12, 1)}, "capacity"),
    ],
)
def test_each_event_reaches_its_stage(dates, stage):
    project = ProjectFactory(stage="preparatory", started_on=None)
    project_sync_lifecycle(project=project, dates=dates, reason="节点")
    project.refresh_from_db()
    assert project.stage == stage


def test_never_moves_a_stage_backwards():
    # given a project already 投产
    project = ProjectFactory(
        stage="operating",
        started_on=D(2024, 4, 1),
        completed_on=D(2025, 8, 23),
        operating_on=D(2025, 10, 1),
    )
    before = project.history.count()
    # when a later 开工 correction arrives and the 竣工 record is cleared
    notes = project_sync_lifecycle(
        project=project,
        dates={"start": D(2024, 4, 10), "completion": None},
        reason="节点更正",
    )
    # then the date is corrected but the stage stays, and the user is told why
    project.refresh_from_db()
    assert project.stage == "operating" and project.completed_on == D(2025, 8, 23)
    assert project.started_on == D(2024, 4, 10)
    assert "项目竣工时间仍为 2025-08-23，阶段不回退；如需更正请修改台账" in notes
    assert project.history.count() == before + 1


def test_nothing_new_writes_nothing():
    project = ProjectFactory(stage="building", started_on=D(2026, 3, 5))
    before = (project.version, project.history.count())
    assert project_sync_lifecycle(project=project, dates={"start": D(2026, 3, 5)}, reason="x") == []
    project.refresh_from_db()
    assert (project.version, project.history.count()) == before


def test_dates_out_of_order_are_refused_in_chinese():
    project = ProjectFactory(stage="building", started_on=D(2026, 3, 5))
    with pytest.raises(ValidationError) as exc:
        project_sync_lifecycle(project=project, dates={"completion": D(2026, 1, 1)}, reason="x")
    assert exc.value.messages == ["竣工时间 2026-01-01 不能早于开工时间 2026-03-05"]
    assert Project.objects.get(pk=project.pk).stage == "building"
