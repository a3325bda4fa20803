"""The /evaluations/ pages and /api/evaluations/ as their users see them."""

import datetime
import io
import json

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from evaluations import services
from evaluations.models import Event, Score
from evaluations.tests.world import build
from registry.choices import Role
from registry.tests.factories import make_user

pytestmark = pytest.mark.django_db
DAY = datetime.datetime(2026, 6, 19, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture
def w():
    with time_machine.travel(DAY, tick=False):
        yield build()


def as_user(client, user):
    client.force_login(user)
    return client


def test_an_evaluator_sees_only_their_event_and_a_county_reviewer_none(client, w):
    county_reviewer = make_user("gm_rev_a", Role.REVIEWER, region=w.county["a"])
    page = as_user(client, w.e[1]).get(reverse("evaluations:list"))
    assert w.event.name in page.text and "我是评委" in page.text
    # the per-event role: the 甲县 reporter sees the event's projects of other counties there
    detail = client.get(reverse("evaluations:detail", args=[w.event.pk]))
    assert "观摩项目p4" in detail.text and "评分：东线" in detail.text
    as_user(client, county_reviewer)
    assert w.event.name not in client.get(reverse("evaluations:list")).text
    assert client.get(reverse("evaluations:detail", args=[w.event.pk])).status_code == 404


def test_the_score_page_shows_cards_figures_and_who_may_not_score(client, w):
    page = as_user(client, w.e[1]).get(
        reverse("evaluations:score", args=[w.event.pk]) + f"?route={w.east.pk}"
    )
    text = page.text
    assert page.status_code == 200 and "观摩项目p1" in text and "观摩项目p6" in text
    assert "不能为本地区（甲县）的项目评分（回避）" in text  # p1..p3 are 甲县's
    assert f'data-criterion="{w.progress.pk}"' in text and "年度计划" in text
    assert "观摩项目p4" not in text  # another route
    bad = client.get(reverse("evaluations:score", args=[w.event.pk]) + "?route=abc")
    assert bad.status_code == 400 and "路线参数应为数字" in bad.text
    # a reviewer who is not an evaluator may not score
    as_user(client, w.reviewer)
    assert client.get(reverse("evaluations:score", args=[w.event.pk])).status_code == 403


def _save(client, w, stop, criterion, points):
    return client.post(
        reverse("evaluations:score_save", args=[w.event.pk]),
        json.dumps({"stop": stop.pk, "criterion": criterion.pk, "points": points}),
        content_type="application/json",
    )


def test_saving_one_score_as_typed(client, w):
    as_user(client, w.e[3])
    ok = _save(client, w, w.stop["p4"], w.progress, "41.5")
    assert ok.status_code == 200 and ok.json()["points"] == "41.50" and ok.json()["saved_at"]
    assert Score.objects.get(evaluator__user=w.e[3], stop=w.stop["p4"],
                             criterion=w.progress).points == 41.5  # fmt: skip
    too_high = _save(client, w, w.stop["p4"], w.progress, "61")
    assert too_high.status_code == 400 and too_high.json()["error"] == "“建设进度”最高60.00分"
    as_user(client, w.e[1])
    own = _save(client, w, w.stop["p1"], w.progress, "40")
    assert own.status_code == 400 and "不能为本地区（甲县）的项目评分" in own.json()["error"]
    as_user(client, w.reviewer)
    assert _save(client, w, w.stop["p4"], w.progress, "40").status_code == 403


def test_manager_sets_up_and_closes_and_everyone_reads_the_bulletin(client, w):
    as_user(client, w.reviewer)
    url = reverse("evaluations:edit", args=[w.event.pk])
    client.post(url, {"action": "group", "group-name": "县区组"})
    assert w.event.groups.filter(name="县区组").exists()
    refused = client.post(url, {"action": "remove_criterion", "id": w.progress.pk}, follow=True)
    assert "已有评分，不能删除" in refused.text
    draft = client.get(reverse("evaluations:bulletin", args=[w.event.pk]))
    assert "草稿" in draft.text and "红榜：" in draft.text
    # an evaluator does not see a ranking before it is published
    as_user(client, w.e[3])
    assert client.get(reverse("evaluations:bulletin", args=[w.event.pk])).status_code == 403
    as_user(client, w.reviewer)
    with time_machine.travel(DAY, tick=False):
        client.post(reverse("evaluations:close", args=[w.event.pk]))
    as_user(client, w.e[3])
    page = client.get(reverse("evaluations:bulletin", args=[w.event.pk]))
    assert "2026年第1期" in page.text and "市交通局（82.50分）" in page.text
    book = client.get(reverse("evaluations:export", args=[w.event.pk]))
    ws = openpyxl.load_workbook(io.BytesIO(book.content)).active
    rows = [r for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "2026年上半年观摩评比评比结果（2026年第1期）"
    water = next(r for r in rows if r[2] == "市水利局")
    assert water[1] == 3 and water[4] == "黑榜" and str(water[10]) == "62.5"


def test_lookback_shows_last_events_projects_then_and_now(client, w):
    with time_machine.travel(DAY, tick=False):
        services.event_close(event=w.event, user=w.reviewer)
    later = services.event_create(
        name="2026年下半年观摩评比", year=2026, starts_on=datetime.date(2026, 11, 20),
        ends_on=datetime.date(2026, 11, 21), user=w.reviewer,
    )  # fmt: skip
    # the sheet is a copy of the last event's
    assert [c.name for c in later.criteria.all()] == ["建设进度", "现场组织"]
    page = as_user(client, w.reviewer).get(reverse("evaluations:lookback", args=[later.pk]))
    assert "2026年上半年观摩评比" in page.text and page.text.count("观摩项目p") == 8


def test_api_lists_events_with_results_once_closed_and_own_scores(client, w):
    as_user(client, w.e[3])
    listed = client.get("/api/evaluations/").json()
    assert listed["count"] == 1 and listed["results"][0]["results"] is None
    assert [c["name"] for c in listed["results"][0]["criteria"]] == ["建设进度", "现场组织"]
    mine = client.get(f"/api/evaluations/{w.event.pk}/my-scores/").json()
    assert len(mine) == 16  # 8 projects × 2 lines
    posted = client.post(
        f"/api/evaluations/{w.event.pk}/my-scores/",
        {"stop": w.stop["p4"].pk, "criterion": w.organise.pk, "points": "39"},
        content_type="application/json",
    )
    assert posted.status_code == 200
    assert any(r["points"] == "39.00" for r in posted.json())
    as_user(client, w.e[1])
    refused = client.post(
        f"/api/evaluations/{w.event.pk}/my-scores/",
        {"stop": w.stop["p1"].pk, "criterion": w.organise.pk, "points": "30"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "本地区" in refused.text
    as_user(client, w.reviewer)
    assert client.get(f"/api/evaluations/{w.event.pk}/my-scores/").status_code == 403
    with time_machine.travel(DAY, tick=False):
        services.event_close(event=Event.objects.get(pk=w.event.pk), user=w.reviewer)
    closed = client.get(f"/api/evaluations/{w.event.pk}/").json()
    assert closed["issue"] == "2026年第1期"
    boards = {p["name"]: p["board"] for g in closed["results"] for p in g["participants"]}
    assert boards["甲县新安镇"] == "红榜" and boards["市水利局"] == "黑榜"


def test_a_sheet_line_saved_unchanged_changes_nothing(client, w):
    # given an event nobody has scored yet, its sheet line as the page renders it
    event = services.event_create(
        name="空白活动", year=2026, starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 7, 1), user=w.reviewer,
    )  # fmt: skip
    line = event.criteria.first()
    before = (line.name, line.max_points, line.description, line.order)
    page = as_user(client, w.reviewer).get(reverse("evaluations:detail", args=[event.pk]))
    assert f'value="{line.description}"' in page.text and f'value="{line.max_points}"' in page.text
    # when the row is sent back as shown
    client.post(
        reverse("evaluations:edit", args=[event.pk]),
        {"action": "criterion", "criterion_id": line.pk, "id": line.pk,
         "criterion-name": line.name, "criterion-max_points": str(line.max_points),
         "criterion-description": line.description},
    )  # fmt: skip
    # then nothing changed
    line.refresh_from_db()
    assert (line.name, line.max_points, line.description, line.order) == before
