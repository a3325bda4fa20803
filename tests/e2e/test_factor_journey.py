"""In a real browser: a reviewer raises a project's annual plan and its monthly schedule on the
web, then imports the ledger carrying the same plan: 0 errors, 0 changes."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from registry.models import AnnualPlan, ImportBatch

PASSWORD = "pw-test-123"  # registry.tests.factories.make_user


@pytest.mark.e2e
def test_reviewer_changes_plan_on_web_then_same_ledger_imports_clean(
    live_server, city, users, page, shot, tmp_path
):
    base = live_server.url
    project = city.project_a
    # given a reviewer on the project page
    page.goto(f"{base}/login/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{base}/projects/{project.pk}/")

    # when the plan goes from 1200 to 4800 with a cumulative schedule of 400 a month
    page.get_by_role("link", name="年度计划与月度计划").click()
    page.fill("#id_plan-planned_investment", "4800")
    for month in range(1, 13):
        page.fill(f"#id_plan-m{month:02d}", str(400 * month))
    shot("plan_form")
    page.get_by_role("button", name="保存").click()

    # then the project page shows it, and the database holds it to the cent
    expect(page.locator(".alert-success")).to_contain_text("年度计划与月度计划已保存")
    expect(page.locator("body")).to_contain_text("4,800.00")
    plan = AnnualPlan.objects.get(project=project, year=2026)
    assert plan.planned_investment == Decimal("4800.00")
    assert plan.m06 == Decimal("2400.00")

    # when the exported ledger (carrying the same plan) is imported again
    page.goto(f"{base}/projects/?year=2026")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出Excel").click()
    ledger = tmp_path / "台账.xlsx"
    download.value.save_as(ledger)
    page.get_by_role("link", name="Excel导入").click()
    page.set_input_files("input[type=file]", str(ledger))
    page.get_by_role("button", name="上传并预览").click()

    # then the preview has no error and nothing to change
    expect(page.locator("body")).to_contain_text("没有需要导入的新增或变更")
    shot("plan_reimport_preview")
    batch = ImportBatch.objects.get(created_by=users.reviewer)
    assert (batch.rows_error, batch.rows_changed, batch.rows_new) == (0, 0, 0)
    assert batch.rows_unchanged >= 1
