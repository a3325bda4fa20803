"""An evaluator scores three projects of a route on a 390-px phone; the connection drops
between the first and the second (the save URL blocked), and nothing typed is lost: what was
saved stays saved, what was not shows 未保存, survives a reload and is saved once the
connection is back."""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from evaluations import services
from evaluations.models import Score
from evaluations.tests.world import build
from tests.e2e.test_progress_journey import PASSWORD
from tests.e2e.test_reporter_phone import PHONE, no_sideways_scroll

SAVE = "**/score/save/"
SHOTS = os.environ.get("E2E_SHOTS")


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _fill(page, stop, criterion, value):
    box = page.locator(f'.score-input[data-stop="{stop.pk}"][data-criterion="{criterion.pk}"]')
    box.scroll_into_view_if_needed()
    box.fill(value)
    box.blur()
    return box.locator("xpath=following-sibling::span[contains(@class,'save-state')]")


def _mine(w, stop):
    return dict(
        Score.objects.filter(evaluator__user=w.e[3], stop=stop).values_list(
            "criterion__name", "points"
        )
    )


@pytest.mark.e2e
def test_evaluator_scores_a_route_through_a_lost_connection(live_server, browser):
    with time_machine.travel(datetime.datetime(2026, 6, 19, 1, 0, tzinfo=datetime.UTC)):
        w = build(score=False)
    # the west route visits three projects: p4, p5, p7
    services.stop_remove(event=w.event, stop=w.stop["p8"])
    first, second, third = w.stop["p4"], w.stop["p5"], w.stop["p7"]
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "gm_e3")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}/evaluations/")
        page.get_by_role("link", name="2026年上半年观摩评比").click()
        page.get_by_role("link", name="评分：西线").click()
        expect(page.locator(".score-card")).to_have_count(3)
        no_sideways_scroll(page)

        # when the first project is scored: each line says 已保存
        expect(_fill(page, first, w.progress, "50")).to_contain_text("已保存")
        expect(_fill(page, first, w.organise, "35.5")).to_contain_text("已保存")
        _shot(page, "phone-score-saved")

        # when the connection drops and the second is scored: 未保存, nothing reaches the server
        page.route(SAVE, lambda route: route.abort())
        expect(_fill(page, second, w.progress, "45")).to_contain_text("未保存")
        expect(_fill(page, second, w.organise, "30")).to_contain_text("未保存")
        expect(page.locator("#sync-state")).to_contain_text("有 2 项未保存")
        _shot(page, "phone-score-offline")
        assert _mine(w, first) == {"建设进度": Decimal("50.00"), "现场组织": Decimal("35.50")}
        assert _mine(w, second) == {}

        # a reload while still offline keeps what was typed (and what was saved)
        page.reload()
        second_box = page.locator(f'.score-input[data-stop="{second.pk}"]')
        expect(second_box.first).to_have_value("45")
        expect(second_box.last).to_have_value("30")
        expect(page.locator(f'.score-input[data-stop="{first.pk}"]').last).to_have_value("35.50")
        expect(page.locator("#sync-state")).to_contain_text("未保存")

        # when the connection is back, the kept values are saved by themselves
        page.unroute(SAVE)
        expect(page.locator("#sync-state")).to_have_text("", timeout=15000)
        expect(_fill(page, third, w.progress, "55")).to_contain_text("已保存")
        expect(_fill(page, third, w.organise, "38")).to_contain_text("已保存")

        # then after a reload every value is there, as stored
        page.reload()
        values = {
            (s.pk, c.pk): page.locator(
                f'.score-input[data-stop="{s.pk}"][data-criterion="{c.pk}"]'
            ).input_value()
            for s in (first, second, third)
            for c in (w.progress, w.organise)
        }
        assert list(values.values()) == ["50.00", "35.50", "45.00", "30.00", "55.00", "38.00"]
        no_sideways_scroll(page)
        _shot(page, "phone-score-after-reload")
    finally:
        context.close()
    assert _mine(w, second) == {"建设进度": Decimal("45.00"), "现场组织": Decimal("30.00")}
    assert _mine(w, third) == {"建设进度": Decimal("55.00"), "现场组织": Decimal("38.00")}
