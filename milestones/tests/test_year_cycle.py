"""The year cycle (SPEC §3.5): preview and apply the next list, then import its ledger."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import login
from milestones.choices import ReportStatus
from milestones.services import year_cycle
from milestones.tests.factories import ProgressReportFactory
from registry import years
from registry.choices import Nature, Pool, Stage
from registry.ledger_import import ledger_import
from registry.models import AnnualPlan, ListYear, Project
from registry.selectors import year_list
from registry.tests.factories import AnnualPlanFactory, ProjectFactory
from registry.tests.fixtures.workbooks import row, simple_ledger

pytestmark = pytest.mark.django_db

D = Decimal
WORLD = {"续建道路", "新开工厂房", "已竣工学校", "退库项目", "城乡供水打包", "供水一期", "供水二期"}


def _project(city, name, *, before="0", plan="1200", **kw):
    kw.setdefault("region", city.county_a)
    kw.setdefault("unit", city.unit_a)
    p = ProjectFactory(name=name, invested_before_year=D(before), **kw)
    if plan is not None:
        AnnualPlanFactory(project=p, year=2026, planned_investment=D(plan))
    return p


def _approved(project, month, ytd, status=ReportStatus.APPROVED):
    ProgressReportFactory(
        project=project, year=2026, month=month, status=status, invested_ytd=D(ytd)
    )


@pytest.fixture
def world(city):
    """2026's list: continuing, started-this-year, finished, withdrawn, and a package."""
    w = type("World", (), {})()
    w.going = _project(city, "续建道路", before="3000", started_on=datetime.date(2025, 5, 1))
    _approved(w.going, 11, "1000")
    _approved(w.going, 12, "1150")
    _approved(w.going, 10, "999999", status=ReportStatus.SUBMITTED)  # not approved: ignored
    w.fresh = _project(
        city, "新开工厂房", before="0", nature=Nature.NEW, started_on=datetime.date(2026, 4, 2)
    )
    _approved(w.fresh, 9, "640.50")
    w.finished = _project(
        city,
        "已竣工学校",
        before="800",
        stage=Stage.COMPLETED,
        completed_on=datetime.date(2026, 8, 23),
        started_on=datetime.date(2025, 3, 1),
    )
    w.withdrawn = _project(city, "退库项目", pool=Pool.WITHDRAWN, pool_reason="业主放弃投资")
    w.package = ProjectFactory(name="城乡供水打包", region=city.county_a, unit=city.unit_a,
                               is_package=True)  # fmt: skip
    w.sub_going = _project(city, "供水一期", before="100", package=w.package,
                           started_on=datetime.date(2025, 9, 1))  # fmt: skip
    _approved(w.sub_going, 6, "50")
    w.sub_done = _project(city, "供水二期", before="60", package=w.package,
                          stage=Stage.OPERATING, started_on=datetime.date(2025, 1, 1))  # fmt: skip
    w.off_list = _project(city, "未列入项目", plan=None)
    return w


def test_preview_shows_what_carries_over_and_each_new_cumulative(world, users):
    preview = year_cycle.preview(from_year=2026, user=users.reviewer)
    carried = {c.project.name: c for c in preview.carried if c.project.name in WORLD}
    assert set(carried) == {"续建道路", "新开工厂房", "供水一期"}
    assert (carried["续建道路"].before_old, carried["续建道路"].ytd) == (D("3000"), D("1150"))
    assert carried["续建道路"].before_new == D("4150.00")
    assert carried["新开工厂房"].before_new == D("640.50")
    assert carried["新开工厂房"].nature_after == Nature.CONTINUING
    assert carried["供水一期"].before_new == D("150.00")
    leaving = {item.project.name: item.reason for item in preview.leaving}
    assert leaving == {
        "已竣工学校": "已竣工",
        "供水二期": "已投产",
        "退库项目": "退库：业主放弃投资",
    }
    assert [p.name for p in preview.packages] == ["城乡供水打包"]
    assert sum(c.before_new for c in carried.values()) == D("4940.50")
    # a preview writes nothing
    assert not AnnualPlan.objects.filter(year=2027).exists()
    assert not ListYear.objects.exists()


def test_apply_starts_the_new_list_once_and_keeps_the_old_year_intact(world, users):
    year_cycle.apply(from_year=2026, user=users.reviewer, confirmed=True)
    # the new list: carried leaves, and the package through its carried sub-project
    assert set(year_list(2027).values_list("name", flat=True)) & WORLD == {
        "续建道路", "新开工厂房", "供水一期", "城乡供水打包"
    }  # fmt: skip
    plan = AnnualPlan.objects.get(project=world.going, year=2027)
    assert (plan.planned_investment, plan.invested_before_year) == (D("0.00"), D("4150.00"))
    world.going.refresh_from_db()
    assert world.going.invested_before_year == D("4150.00")
    assert world.going.history.first().history_change_reason == "2027年度名单生成（年度滚动）"
    world.fresh.refresh_from_db()
    assert world.fresh.nature == Nature.CONTINUING
    # 2026 keeps its own 至上年底累计 (its December figures still derive from it)
    assert years.invested_before(world.going, 2026) == D("3000.00")
    assert years.invested_before(world.going, 2027) == D("4150.00")
    # finished and withdrawn projects stay searchable, on 2026's list only
    assert Project.objects.filter(name="已竣工学校").exists()
    assert not year_list(2027).filter(name__in=["已竣工学校", "退库项目"]).exists()
    assert year_list(2026).filter(name="已竣工学校").exists()
    # and the cycle cannot be applied twice
    with pytest.raises(ValidationError) as exc:
        year_cycle.apply(from_year=2026, user=users.reviewer, confirmed=True)
    assert "2027年度名单已于" in exc.value.messages[0]
    assert AnnualPlan.objects.filter(year=2027).count() == 3 + 4  # and the 4 of `city`


def test_next_years_ledger_with_changed_codes_fills_plans_without_duplicates(world, users, city):
    year_cycle.apply(from_year=2026, user=users.reviewer, confirmed=True)
    projects_before = Project.all_objects.count()
    old_code = world.going.code

    def line(p, code, plan):
        return row(code=code, name=p.name, region="甲县", unit="甲县发改局",
                   leader=p.leader.name, 建设性质="续建", total=10000, plan=plan,
                   start="2026-03-01", finish="2027-12-31", land=None)  # fmt: skip

    rows = [
        line(world.going, "2027-JX-0001", 2000),  # re-coded: matched by name + region
        line(world.fresh, world.fresh.code, 900),  # same code
        line(world.sub_going, "", 300),  # no code: name + region
        row(code="2027-JX-0009", name="2027新项目", plan=500),  # genuinely new
    ]
    result = ledger_import(
        simple_ledger(rows, title="2027年重点项目台账"), year=2027, dry_run=False, user=users.admin
    )
    assert result.errors == []
    assert [n["name"] for n in result.new] == ["2027新项目"]
    assert Project.all_objects.count() == projects_before + 1
    plans = dict(
        AnnualPlan.objects.filter(year=2027, project__name__in=WORLD | {"2027新项目"}).values_list(
            "project__name", "planned_investment"
        )
    )
    assert plans == {
        "续建道路": D("2000.00"), "新开工厂房": D("900.00"), "供水一期": D("300.00"),
        "2027新项目": D("500.00"),
    }  # fmt: skip
    world.going.refresh_from_db()
    assert world.going.code == "2027-JX-0001"
    # the cycle's 至上年底累计 survives the import
    assert AnnualPlan.objects.get(project=world.going, year=2027).invested_before_year == D(
        "4150.00"
    )
    # an outdated county sheet still using last year's code matches too, keeping today's code
    again = ledger_import(
        simple_ledger([line(world.going, old_code, 2000)], title="2027年重点项目台账"),
        year=2027,
        dry_run=False,
    )
    assert again.errors == [] and not again.new
    world.going.refresh_from_db()
    assert world.going.code == "2027-JX-0001"
    assert Project.all_objects.count() == projects_before + 1


def test_closed_year_is_read_only_except_for_admins(world, users):
    ListYear.objects.create(year=2025, closed=True)
    with pytest.raises(ValidationError) as exc:
        years.check_writable(2025, users.reviewer)
    assert exc.value.messages == ["2025年度已关闭，数据只读；如需更正请联系系统管理员"]
    years.check_writable(2025, users.admin)
    years.check_writable(2026, users.reviewer)
    result = ledger_import(
        simple_ledger([row(code="2025-X-1")], title="2025年重点项目台账"), year=2025, dry_run=True
    )
    assert result.errors == ["2025年度已关闭，数据只读；如需更正请联系系统管理员"]


def test_closing_needs_the_year_to_be_over(users):
    with pytest.raises(ValidationError):
        years.close_year(year=years.current_year(), user=users.reviewer)
    years.close_year(year=2020, user=users.reviewer)
    assert years.is_closed(2020)
    with pytest.raises(ValidationError):
        years.reopen_year(year=2020, user=users.reviewer)
    years.reopen_year(year=2020, user=users.admin)
    assert not years.is_closed(2020)


@time_machine.travel(datetime.datetime(2026, 12, 8, 10, tzinfo=datetime.UTC), tick=False)
def test_year_pages(client, world, users):
    # a county reviewer may not run the cycle
    login(client, users.reviewer_a)
    assert client.get(reverse("registry:years")).status_code == 403
    assert client.post(reverse("year_cycle:next", args=[2026])).status_code == 403
    assert not ListYear.objects.exists()
    # the city reviewer previews, then applies
    login(client, users.reviewer)
    html = client.get(reverse("year_cycle:next", args=[2026])).content.decode()
    assert "结转项目（7个）" in html and "4,150.00" in html and "退库：业主放弃投资" in html
    # and, 2026 still having open and unreported months, must confirm what is missing first
    assert "2026年度数据尚不完整" in html and "2026年12月尚未截止" in html
    response = client.post(reverse("year_cycle:next", args=[2026]), follow=True)
    assert "确认仍要生成2027年度名单" in response.content.decode()
    assert not ListYear.objects.filter(year=2027).exists()
    url = reverse("year_cycle:next", args=[2026])
    response = client.post(url, {"confirm_missing": "1"}, follow=True)
    assert "2027年度名单已生成：结转7个项目，3个项目不再列入" in response.content.decode()
    html = client.get(reverse("registry:years")).content.decode()
    assert "由2026年度滚动生成" in html


def test_year_selector_marks_closed_years_and_filters_the_list(client, world, users):
    ListYear.objects.create(year=2025, closed=True)
    old = ProjectFactory(name="二〇二五年项目", region=world.going.region, unit=world.going.unit)
    AnnualPlanFactory(project=old, year=2025)
    login(client, users.reviewer)
    page = client.get(reverse("portal:project_list"), {"year": "2025"}).content.decode()
    assert '<option value="2025" selected>2025年（已关闭）</option>' in page
    assert "二〇二五年项目" in page and "续建道路" not in page


def test_withdraw_and_add_during_the_year_from_the_project_page(client, world, users, city):
    p = world.going
    login(client, users.reviewer_a)
    url = reverse("registry:project_pool", args=[p.pk])
    # a reason is required
    response = client.post(
        url, {"pool": "withdrawn", "reason": " ", "version": p.version}, follow=True
    )
    assert "请填写原因" in response.content.decode()
    assert Project.objects.get(pk=p.pk).pool == Pool.LISTED
    # withdrawn: off the year's list and its figures, still on file with the reason audited
    client.post(url, {"pool": "withdrawn", "reason": "资金未落实", "version": p.version})
    p.refresh_from_db()
    assert (p.pool, p.pool_reason) == (Pool.WITHDRAWN, "资金未落实")
    assert not year_list(2026).filter(pk=p.pk).exists()
    assert p.history.first().history_change_reason == "已退库：资金未落实"
    page = client.get(reverse("registry:project_detail", args=[p.pk])).content.decode()
    assert "退库" in page and "资金未落实" in page
    # a stale form is refused
    response = client.post(url, {"pool": "listed", "version": p.version - 1}, follow=True)
    assert "旧版本" in response.content.decode()
    # back on the list
    client.post(url, {"pool": "listed", "version": p.version})
    assert year_list(2026).filter(pk=p.pk).exists()
    # 增补 with its reason
    p.refresh_from_db()
    client.post(url, {"pool": "added", "reason": "市政府常务会议增补", "version": p.version})
    assert Project.objects.get(pk=p.pk).get_pool_display() == "增补"
    # out of scope: 404, nothing changed
    other = city.project_b
    response = client.post(
        reverse("registry:project_pool", args=[other.pk]),
        {"pool": "withdrawn", "reason": "x", "version": other.version},
    )
    assert response.status_code == 404
    assert Project.objects.get(pk=other.pk).pool == Pool.LISTED
