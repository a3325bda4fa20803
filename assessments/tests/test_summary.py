"""The bulletin's paragraph and sentences against hand-written text.

A hand-built list for June 2026 (T = 6/12 = 50%), money in 万元:

| leaf | nature | level    | total  | plan  | June YTD | notes                                      |
|------|--------|----------|--------|-------|----------|--------------------------------------------|
| K1   | 续建   | 省重点   | 200000 | 40000 | 30000    | 计划投产; Feb report says 已复工           |
| K2   | 续建   | 市重点   | 100000 | 20000 | 8000     |                                            |
| S1   | 续建   | 县区重点 | 50000  | 10000 | 3000     | sub-project of package P; says 已复工      |
| S2   | 续建   | 县区重点 | 50000  | 10000 | 3000     | sub-project of package P                   |
| N1   | 新开工 | 市重点   | 80000  | 20000 | 12000    | 计划投产; planned start 3-01, started 2-20 |
| N2   | 新开工 | 县区重点 | 30000  | 10000 | —        | planned start 4-01, not started            |
| N3   | 新开工 | 省重点   | 40000  | 10000 | —        | planned start 9-01, not started            |

6 projects (P once), 7 after splitting; total 550000 = 55.0亿; plan 120000 = 12.0亿;
YTD 56000 = 5.6亿 → 46.67%, 3.33 points below the time progress. Year 2025: K1 and K2
had 20000 + 12000 = 32000 by June 2025, so 2026 is 24000 (2.40亿) or 75.00% up.
"""

import datetime
from decimal import Decimal

import pytest

from assessments import metrics, summary
from core.signals import changed
from milestones.choices import ReportStatus
from milestones.tests.factories import ProgressReportFactory
from registry.choices import Nature, ProjectLevel
from registry.selectors import year_list
from registry.tests.factories import AnnualPlanFactory, ProjectFactory, RegionFactory

D = Decimal
pytestmark = pytest.mark.django_db


def _leaf(name, *, nature, level, total, plan, ytd=None, region, package=None, **extra):
    plan_kwargs = {k: extra.pop(k) for k in ("plan_start", "plan_finish") if k in extra}
    resumed_in = extra.pop("resumed_in", None)
    p = ProjectFactory(
        name=name,
        nature=nature,
        level=level,
        total_investment=D(total),
        region=region,
        package=package,
        **extra,
    )
    AnnualPlanFactory(project=p, year=2026, planned_investment=D(plan), **plan_kwargs)
    if resumed_in:
        ProgressReportFactory(
            project=p, month=resumed_in, status=ReportStatus.APPROVED, is_resumed=True,
            invested_month=D("10"), invested_ytd=D("10"),
        )  # fmt: skip
    if ytd is not None:
        ProgressReportFactory(
            project=p, month=6, status=ReportStatus.APPROVED, invested_month=D(ytd),
            invested_ytd=D(ytd),
        )  # fmt: skip
    return p


@pytest.fixture
def june():
    region = RegionFactory(name="通报县", code="390101")
    cont, new = Nature.CONTINUING, Nature.NEW
    prov, city, county = ProjectLevel.PROVINCE, ProjectLevel.CITY, ProjectLevel.COUNTY
    last_year = datetime.date(2025, 5, 1)
    p = {}
    p["K1"] = _leaf(
        "K1",
        nature=cont,
        level=prov,
        total="200000",
        plan="40000",
        ytd="30000",
        region=region,
        plan_finish=True,
        resumed_in=2,
        started_on=last_year,
    )
    p["K2"] = _leaf(
        "K2",
        nature=cont,
        level=city,
        total="100000",
        plan="20000",
        ytd="8000",
        region=region,
        started_on=last_year,
    )
    p["P"] = ProjectFactory(
        name="打包P", is_package=True, level=county, region=region, total_investment=D("100000")
    )
    p["S1"] = _leaf(
        "S1",
        nature=cont,
        level=county,
        total="50000",
        plan="10000",
        ytd="3000",
        region=region,
        package=p["P"],
        resumed_in=3,
        started_on=last_year,
    )
    p["S2"] = _leaf(
        "S2",
        nature=cont,
        level=county,
        total="50000",
        plan="10000",
        ytd="3000",
        region=region,
        package=p["P"],
        started_on=last_year,
    )
    p["N1"] = _leaf(
        "N1",
        nature=new,
        level=city,
        total="80000",
        plan="20000",
        ytd="12000",
        region=region,
        plan_start=True,
        plan_finish=True,
        planned_start=datetime.date(2026, 3, 1),
        started_on=datetime.date(2026, 2, 20),
    )
    p["N2"] = _leaf(
        "N2",
        nature=new,
        level=county,
        total="30000",
        plan="10000",
        region=region,
        plan_start=True,
        planned_start=datetime.date(2026, 4, 1),
    )
    p["N3"] = _leaf(
        "N3",
        nature=new,
        level=prov,
        total="40000",
        plan="10000",
        region=region,
        plan_start=True,
        planned_start=datetime.date(2026, 9, 1),
    )
    return p


def _last_year(p):
    """K1 and K2 were on the 2025 list too, with June 2025 approved."""
    for name, ytd in (("K1", "20000"), ("K2", "12000")):
        AnnualPlanFactory(project=p[name], year=2025, planned_investment=D("50000"))
        ProgressReportFactory(
            project=p[name], year=2025, month=6, status=ReportStatus.APPROVED,
            invested_month=D(ytd), invested_ytd=D(ytd),
        )  # fmt: skip


def test_paragraph_counts_the_package_both_ways_and_says_below(june):
    # when the June text is written for the whole list
    text = summary.bulletin_text(year_list(2026), 2026, 6)
    # then the base paragraph is the hand-written one: 低于 (46.67% − 50%), P once and split
    assert text.paragraph == (
        "今年重点建设项目6项（打包项目拆分后共7项），项目总投资55.0亿元，年度投资计划12.0亿元。"
        "1-6月累计完成投资5.6亿元，占年度投资计划的46.7%，低于时间进度3.3个百分点。"
        "本年度计划开工项目3项（其中1-6月计划开工2项），实际已开工1项，完成年度计划开工的33.3%。"
    )
    # and it is the home page's paragraph, not a second one
    assert text.paragraph == metrics.dashboard(year_list(2026), 2026, 6).paragraph


def test_paragraph_says_exceeds_when_ahead(june):
    # given K1 reports 10000 more by June: YTD 66000 → 55.0% (T 50%)
    from milestones.models import ProgressReport

    ProgressReport.objects.filter(project=june["K1"], month=6).update(invested_ytd=D("40000"))
    changed([june["K1"].pk])  # a bulk update says which projects it touched
    # when
    text = summary.bulletin_text(year_list(2026), 2026, 6)
    # then
    assert "1-6月累计完成投资6.6亿元，占年度投资计划的55.0%，超过时间进度5.0个百分点。" in (
        text.paragraph
    )


def test_nature_sentence(june):
    text = summary.bulletin_text(year_list(2026), 2026, 6)
    assert text.sentences["nature"] == (
        "其中续建项目3项（打包项目拆分后共4项），完成投资4.4亿元，完成年度计划投资的55.0%；"
        "新开工项目3项，已开工1项，完成投资1.2亿元，完成年度计划投资的30.0%。"
        "计划竣工投产项目2项，完成投资4.2亿元，完成年度计划投资的70.0%。"
    )


def test_unstarted_by_level_sentence(june):
    text = summary.bulletin_text(year_list(2026), 2026, 6)
    # N3 (省重点) and N2 (县区重点) are not started; no 市重点 project is missing
    assert text.sentences["unstarted"] == "2项未开工项目中，省重点项目1项，县区重点项目1项。"


def test_tier_sentence_above_and_below_the_time_progress(june):
    text = summary.bulletin_text(year_list(2026), 2026, 6)
    # 省、市: K1 K2 N1 N3 → 50000 / 90000 = 55.56%; 县区: S1 S2 N2 → 6000 / 30000 = 20%
    assert text.sentences["tiers"] == (
        "列入省、市重点项目4项，完成投资5.0亿元，完成年度计划投资的55.6%，高于序时进度5.6个百分点；"
        "县区重点项目2项（打包项目拆分后共3项），完成投资0.6亿元，完成年度计划投资的20.0%，"
        "低于序时进度30.0个百分点。"
    )


def test_starts_sentence(june):
    text = summary.bulletin_text(year_list(2026), 2026, 6)
    # N1 started before its planned date; N2's date passed unstarted; N3 is not due yet
    assert text.sentences["starts"] == (
        "目前实际已开工1项（其中，提前开工项目1项，未按计划开工项目1项）。"
    )


def test_resumption_sentence(june):
    text = summary.bulletin_text(year_list(2026), 2026, 6)
    # 3 新开工 + 3 续建 (K1, K2 and the package P once): 新开工和续建 is 3 + 3, as the nature
    # sentence counts them; N1 started, K1 and P (S1) reported 已复工 → 3 of 6
    assert text.sentences["resumption"] == (
        "新开工和续建项目6项，开复工3项，开复工率为50.0%，其中新开工项目开工1项，续建项目复工2项。"
    )


def test_resumption_needs_an_approved_report(june):
    from milestones.models import ProgressReport

    ProgressReport.objects.filter(project=june["S1"], is_resumed=True).update(
        status=ReportStatus.SUBMITTED
    )
    changed([june["S1"].pk])  # a bulk update says which projects it touched
    text = summary.bulletin_text(year_list(2026), 2026, 6)
    assert "开复工2项，开复工率为33.3%" in text.sentences["resumption"]


def test_year_on_year_sentence_once_last_year_exists(june):
    # given no 2025 list: no year-on-year sentence
    text = summary.bulletin_text(year_list(2026), 2026, 6, last_year_projects=year_list(2025))
    assert "year_on_year" not in text.sentences
    # when 2025 has K1 and K2 with June approved
    _last_year(june)
    text = summary.bulletin_text(year_list(2026), 2026, 6, last_year_projects=year_list(2025))
    # then 2025's list had 2 projects against 2026's 6 (more than a fifth apart): the 同口径
    # figure over K1 and K2 follows, 30000 + 8000 = 38000 against 32000 → +6000, +18.75%
    assert text.sentences["year_on_year"] == (
        "1-6月累计完成投资较去年同期增长2.40亿元，同比增长75.00%"
        "（去年同期重点项目2项，今年6项，规模不同）；"
        "按两年均在库的2项同口径计算，较去年同期增长0.60亿元，同比增长18.75%。"
    )
    assert text.text.endswith(text.sentences["year_on_year"])


def test_year_on_year_sentence_says_decrease():
    now = metrics.Figures(split_count=1, ytd=D("30000"))
    before = metrics.Figures(split_count=1, ytd=D("40000"))
    assert summary.year_on_year_sentence(now, before, 10) == (
        "1-10月累计完成投资较去年同期减少1.00亿元，同比下降25.00%。"
    )


def test_empty_list_has_no_sentences():
    text = summary.bulletin_text(year_list(2026), 2026, 6)
    assert text.sentences == {}
    assert text.paragraph == "今年重点建设项目0项，项目总投资0.0亿元，年度投资计划0.0亿元。"


def test_ranking_sentences_name_first_and_last():
    from assessments.scoring import ScoreRow, Tally, boards

    rows = [
        ScoreRow(1, "甲县", Tally(), score=D("92.50")),
        ScoreRow(2, "乙县", Tally(), score=D("80.00")),
        ScoreRow(3, "丙县", Tally(), score=D("61.25")),
    ]
    boards(rows)
    assert summary.ranking_sentences(rows, "2026年第3季度") == [
        "2026年第3季度县区综合考评，甲县以92.50分位列第一，丙县以61.25分排名最后。",
        "红榜：甲县。",
        "黑榜：丙县。",
    ]


def test_paragraph_rounds_half_up_like_the_pages():
    # 1980 of 4800 万元 is 41.25%: the KPI cards (`pct`) print 41.3%, so must the paragraph
    f = metrics.Figures(
        count=1, split_count=1, annual_plan=D("4800"), ytd=D("1980"),
        completion_rate=D("41.25"), time_progress=D("50.00"), gap=D("-8.75"),
    )  # fmt: skip
    assert "占年度投资计划的41.3%，低于时间进度8.8个百分点。" in summary.summary_paragraph(
        f, 2026, 6
    )
