"""A county reviewer adds one project on the web (no Excel file) and finds it in the ledger."""

import pytest
from playwright.sync_api import expect

from registry.models import AnnualPlan, Project

PASSWORD = "pw-test-123"  # registry.tests.factories.make_user


@pytest.mark.e2e
def test_county_reviewer_adds_a_project_and_sees_it_in_the_ledger(
    live_server, city, users, page, shot
):
    base = live_server.url
    # given the county reviewer on the ledger list
    page.goto(f"{base}/login/")
    page.fill("#id_username", "reviewer_a")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{base}/projects/")

    # when they open 新增项目 and fill the form (a name of another county's project is fine)
    page.get_by_role("link", name="新增项目").click()
    expect(page.locator("h1")).to_contain_text("新增项目")
    # only their own county's regions are offered
    regions = page.locator("#id_region option").all_inner_texts()
    assert "乙区" not in " ".join(regions)
    page.fill("#id_name", "甲县新材料产业园")
    page.select_option("#id_level", label="县区重点")
    page.select_option("#id_nature", label="新开工")
    page.select_option("#id_category", label="产业")
    page.select_option("#id_sector", label="二产")
    page.select_option("#id_region", label="甲县")
    page.select_option("#id_unit", label="甲县发改局")
    page.fill("#id_owner", "甲县新材料有限公司")
    page.fill("#id_total_investment", "30,000")
    page.fill("#id_annual_plan", "8000")
    page.fill("#id_planned_start", "2026-09-01")
    page.fill("#id_planned_finish", "2026-03-01")  # before the start: refused
    page.fill("#id_pool_reason", "县政府常务会议研究增补")
    page.get_by_role("button", name="保存并新增").click()

    # then the form comes back with the import's message and nothing typed is lost
    expect(page.locator("#id_planned_finish ~ .invalid-feedback")).to_contain_text(
        "早于计划开工时间（2026-09-01）"
    )
    expect(page.locator("#id_owner")).to_have_value("甲县新材料有限公司")
    assert not Project.objects.filter(name="甲县新材料产业园").exists()

    # when the finish date is corrected
    page.fill("#id_planned_finish", "2028-12-31")
    shot("project_create_filled")
    page.get_by_role("button", name="保存并新增").click()

    # then the project page shows it, and the ledger list has it
    expect(page.locator(".alert-success")).to_contain_text("已新增项目")
    expect(page.locator("h1")).to_contain_text("甲县新材料产业园")
    project = Project.objects.get(name="甲县新材料产业园")
    assert AnnualPlan.objects.filter(project=project).count() == 1
    page.goto(f"{base}/projects/?q=新材料")
    expect(page.locator("table")).to_contain_text("甲县新材料产业园")
    expect(page.locator("table")).to_contain_text(project.code)
