"""Ledger writes: optimistic locking and the contracting history of 五个一."""

import pytest

from registry import services
from registry.models import Project
from registry.tests.factories import LeaderFactory

pytestmark = pytest.mark.django_db


def test_update_bumps_version_and_keeps_history(city, users):
    p = city.project_a
    services.project_update(
        project=p, data={"name": "甲县项目（调整）"}, version=1, user=users.reviewer
    )
    p.refresh_from_db()
    assert (p.name, p.version) == ("甲县项目（调整）", 2)
    rec = p.history.first()
    assert rec.history_user == users.reviewer and rec.name == "甲县项目（调整）"


def test_second_stale_update_is_refused_and_first_kept(city, users):
    # given two editors who both opened version 1, the first one named 王审核
    users.reviewer.first_name = "王审核"
    users.reviewer.save()
    p1 = Project.objects.get(pk=city.project_a.pk)
    p2 = Project.objects.get(pk=city.project_a.pk)
    services.project_update(project=p1, data={"owner": "甲公司"}, version=1, user=users.reviewer)
    # when the second saves
    with pytest.raises(services.StaleEditError) as exc:
        services.project_update(project=p2, data={"owner": "乙公司"}, version=1, user=users.admin)
    # then they are told who saved first, and the first edit stands alone in the history
    assert exc.value.messages[0].startswith("该记录已被王审核于")
    assert "您看到的是旧版本" in exc.value.messages[0]
    saved = Project.objects.get(pk=p1.pk)
    assert (saved.owner, saved.version) == ("甲公司", 2)
    assert [(h.owner, h.history_user) for h in saved.history.filter(history_type="~")] == [
        ("甲公司", users.reviewer)
    ]


def test_changing_leader_records_contract_history(city, users):
    p = city.project_a
    old_name = p.leader.name
    services.project_assign_contract(project=p, user=users.reviewer)
    new_leader = LeaderFactory(region=city.county_a, name="新领导")
    services.project_update(project=p, data={"leader": new_leader}, version=1, user=users.reviewer)
    history = list(p.assignments.order_by("id"))
    assert [a.leader.name for a in history] == [old_name, "新领导"]
    assert history[0].end_on is not None and history[1].end_on is None


def test_soft_delete_keeps_row_and_history(city, users):
    services.project_soft_delete(project=city.project_a, user=users.admin)
    p = Project.all_objects.get(pk=city.project_a.pk)
    assert p.is_deleted and p.history.first().history_user == users.admin
