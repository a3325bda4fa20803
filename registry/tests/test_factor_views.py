"""Plans and 要素保障 edited on the web: rules, scope, locking, audit."""

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import login
from registry.ledger_import import ledger_import
from registry.models import MONTH_FIELDS, AnnualPlan, Funding, Relocation

pytestmark = pytest.mark.django_db
D = Decimal


def url(project, section, year=None):
    u = reverse("registry:factor_edit", args=[project.pk, section])
    return f"{u}?year={year}" if year else u


def plan_post(project, plan, months=None, **extra):
    data = {"version": project.version, "year": 2026, "plan-planned_investment": str(plan)}
    for i, f in enumerate(MONTH_FIELDS):
        data[f"plan-{f}"] = "" if months is None else str(months[i])
    data.update(extra)
    return data


def rising(total):
    """A cumulative schedule rising evenly to `total`, the last month exactly the plan."""
    step = (total / 12).quantize(D("0.01"))
    return [step * (i + 1) for i in range(11)] + [total]


def test_reviewer_sets_plan_and_schedule_with_history(client, city, users):
    # given
    project = city.project_a
    login(client, users.reviewer)
    months = rising(D("3000.00"))

    # when
    response = client.post(url(project, "plan", 2026), plan_post(project, "3000.00", months))

    # then
    assert response.status_code == 302
    plan = AnnualPlan.objects.get(project=project, year=2026)
    assert plan.planned_investment == D("3000.00")
    assert plan.schedule == months
    assert plan.m12 == D("3000.00")
    project.refresh_from_db()
    assert project.version == 2
    last = project.history.first()
    assert last.history_change_reason == "修改年度计划与月度计划"
    assert last.history_user == users.reviewer


@pytest.mark.parametrize(
    ("months", "message"),
    [
        (
            rising(D("3000.00"))[:11] + [D("2900.00")],
            "12月累计计划（2900.00）应等于年度计划投资（3000.00）",
        ),
        ([D("100")] * 5 + [D("50")] + rising(D("3000.00"))[6:], "6月累计计划不能小于5月"),
        (["100"] + [""] * 11, "月度计划需12个月全部填写"),
        ([D("-5")] + rising(D("3000.00"))[1:], "确保该值大于或等于0"),
    ],
)
def test_bad_schedule_is_refused_in_chinese_and_saves_nothing(client, city, users, months, message):
    # given
    project = city.project_a
    before = list(AnnualPlan.objects.filter(project=project).values())
    login(client, users.reviewer)

    # when
    response = client.post(url(project, "plan", 2026), plan_post(project, "3000.00", months))

    # then
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(AnnualPlan.objects.filter(project=project).values()) == before
    project.refresh_from_db()
    assert project.version == 1


def test_stale_form_is_refused_and_nothing_is_lost(client, city, users):
    # given another reviewer saved the project after this form was opened
    project = city.project_a
    login(client, users.reviewer)
    client.post(url(project, "plan", 2026), plan_post(project, "2000.00"))
    assert AnnualPlan.objects.get(project=project, year=2026).planned_investment == D("2000.00")

    # when the stale form (version 1) is posted
    response = client.post(url(project, "plan", 2026), plan_post(project, "9999.00"))

    # then
    assert response.status_code == 409
    assert "您看到的是旧版本" in response.content.decode()
    assert AnnualPlan.objects.get(project=project, year=2026).planned_investment == D("2000.00")


def test_funding_rows_added_changed_deleted_and_duplicates_refused(client, city, users):
    project = city.project_a
    login(client, users.reviewer)
    base = {
        "version": project.version,
        "funding-TOTAL_FORMS": "2",
        "funding-INITIAL_FORMS": "0",
        "funding-MIN_NUM_FORMS": "0",
        "funding-MAX_NUM_FORMS": "1000",
    }
    dup = dict(base)
    for i in range(2):
        dup.update(
            {
                f"funding-{i}-source": "self",
                f"funding-{i}-planned": "10",
                f"funding-{i}-in_place": "1",
            }
        )
    response = client.post(url(project, "funding"), dup)
    assert response.status_code == 400
    assert "重复登记" in response.content.decode()
    assert not Funding.objects.filter(project=project).exists()

    ok = dict(base, **{"funding-TOTAL_FORMS": "1"})
    ok.update(
        {"funding-0-source": "self", "funding-0-planned": "500.5", "funding-0-in_place": "100"}
    )
    response = client.post(url(project, "funding"), ok)
    assert response.status_code == 302
    funding = Funding.objects.get(project=project)
    assert (funding.planned, funding.in_place) == (D("500.50"), D("100.00"))
    assert funding.history.first().history_user == users.reviewer

    project.refresh_from_db()
    delete = {
        "version": project.version,
        "funding-TOTAL_FORMS": "1",
        "funding-INITIAL_FORMS": "1",
        "funding-MIN_NUM_FORMS": "0",
        "funding-MAX_NUM_FORMS": "1000",
        "funding-0-id": funding.pk,
        "funding-0-project": project.pk,
        "funding-0-source": "self",
        "funding-0-planned": "500.5",
        "funding-0-in_place": "100",
        "funding-0-DELETE": "on",
    }
    assert client.post(url(project, "funding"), delete).status_code == 302
    assert not Funding.objects.filter(project=project).exists()
    assert Funding.history.filter(id=funding.pk, history_type="-").count() == 1


def test_relocation_done_cannot_exceed_total(client, city, users):
    project = city.project_a
    login(client, users.reviewer)
    data = {
        "version": project.version,
        "relocation-households_total": "10",
        "relocation-households_done": "11",
        "relocation-area_total": "5",
        "relocation-area_done": "6",
        "relocation-status": "in_progress",
    }
    response = client.post(url(project, "relocation"), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "已征迁户数不能大于需征迁户数" in body
    assert not Relocation.objects.filter(project=project).exists()


@pytest.mark.parametrize(
    ("who", "project_attr", "status"),
    [
        ("reporter_a", "project_a", 403),
        ("leader_city", "project_a", 403),
        ("reviewer_a", "project_b", 404),
        ("reviewer_a", "project_a", 200),
        ("admin", "project_b", 200),
    ],
)
def test_only_reviewers_in_scope_and_admins_edit(client, city, users, who, project_attr, status):
    project = getattr(city, project_attr)
    login(client, getattr(users, who))
    assert client.get(url(project, "land")).status_code == status
    response = client.post(url(project, "plan", 2026), plan_post(project, "1.00"))
    assert response.status_code == (302 if status == 200 else status)
    expected = D("1.00") if status == 200 else D("1200.00")
    assert AnnualPlan.objects.get(project=project, year=2026).planned_investment == expected


def test_unknown_section_is_404_and_a_bad_year_says_why(client, city, users):
    login(client, users.reviewer)
    assert client.get(url(city.project_a, "nope")).status_code == 404
    # A year is read by the one period parser: a 400 naming what was wrong, as everywhere.
    for bad, said in (("abc", "年度格式不正确"), ("1900", "年度超出范围")):
        response = client.get(url(city.project_a, "plan") + f"?year={bad}")
        assert response.status_code == 400
        assert said in response.content.decode()


def test_web_plan_then_same_plan_imported_changes_nothing(client, city, users):
    """Raise the plan and its schedule on the web, then import the ledger carrying the same
    plan (the DRC's exported ledger): no error, nothing to change."""
    # given the plan raised on the web (before: 1200, the import refused a raise without a
    # matching schedule, "请先调整月度计划")
    project = city.project_a
    login(client, users.reviewer)
    months = rising(D("4800.00"))
    response = client.post(url(project, "plan", 2026), plan_post(project, "4800.00", months))
    assert response.status_code == 302

    # when the exported ledger (which now says 4800) is imported again
    exported = client.get(reverse("portal:ledger_export") + "?year=2026")
    assert exported.status_code == 200
    data = b"".join(exported.streaming_content) if exported.streaming else exported.content
    result = ledger_import(data, file_name="same.xlsx", dry_run=True)

    # then
    assert result.errors == []
    assert result.changed == []
    assert result.new == []
    assert AnnualPlan.objects.get(project=project, year=2026).planned_investment == D("4800.00")


def test_a_closed_years_plan_is_refused_on_the_form_not_a_server_error(client, city, users):
    from registry.models import ListYear

    ListYear.objects.create(year=2026, closed=True)
    project = city.project_a
    login(client, users.reviewer)
    response = client.post(url(project, "plan", 2026), plan_post(project, D("9999.00")))
    assert response.status_code == 400
    assert "2026年度已关闭，数据只读" in response.content.decode()
    assert AnnualPlan.objects.get(project=project, year=2026).planned_investment != D("9999.00")


def test_the_plan_page_opens_on_the_latest_list_the_project_is_on(client, city, users):
    project = city.project_a
    AnnualPlan.objects.create(project=project, year=2027, planned_investment=D("10.00"))
    login(client, users.reviewer)
    page = client.get(url(project, "plan")).content.decode()
    assert "（2027年）" in page and 'name="year" value="2027"' in page
