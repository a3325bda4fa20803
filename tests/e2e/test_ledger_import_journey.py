"""The yearly ledger import in a real browser: upload → errors named → fix →
preview → confirm → the projects are in the ledger, with nothing written before."""

import openpyxl
import pytest
from playwright.sync_api import expect

from registry.models import ImportBatch, Project

PASSWORD = "pw-test-123"  # registry.tests.factories.make_user
HEADER = [
    "序号",
    "项目名称",
    "项目级别",
    "所属地区",
    "责任单位",
    "建设性质",
    "项目类别",
    "产业类别",
    "总投资（亿元）",
    "年度计划投资(亿元)",
    "计划开工时间",
    "计划竣工时间",
    "项目业主",
]


def ledger_file(path, total_a):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "市重点项目"
    ws.append(["示例市2026年重点项目台账"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(HEADER)
    ws.append(
        [
            1,
            "甲县智能制造产业园",
            "市重点",
            "甲县",
            "甲县发改局",
            "新开工",
            "产业",
            "二产",
            total_a,
            "0.8",
            "2026.5",
            "2027年12月",
            "甲县城投公司",
        ]
    )
    ws.append(
        [
            2,
            "乙区滨江公园",
            "县区重点",
            "乙区",
            "乙区住建局",
            "续建",
            "生态环保",
            "三产",
            "1.25",
            "0.4",
            "2025-03-15",
            "2026-12-31",
            "乙区园林处",
        ]
    )
    ws.append(["", "合计", "", "", "", "", "", "", "", "", "", "", ""])
    wb.save(path)
    return path


@pytest.mark.e2e
def test_reviewer_imports_ledger_through_preview(live_server, city, users, page, shot, tmp_path):
    base = live_server.url
    before = Project.objects.count()
    # given a reviewer on the import page
    page.goto(f"{base}/login/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.get_by_role("link", name="Excel导入").click()

    # when the file has a bad number, the preview names sheet, row and column; nothing is written
    page.set_input_files("input[type=file]", str(ledger_file(tmp_path / "台账.xlsx", "约3亿")))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator("body")).to_contain_text("整个文件不会导入")
    expect(page.locator("body")).to_contain_text("市重点项目 第3行 总投资")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    shot("import_errors")
    assert Project.objects.count() == before

    # when the fixed file is uploaded, the preview shows two new projects and waits
    page.get_by_role("link", name="导入记录").click()
    page.set_input_files("input[type=file]", str(ledger_file(tmp_path / "台账2.xlsx", "3.5")))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator("body")).to_contain_text("新增2项")
    shot("import_preview")
    assert Project.objects.count() == before

    # then confirming writes them, amounts converted from 亿元 to 万元
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("body")).to_contain_text("导入完成")
    assert Project.objects.count() == before + 2
    p = Project.objects.get(name="甲县智能制造产业园")
    assert str(p.total_investment) == "35000.00"
    assert str(p.planned_start) == "2026-05-01"
    assert ImportBatch.objects.filter(status="done", created_by=users.reviewer).count() == 1

    # and the ledger list finds the new project
    page.goto(f"{base}/projects/?q=智能制造")
    expect(page.locator("table")).to_contain_text("甲县智能制造产业园")
    expect(page.locator("table")).to_contain_text("35,000.00")
