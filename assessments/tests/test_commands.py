"""manage.py assess: counts per status, CSV rows, Chinese errors."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import ProjectMonthStatus
from assessments.tests.helpers import leaf

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("assess", *args, stdout=out)
    return out.getvalue()


def test_assess_prints_counts_and_writes_csv(tmp_path):
    # given one project per outcome in June
    lagging = leaf(reports=[(6, "360")])
    warning = leaf(reports=[(6, "480")])
    normal = leaf(reports=[(6, "600")])
    unreported = leaf()
    path = tmp_path / "june.csv"
    # when June is assessed twice with a CSV
    run("--period", "2026-06")
    output = run("--period", "2026-06", "--csv", str(path))
    # then the counts are printed and nothing is duplicated
    assert "2026年6月：共评价 4 个项目" in output
    for line in ["滞后 1", "预警 1", "正常 1", "较快 0", "未报 1"]:
        assert line in output
    assert ProjectMonthStatus.objects.count() == 4
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[0] == ["项目编号", "状态", "R", "T", "G", "原因"]
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code[lagging.code][1:5] == ["滞后", "30.00", "50.00", "-20.00"]
    assert "（≤-20，滞后）" in by_code[lagging.code][5]
    assert by_code[warning.code][1] == "预警"
    assert by_code[normal.code][1] == "正常"
    assert by_code[unreported.code][1:] == ["未报", "", "", "", "6月月报未报送"]


@pytest.mark.parametrize(
    "period,message",
    [
        ("2026-13", "月份应在1到12之间"),
        ("2026-Q3", "此处期间应为月份"),
        ("十月", "期间格式不正确"),
    ],
)
def test_assess_rejects_bad_periods_in_chinese(period, message):
    with pytest.raises(CommandError, match=message):
        run("--period", period)
