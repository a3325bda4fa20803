"""The hand-computed 观摩评比 of evaluations/tests/world.py: conflicts refused, trimmed means,
ranks, 红榜/黑榜, and what closing writes into the 绩效库 and 负面清单."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from assessments.models import RecordEntry
from assessments.records import records
from evaluations import results, services
from evaluations.models import Score
from evaluations.tests.world import build, give
from registry.models import Project

pytestmark = pytest.mark.django_db
D = Decimal
DAY_AFTER = datetime.datetime(2026, 6, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def w():
    with time_machine.travel(DAY_AFTER, tick=False):
        yield build()


def _table(groups):
    return {g.name: [(r.name, r.score, r.rank, r.board) for r in g.rows] for g in groups}


def test_nobody_scores_their_own_region_or_unit(w):
    # when 甲县's reporter scores a project in one of 甲县's towns, and 市交通局's clerk its own
    with pytest.raises(ValidationError) as region:
        give(w, 1, "p1", 80)
    with pytest.raises(ValidationError) as unit:
        give(w, 2, "p6", 80)
    # then both are refused in Chinese and nothing was written for them
    assert region.value.messages == ["不能为本地区（甲县）的项目评分：观摩项目p1"]
    assert unit.value.messages == ["不能为本单位的项目评分：观摩项目p6"]
    assert not Score.objects.filter(evaluator__user=w.e[1], stop=w.stop["p1"]).exists()
    assert not Score.objects.filter(evaluator__user=w.e[2], stop=w.stop["p6"]).exists()
    # and the department's project in 甲县 is refused to 甲县's reporter too
    with pytest.raises(ValidationError, match="本地区"):
        give(w, 1, "p8", 70)


def test_trimmed_means_and_ranks(w):
    groups = results.compute(w.event)
    projects = {p.name[-2:]: p for g in groups for r in g.rows for p in r.projects}
    # then each project's score is the hand-computed mean
    assert {k: p.score for k, p in projects.items()} == {
        "p1": D("82.50"), "p2": D("65.00"), "p3": D("89.25"), "p4": D("73.00"),
        "p5": D("84.13"), "p6": D("82.50"), "p7": D("75.00"), "p8": D("62.50"),
    }  # fmt: skip
    # five or more complete sheets: the highest and the lowest dropped; p5 has four
    assert projects["p4"].counted == [D(x) for x in (71, 72, 73, 74, 75)]
    assert len(projects["p5"].totals) == 4 and projects["p5"].counted == projects["p5"].totals
    # then participants rank by the mean of their projects, with 红榜/黑榜 per group
    assert _table(groups) == {
        "乡镇组": [
            ("甲县新安镇", D("89.25"), 1, "红榜"),
            ("丙县城关镇", D("84.13"), 2, ""),
            ("甲县城关镇", D("73.75"), 3, ""),
            ("乙区东湖街道", D("73.00"), 4, "黑榜"),
        ],
        "市直部门组": [
            ("市交通局", D("82.50"), 1, "红榜"),
            ("市住建局", D("75.00"), 2, ""),
            ("市水利局", D("62.50"), 3, "黑榜"),
        ],
    }
    assert [g.mean for g in groups] == [D("78.78"), D("73.33")]


def test_scores_are_refused_outside_the_sheet(w):
    with pytest.raises(ValidationError, match="最高60.00分"):
        services.score_save(event=w.event, user=w.e[3], stop_id=w.stop["p1"].pk,
                            criterion_id=w.progress.pk, points="60.5")  # fmt: skip
    with pytest.raises(ValidationError, match="最多两位小数"):
        services.score_save(event=w.event, user=w.e[3], stop_id=w.stop["p1"].pk,
                            criterion_id=w.progress.pk, points="50.125")  # fmt: skip
    with pytest.raises(ValidationError, match="不是本活动的评委"):
        services.score_save(event=w.event, user=w.reviewer, stop_id=w.stop["p1"].pk,
                            criterion_id=w.progress.pk, points="50")  # fmt: skip
    # the stored score of evaluator 3 for p1 is still 85 − 35 = 50
    assert Score.objects.get(evaluator__user=w.e[3], stop=w.stop["p1"],
                             criterion=w.progress).points == D("50.00")  # fmt: skip


def test_closing_publishes_and_writes_the_records(w):
    # when the city reviewer closes the event
    with time_machine.travel(DAY_AFTER, tick=False):
        event = services.event_close(event=w.event, user=w.reviewer)
    # then the ranking is frozen with an issue number
    assert event.issue == "2026年第1期" and not event.is_open
    frozen = _table(results.results(event))
    assert frozen["市直部门组"][2] == ("市水利局", D("62.50"), 3, "黑榜")
    # later scores are refused, and the published ranking does not move
    with pytest.raises(ValidationError, match="活动已结束"):
        give(w, 3, "p8", 95)
    # then the 绩效库 has every ranked unit's rank; the 黑榜 unit is on the 负面清单
    units = RecordEntry.objects.filter(unit__isnull=False, source=f"evaluation:{event.pk}")
    assert sorted(units.values_list("unit__name", "kind")) == [
        ("市交通局", "record"), ("市住建局", "record"), ("市水利局", "negative"),
        ("市水利局", "record"),
    ]  # fmt: skip
    negative = units.get(kind="negative")
    assert negative.reason == "2026年上半年观摩评比（市直部门组）列入黑榜：市水利局"
    red = units.get(unit=w.traffic)
    assert red.reason == "2026年上半年观摩评比（市直部门组）第1名（共3名），得分82.50，列入红榜"
    # the contracting leaders of the 黑榜's projects (a town's and a unit's) are named too
    leaders = RecordEntry.objects.filter(leader__isnull=False, kind="negative")
    assert {e.project_id for e in leaders} == {w.p["p4"].pk, w.p["p8"].pk}
    # and the 绩效库 page's records show them (by unit and by leader)
    listed = Project.objects.filter(pk__in=[p.pk for p in w.p.values()])
    by_unit = {r.name: r for r in records(listed, 2026, 6, by="unit")}
    assert [e.reason for e in by_unit["市水利局"].negatives] == [negative.reason]
    assert "第1名" in by_unit["市交通局"].entries[0].reason
    by_leader = {r.key: r for r in records(listed, 2026, 6, by="leader")}
    assert "列入黑榜：乙区东湖街道" in by_leader[w.p["p4"].leader_id].negatives[0].reason
    # a period that ended before the event (May) does not show them (SPEC §3.8)
    assert not any(r.negatives or r.entries for r in records(listed, 2026, 5, by="unit"))
    # closing again is refused; re-writing the entries never duplicates them
    with pytest.raises(ValidationError):
        services.event_close(event=event, user=w.reviewer)
    assert (
        RecordEntry.objects.filter(source=f"evaluation:{event.pk}").count() == 4 + 10
    )  # units; leaders: 6 towns' + 4 departments'
