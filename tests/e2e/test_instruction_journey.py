"""领导批示 in a real browser (SPEC §3.10): a leader writes a 批示 from the project page; the
responsible unit's reporter finds the task, answers with an attachment; the leader sees 已反馈
on the project page and on the home page's card."""

import pytest
from playwright.sync_api import expect

from instructions.models import Instruction
from tests.e2e.test_progress_journey import log_in, log_out

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def both_widths(page, shot, name):
    """Screenshots at 1366 and at a 390-px phone (E2E_SHOTS), back to 1366 after."""
    shot(f"{name}-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(f"{name}-390")
    page.set_viewport_size({"width": 1366, "height": 768})


@pytest.mark.e2e
def test_leader_instructs_reporter_answers_leader_sees_answered(
    live_server, city, users, page, shot
):
    base = live_server.url
    project = city.project_a
    # given the city leader on a county-A project's page
    log_in(page, base, "leader_city")
    page.goto(f"{base}/projects/{project.pk}/")
    panel = page.locator("#instructions-panel")
    expect(panel).to_contain_text("暂无批示")
    # when they write a 批示 (deadline prefilled a week ahead)
    panel.get_by_role("link", name="写批示").click()
    both_widths(page, shot, "instruction-form")
    page.fill("#id_text", "请于一周内协调解决施工用电，<b>确保</b>按期开工。")
    page.get_by_role("button", name="签发批示").click()
    expect(page.locator("#instruction-state")).to_have_text("待反馈")
    expect(page.locator("#instruction-text")).to_contain_text("<b>确保</b>")  # escaped
    log_out(page)

    # then county A's reporter finds the task in 领导批示 and answers with an attachment
    log_in(page, base, "reporter_a")
    page.get_by_role("link", name="领导批示").click()
    row = page.locator("#instruction-table tbody tr").first
    expect(row).to_contain_text(project.name)
    expect(row).to_contain_text("待反馈")
    both_widths(page, shot, "instruction-list")
    row.get_by_role("link", name=project.name).click()
    page.fill("#id_text", "已与供电公司对接，临时用电已接通。")
    page.set_input_files(
        "#id_files", {"name": "用电协议.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="提交反馈").click()
    expect(page.locator("#instruction-state")).to_have_text("已反馈")
    expect(page.locator("#feedback")).to_contain_text("用电协议.pdf")
    both_widths(page, shot, "instruction-detail")
    log_out(page)

    # and the leader sees 已反馈 on the project page and on the home page
    log_in(page, base, "leader_city")
    page.goto(f"{base}/projects/{project.pk}/")
    expect(page.locator("#instructions-panel")).to_contain_text("已反馈")
    both_widths(page, shot, "instruction-project-panel")
    page.goto(f"{base}/")
    expect(page.locator("#mine-answered")).to_have_text("1")
    instruction = Instruction.objects.get()
    assert instruction.status == "answered" and instruction.feedback.count() == 1
