"""Template helpers: status badges and the project-detail panels (bounded queries)."""

from django import template
from django.utils import timezone
from django.utils.html import format_html

from milestones import selectors
from milestones.choices import ReportStatus
from registry.choices import Role
from registry.roles import has_role, person_name

register = template.Library()

REPORT_BADGE = {
    None: ("未填报", "text-bg-light border"),
    "": ("未填报", "text-bg-light border"),
    ReportStatus.DRAFT: ("草稿", "text-bg-secondary"),
    ReportStatus.SUBMITTED: ("已提交", "text-bg-primary"),
    ReportStatus.FIRST_APPROVED: ("待复审", "text-bg-info"),
    ReportStatus.RETURNED: ("已退回", "text-bg-danger"),
    ReportStatus.APPROVED: ("已审核", "text-bg-success"),
}
PROBLEM_BADGE = {
    "open": "text-bg-warning",
    "in_progress": "text-bg-info",
    "resolved": "text-bg-success",
}


@register.simple_tag
def report_badge(status):
    label, css = REPORT_BADGE.get(status, (status, "text-bg-light"))
    return format_html('<span class="badge {}">{}</span>', css, label)


@register.simple_tag
def problem_badge(problem):
    return format_html(
        '<span class="badge {}">{}</span>',
        PROBLEM_BADGE.get(problem.status, "text-bg-light"),
        problem.get_status_display(),
    )


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


def milestone_chart_data(milestones, today):
    """ECharts data for 挂图作战: planned vs actual per milestone, overdue in red."""
    rows = []
    for ms in milestones:
        overdue = ms.is_overdue(today)
        late = ms.actual_on is not None and ms.actual_on > ms.planned_on
        rows.append(
            {
                "name": ms.name,
                "planned": ms.planned_on.isoformat(),
                "actual": ms.actual_on.isoformat() if ms.actual_on else None,
                "overdue": overdue,
                "late": late,
                "days": ms.overdue_days(today),
            }
        )
    return {"today": today.isoformat(), "rows": rows}


@register.inclusion_tag("milestones/_panels_body.html", takes_context=True)
def project_panels(context, project):
    """Milestones chart, reports, problems, suspension and audit history of one project."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    today = timezone.localdate()
    milestones = list(project.milestones.order_by("planned_on", "id"))
    reports = list(
        project.progress_reports.select_related("reviewed_by").order_by("-year", "-month")
    )
    problems = list(
        project.problems.select_related("responsible_unit").order_by("status", "deadline", "-id")
    )
    suspensions = list(project.suspensions.select_related("requested_by", "reviewed_by"))
    letters = list(project.letters.select_related("recipient").order_by("-issued_on", "-id"))
    is_reviewer = has_role(user, Role.REVIEWER, Role.ADMIN)
    is_reporter = has_role(user, Role.REPORTER, Role.ADMIN)
    latest_approved = next((r for r in reports if r.status == ReportStatus.APPROVED), None)
    return {
        "project": project,
        "request": request,
        "today": today,
        "milestones": milestones,
        "chart": milestone_chart_data(milestones, today),
        "overdue_count": sum(1 for m in milestones if m.is_overdue(today)),
        "reports": reports,
        "latest": latest_approved,
        "problems": problems,
        "open_problems": sum(1 for p in problems if p.status != "resolved"),
        "suspensions": suspensions[:5],
        "suspension_state": selectors.suspension_state(suspensions),
        "letters": letters,
        "history": selectors.project_history(project),
        "can_edit_milestones": has_role(user, Role.REPORTER, Role.REVIEWER, Role.ADMIN),
        "can_add_problem": has_role(user, Role.REPORTER, Role.REVIEWER, Role.ADMIN),
        "can_request_suspension": is_reporter,
        "can_issue_letter": is_reviewer,
        "can_open_reports": has_role(user, Role.REPORTER, Role.REVIEWER, Role.LEADER, Role.ADMIN),
    }


@register.filter
def person(user):
    """A user's full name, else the username, else a dash."""
    if not user:
        return "—"
    return person_name(user)
