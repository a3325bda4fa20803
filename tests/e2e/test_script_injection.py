"""Stored script injection in a real browser.

Script payloads sit in every free-text field a chart, tooltip or page shows; one milestone name
is typed by a reporter into the real form. A reviewer and a leader then open every page that
shows them and hover the chart points so ECharts renders its HTML tooltips. Nothing may run
(`window.__xss` stays unset), nothing may be turned into an element, the text shows literally,
every page carries the Content-Security-Policy and the pages' own charts still draw without a
single policy violation.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from milestones.choices import LetterStatus, ProblemStatus, ReportStatus
from milestones.tests.factories import (
    MilestoneFactory,
    ProblemFactory,
    ProgressReportFactory,
    SupervisionLetterFactory,
)
from registry.choices import LeaderLevel
from registry.tests.factories import LeaderFactory
from tests.test_content_security_policy import routes, url_for

from .test_progress_journey import log_in, log_out

IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=1</script>"
SVG = '"><svg onload=window.__xss=1>'
JS = "';window.__xss=1;//"

# Elements a payload would become if it reached the DOM as markup.
INJECTED = 'img[src="x"], svg[onload], [onerror], [onload], script:not([src]):not([type])'


class Bad:
    """Each field gets a payload plus a word naming the field, so a hit says where it came from."""

    region_a = IMG + "甲县"
    region_b = JS + "乙区"
    unit_a = SVG + "单位"
    leader = SVG + "领"  # Leader.name holds 30 characters
    project = SCRIPT + "项目"
    project_b = SVG + "乙区项目"
    owner = IMG + "业主"
    location = SVG + "地点"
    scope = JS + "内容"
    note = SCRIPT + "备注"
    ms_overdue = IMG + "节点"
    ms_done = JS + "节点"
    ms_note = SCRIPT + "说明"
    ms_typed = SVG + "封顶"  # typed by the reporter into the milestone form
    problem = IMG + "问题"
    measures = SCRIPT + "措施"
    resolution = SVG + "解决"
    person = JS + "人"
    progress = IMG + "形象进度"
    difficulties = SCRIPT + "困难"
    letter_no = JS + "号"
    letter_body = SVG + "函件"
    letter_reply = IMG + "回复"


@pytest.fixture
def hostile(city, users):
    """Payloads in every shown text field, written through the ORM before the browser starts."""
    today = timezone.localdate()
    city.county_a.name, city.county_b.name = Bad.region_a, Bad.region_b
    city.county_a.save()
    city.county_b.save()
    city.unit_a.name = Bad.unit_a
    city.unit_a.save()
    leader = LeaderFactory(
        name=Bad.leader, region=city.city, level=LeaderLevel.CITY, user=users.leader_city
    )
    project = city.project_a
    fields = {
        "name": Bad.project,
        "owner": Bad.owner,
        "location": Bad.location,
        "scope": Bad.scope,
        "note": Bad.note,
        "leader": leader,
        "year": today.year,
        "total_investment": Decimal("52000.00"),
    }
    for field, value in fields.items():
        setattr(project, field, value)
    project.save()
    city.project_b.name, city.project_b.year = Bad.project_b, today.year
    city.project_b.save()
    MilestoneFactory(
        project=project,
        kind="start",
        name=Bad.ms_overdue,
        note=Bad.ms_note,
        planned_on=today - datetime.timedelta(days=60),
    )
    MilestoneFactory(
        project=project,
        kind="ground_zero",
        name=Bad.ms_done,
        planned_on=today - datetime.timedelta(days=40),
        actual_on=today - datetime.timedelta(days=30),
    )
    report = ProgressReportFactory(
        project=project,
        year=today.year,
        month=1,
        status=ReportStatus.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=users.reporter_a,
        progress_text=Bad.progress,
        difficulties=Bad.difficulties,
    )
    problem = ProblemFactory(
        project=project,
        description=Bad.problem,
        progress_note=Bad.measures,
        resolution=Bad.resolution,
        responsible_person=Bad.person,
        responsible_unit=city.unit_a,
        status=ProblemStatus.OPEN,
        deadline=today + datetime.timedelta(days=30),
    )
    letter = SupervisionLetterFactory(
        project=project,
        problem=problem,
        number=Bad.letter_no,
        recipient=city.unit_a,
        body=Bad.letter_body,
        reply=Bad.letter_reply,
        status=LetterStatus.REPLIED,
        replied_by=users.reporter_a,
        replied_at=timezone.now(),
    )
    return {"project": project.pk, "report": report.pk, "letter": letter.pk, "problem": problem.pk}


class Watch:
    """Console errors, page errors and policy violations seen by one browser page."""

    def __init__(self, page):
        self.errors = []
        page.on("console", self.console)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def console(self, message):
        # Chromium asks for /favicon.ico on its own; the site has none (not a page script).
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            self.errors.append(message.text)


def visit(page, watch, url, *texts):
    response = page.goto(url)
    assert response.status == 200, f"{url} → {response.status}"
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy, f"{url} 缺少 CSP：{policy!r}"
    for text in texts:
        expect(page.locator("main")).to_contain_text(text)
    assert_inert(page, watch, url)


def assert_inert(page, watch, where):
    assert page.evaluate("typeof window.__xss") == "undefined", f"{where}：脚本被执行"
    assert page.locator(INJECTED).count() == 0, f"{where}：载荷变成了页面元素"
    # An injected handler blocked by the policy would still show up here as a violation,
    # and the page's own scripts must need none.
    assert watch.errors == [], f"{where}：{watch.errors}"


def chart_points(page, selector):
    """Pixel positions of every data point of every scatter/bar series of an ECharts chart."""
    return page.evaluate(
        """(selector) => {
          const el = document.querySelector(selector);
          const chart = echarts.getInstanceByDom(el);
          const points = [];
          chart.getOption().series.forEach((s, i) => {
            if (s.type !== "scatter" && s.type !== "bar") return;
            s.data.forEach((d, j) => {
              const value = Array.isArray(d) ? d : (d.value !== undefined ? d.value : d);
              const at = s.type === "bar"
                ? chart.convertToPixel({seriesIndex: i}, [value / 2, j])
                : chart.convertToPixel({seriesIndex: i}, value);
              points.push({x: at[0], y: at[1]});
            });
          });
          return points;
        }""",
        selector,
    )


def hover_every_point(page, watch, selector, names):
    """Hover each point; the tooltip (HTML rendered by ECharts) must show the name as text."""
    chart = page.locator(selector)
    expect(chart.locator("canvas")).to_have_count(1)
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    points = chart_points(page, selector)
    assert len(points) >= len(names)
    shown = set()
    for point in points:
        page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_timeout(150)
        tooltip = chart.inner_text()
        shown.update(name for name in names if name in tooltip)
        assert_inert(page, watch, f"{selector} 提示框")
        page.mouse.move(0, 0)
    assert shown == set(names), f"提示框未显示：{set(names) - shown}"


@pytest.mark.e2e
def test_no_payload_runs_for_reviewer_or_leader(live_server, hostile, users, page, shot):
    base = live_server.url
    watch = Watch(page)
    project_url = f"{base}/projects/{hostile['project']}/"

    # given a reporter who types a payload into the real milestone form
    log_in(page, base, "reporter_a")
    page.goto(f"{base}/milestones/projects/{hostile['project']}/milestones/")
    new_row = page.locator("tbody tr").last
    new_row.locator("select[name$='-kind']").select_option("topping")
    new_row.locator("input[name$='-name']").fill(Bad.ms_typed)
    planned = timezone.localdate() + datetime.timedelta(days=20)
    new_row.locator("input[name$='-planned_on']").fill(planned.isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("节点计划已保存")
    expect(page.locator("#milestones-panels")).to_contain_text(Bad.ms_typed)
    assert_inert(page, watch, "填报员保存节点后")
    log_out(page)

    milestones = [Bad.ms_overdue, Bad.ms_done, Bad.ms_typed]
    regions = [Bad.region_a, Bad.region_b]

    # when a reviewer opens every page that shows the payloads and hovers the charts
    log_in(page, base, "reviewer")
    visit(page, watch, f"{base}/", Bad.region_a, Bad.region_b)
    hover_every_point(page, watch, "#region-chart", regions)
    visit(
        page,
        watch,
        project_url,
        Bad.project,
        Bad.owner,
        Bad.location,
        Bad.scope,
        Bad.note,
        Bad.unit_a,
        Bad.leader,
        Bad.problem,
        Bad.progress,
        *milestones,
    )
    hover_every_point(page, watch, "#milestone-chart", milestones)
    visit(page, watch, f"{base}/projects/", Bad.project, Bad.project_b, Bad.region_a, Bad.leader)
    visit(page, watch, f"{base}/milestones/problems/", Bad.problem, Bad.person, Bad.unit_a)
    visit(page, watch, f"{base}/milestones/review/", Bad.project, Bad.region_a, Bad.unit_a)
    visit(
        page,
        watch,
        f"{base}/milestones/reports/{hostile['report']}/",
        Bad.project,
        Bad.progress,
        Bad.difficulties,
        Bad.ms_overdue,
        Bad.problem,
    )
    visit(page, watch, f"{base}/milestones/letters/", Bad.letter_no, Bad.project, Bad.unit_a)
    visit(
        page,
        watch,
        f"{base}/milestones/letters/{hostile['letter']}/",
        Bad.letter_no,
        Bad.unit_a,
        Bad.letter_body,
        Bad.project,
        Bad.problem,
        Bad.letter_reply,
    )
    log_out(page)

    # and a city leader opens their dashboard, the ledger, the project and its report
    log_in(page, base, "leader_city")
    visit(page, watch, f"{base}/", Bad.region_a, Bad.project, Bad.unit_a)
    hover_every_point(page, watch, "#region-chart", regions)
    page.set_viewport_size({"width": 1366, "height": 768})
    shot("xss_home_leader", full_page=False)
    visit(page, watch, f"{base}/projects/", Bad.project, Bad.leader)
    visit(page, watch, project_url, Bad.project, Bad.leader, *milestones)
    hover_every_point(page, watch, "#milestone-chart", milestones)
    page.locator("#milestone-chart").scroll_into_view_if_needed()
    shot("xss_project_detail_leader", full_page=False)
    visit(page, watch, f"{base}/milestones/reports/{hostile['report']}/", Bad.progress)

    # then nothing ran anywhere (checked on every page and after every hover above)
    assert page.evaluate("typeof window.__xss") == "undefined"


@pytest.fixture
def staff_admin(users):
    users.admin.is_staff = users.admin.is_superuser = True
    users.admin.save()
    return users.admin


@pytest.mark.e2e
def test_admin_and_api_docs_work_under_the_policy(live_server, staff_admin, page, shot):
    # given the system administrator, logged in through the login form
    base = live_server.url
    watch = Watch(page)
    log_in(page, base, staff_admin.username)

    # when they open Django admin's add form, whose date widgets are built by admin's scripts
    response = page.goto(f"{base}/admin/registry/project/add/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("#id_planned_start")).to_be_visible()
    # then admin's own scripts ran (the 今天 shortcut is added by DateTimeShortcuts.js)
    expect(page.locator(".datetimeshortcuts").first).to_contain_text("今天")
    shot("xss_admin_add_project", full_page=False)
    assert_inert(page, watch, "后台管理")

    # and the API docs draw Swagger UI from our own static files, with no violation
    response = page.goto(f"{base}/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info")).to_contain_text("重点项目管理系统 API")
    shot("xss_api_docs", full_page=False)
    assert_inert(page, watch, "API 文档")


@pytest.mark.e2e
def test_page_behaviours_work_without_inline_handlers(live_server, hostile, users, page):
    """The print, select-all, confirm and month-picker behaviours moved from onclick= to app.js."""
    base = live_server.url
    watch = Watch(page)
    # given a reviewer on the review queue
    log_in(page, base, "reviewer")
    page.goto(f"{base}/milestones/review/")
    # when they tick 全选, every report is selected
    page.locator("#check-all").check()
    expect(page.locator("input[name=ids]:checked")).to_have_count(1)
    # and bulk approval asks first; dismissing it submits nothing
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.get_by_role("button", name="批量审核通过").click()
    assert asked == ["确认批量审核通过所选月报？带异常提示的月报只有勾选“确认”才会通过。"]
    expect(page).to_have_url(f"{base}/milestones/review/")
    expect(page.locator(".alert-success")).to_have_count(0)
    # and 打印 on the report prints
    page.goto(f"{base}/milestones/reports/{hostile['report']}/")
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.__printed") is True
    assert_inert(page, watch, "审核员页面")
    log_out(page)

    # and the reporter's month picker navigates to the chosen month
    log_in(page, base, "reporter_a")
    page.goto(f"{base}/milestones/todo/")
    picker = page.locator("#period")
    other = picker.locator("option:not([selected])").first.get_attribute("value")
    picker.select_option(other)
    expect(page).to_have_url(f"{base}/milestones/todo/?{other}")
    assert_inert(page, watch, "填报员待填报")


@pytest.mark.e2e
@pytest.mark.parametrize("username", ["reviewer", "reporter_a"])
def test_every_page_runs_its_own_scripts_without_violation(live_server, hostile, page, username):
    base = live_server.url
    watch = Watch(page)
    log_in(page, base, username)
    pages = 0
    for name, _pattern, converters in routes():
        url = base + url_for(name, converters, hostile)
        # Ask first: downloads (xlsx) would not open as a page, and refusals are no page to
        # run (tests/test_content_security_policy.py checks their header).
        answer = page.request.get(url, max_redirects=0)
        if answer.status != 200 or "text/html" not in answer.headers.get("content-type", ""):
            continue
        response = page.goto(url)
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        assert_inert(page, watch, url)
        pages += 1
    assert pages >= 10
