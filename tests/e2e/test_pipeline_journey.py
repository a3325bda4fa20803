"""A town's reporter submits a pipeline project; the county reviewer moves it to 成熟; the city
reviewer admits it to this year's list as 增补; it is on the list with its history."""

import datetime

import pytest
from playwright.sync_api import expect

from pipeline.models import PipelineProject
from registry.choices import Role
from registry.tests.factories import make_user

PASSWORD = "pw-test-123"  # registry.tests.factories.make_user


def _login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


@pytest.mark.e2e
def test_pipeline_project_from_town_to_the_list(live_server, city, users, page, shot):
    base = live_server.url
    make_user("town_reporter", Role.REPORTER, region=city.town_a)
    page.on("dialog", lambda dialog: dialog.accept())
    # given the town's reporter on the pipeline list, when they submit a project
    _login(page, base, "town_reporter")
    page.goto(f"{base}/pipeline/projects/")
    page.click("#pipeline-new")
    page.fill("#id_name", "城关镇冷链物流中心")
    page.select_option("#id_region", label="甲县城关镇")
    page.select_option("#id_category", label="基础设施")
    page.fill("#id_total_investment", "68000")
    page.click("#pipeline-save")
    # then it is at 谋划
    expect(page.locator("#pp-stage")).to_have_text("谋划")
    pp = PipelineProject.objects.get(name="城关镇冷链物流中心")

    # when the county reviewer moves it to 成熟
    _login(page, base, "reviewer_a")
    page.goto(f"{base}/pipeline/projects/{pp.pk}/")
    page.select_option("#id_stage", label="成熟")
    page.fill("#id_changed_on", datetime.date.today().isoformat())
    page.click("#stage-save")
    expect(page.locator("#pp-stage")).to_have_text("成熟")
    expect(page.locator("#stage-history")).to_contain_text("成熟")
    assert page.locator("#admit-form").count() == 0  # admission is the city's

    # when the city reviewer admits it to this year's list (增补)
    _login(page, base, "reviewer")
    page.goto(f"{base}/pipeline/projects/{pp.pk}/")
    shot("pipeline_admit")
    page.select_option("#id_year", index=0)
    page.select_option("#id_level", label="县区重点")
    page.select_option("#id_sector", label="三产")
    page.fill("#id_plan", "12000")
    page.select_option("#id_unit", label="甲县发改局")
    page.fill("#id_reason", "县政府常务会议研究增补")
    page.click("#admit-save")

    # then the project page opens, and the list of the year has it with its history
    expect(page.locator(".alert-success")).to_contain_text("已列入")
    pp.refresh_from_db()
    project = pp.project
    assert project.pool == "added" and project.name == "城关镇冷链物流中心"
    page.goto(f"{base}/projects/?year={datetime.date.today().year}&q=冷链物流")
    expect(page.locator("body")).to_contain_text(project.code)
    reasons = [h.history_change_reason or "" for h in project.history.all()]
    assert any("由项目谋划库转入（谋划" in r and "成熟" in r for r in reasons)
    page.goto(f"{base}/pipeline/projects/{pp.pk}/")
    expect(page.locator("#pp-admitted")).to_contain_text(project.code)
