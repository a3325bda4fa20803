"""Reviewing monthly reports: one or two levels (SPEC §3.6).

With one level (the default) a reviewer's approval is final. With two
(`REVIEW_LEVELS=2`), a county reviewer's approval is 初审 and moves the report to 待复审; a
reviewer of the whole city (the city DRC, or an admin) gives the 复审, which is final. A
report that no county reviewer can see (a project placed at the city itself) is approved
by the city in one step. Either level can return a report with a reason; a report
returned at 复审 goes back to the reporter and, once resubmitted, through 初审 again.

Only a final approval touches the project (milestones, lifecycle) and tells assessments:
statuses and figures use finally approved data only.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from milestones.choices import MilestoneKind, ReportStatus
from milestones.hints import report_hints
from milestones.models import Milestone, ProgressReport
from milestones.services.milestone import sync_lifecycle
from milestones.signals import report_approved
from milestones.totals import recompute_later_months
from registry.models import Project
from registry.scoping import is_city_level
from registry.services import check_version
from registry.years import check_writable

logger = logging.getLogger(__name__)

FIRST, FINAL = "first", "final"


def review_levels() -> int:
    return 2 if getattr(settings, "REVIEW_LEVELS", 1) == 2 else 1


def review_stage(user) -> str:
    """Which review this user gives: 初审 (county reviewers, two levels) or the final one."""
    if review_levels() == 2 and not is_city_level(user):
        return FIRST
    return FINAL


def _project_at_city(report) -> bool:
    region = report.project.region
    return region.parent_id is None


def awaiting_statuses(user) -> list[str]:
    """The statuses of the reports waiting for this user's review (the queue's default)."""
    if review_levels() == 2 and review_stage(user) == FINAL:
        return [ReportStatus.FIRST_APPROVED]
    return [ReportStatus.SUBMITTED]


def can_review(user, report) -> bool:
    """Whether `user` (a reviewer who can see the report) may approve or return it now."""
    if report.status == ReportStatus.SUBMITTED:
        if review_levels() == 2 and review_stage(user) == FINAL:
            return _project_at_city(report)
        return True
    if report.status == ReportStatus.FIRST_APPROVED:
        return review_stage(user) == FINAL
    return False


def _refuse(report, user, action):
    current = report.get_status_display()
    if review_levels() == 1:
        raise ValidationError(f"只有“已提交”的月报才能{action}（当前状态：{current}）")
    if report.status == ReportStatus.SUBMITTED:
        raise ValidationError(
            f"两级审核：该月报须先由县区审核员初审，复审才能{action}（当前状态：已提交）"
        )
    if report.status == ReportStatus.FIRST_APPROVED:
        raise ValidationError(
            f"该月报已通过初审，等待市级复审；县区审核员不能再{action}（当前状态：待复审）"
        )
    raise ValidationError(f"只有“已提交”或“待复审”的月报才能{action}（当前状态：{current}）")


def _claim(report, version):
    """Bump the version (or check the form's) and lock the row: one reviewer wins."""
    if version is not None:
        check_version(ProgressReport.objects, pk=report.pk, version=version)
    else:
        ProgressReport.objects.filter(pk=report.pk).update(version=F("version") + 1)
    return (
        ProgressReport.objects.select_for_update()
        .select_related("project__region")
        .get(pk=report.pk)
    )


def _stamp(report, user):
    report._history_user = user
    report.full_clean()
    report.save()


@transaction.atomic
def report_approve(
    *, report: ProgressReport, user, comment: str = "", version: int | None = None
) -> ProgressReport:
    check_writable(report.year, user)
    report = _claim(report, version)
    if not can_review(user, report):
        _refuse(report, user, "审核通过")
    return _decide_approval(report, user=user, comment=comment)


def _decide_approval(report, *, user, comment):
    if report.status == ReportStatus.SUBMITTED and review_stage(user) == FIRST:
        return _first_approve(report, user=user, comment=comment)
    return _approve(report, user=user, comment=comment)


def _first_approve(report: ProgressReport, *, user, comment: str) -> ProgressReport:
    """初审: the report waits for the city; nothing reaches the project or the figures yet."""
    report.status = ReportStatus.FIRST_APPROVED
    report.first_review_comment = comment
    report.first_reviewed_by = user
    report.first_reviewed_at = timezone.now()
    _stamp(report, user)
    report.lifecycle_notes = ["已通过初审，等待市级复审"]
    return report


def _approve(report: ProgressReport, *, user, comment: str) -> ProgressReport:
    """Final approval of a report the caller has claimed (its row locked, version bumped)."""
    report.status = ReportStatus.APPROVED
    report.reviewer_comment = comment
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    _stamp(report, user)
    # Figures do not change on approval, but later months are checked against them again
    # (before the project row is locked: one lock order for every writer).
    recompute_later_months(report=report, old_month=report.invested_month, user=user)
    report.lifecycle_notes = _apply_to_project(report, user=user)
    _announce_approval(report)
    return report


def _apply_to_project(report: ProgressReport, *, user):
    """Approved data flows into the ledger: milestone actual dates, and through them (and the
    report's 已开工) the project's lifecycle dates and stage."""
    updates = report.milestone_updates or {}
    changed = []
    if updates:
        milestones = Milestone.objects.filter(
            project_id=report.project_id, pk__in=[int(k) for k in updates]
        )
        for ms in milestones:
            actual = datetime.date.fromisoformat(updates[str(ms.pk)])
            if actual != ms.actual_on:
                ms.actual_on = actual
                ms.full_clean()
                ms.save(update_fields=["actual_on"])
                changed.append(ms)
    if report.is_started and not any(ms.kind == MilestoneKind.START for ms in changed):
        project = Project.objects.get(pk=report.project_id)
        if project.started_on is None:
            # Started this month by the report: the month's first day, also on the 开工 node.
            start = datetime.date(report.year, report.month, 1)
            Milestone.objects.filter(
                project_id=report.project_id, kind=MilestoneKind.START, actual_on=None
            ).update(actual_on=start)
            changed.append(Milestone(kind=MilestoneKind.START, actual_on=start))
    return sync_lifecycle(
        report.project, changed, user=user, reason=f"{report.period_label}月报审核通过"
    )


def _announce_approval(report: ProgressReport):
    """Tell apps above milestones (assessments) once the approval is committed."""
    kwargs = dict(
        report_id=report.pk, project_id=report.project_id, year=report.year, month=report.month
    )
    transaction.on_commit(lambda: _send_approved(kwargs))


def _send_approved(kwargs):
    # The approval is committed: a failing receiver is logged (the month can be recomputed
    # with `manage.py assess`), never turned into an error page for the reviewer.
    for receiver, result in report_approved.send_robust(sender=ProgressReport, **kwargs):
        if isinstance(result, Exception):
            logger.error("审核通过后的处理失败（%s）：%s", receiver, result, exc_info=result)


@transaction.atomic
def report_return(
    *, report: ProgressReport, user, comment: str, version: int | None = None
) -> ProgressReport:
    if not (comment or "").strip():
        raise ValidationError({"comment": "退回时必须填写退回意见，告诉填报员要改什么"})
    check_writable(report.year, user)
    report = _claim(report, version)
    if not can_review(user, report):
        _refuse(report, user, "退回")
    at_final = report.status == ReportStatus.FIRST_APPROVED
    report.status = ReportStatus.RETURNED
    report.reviewer_comment = ("复审退回：" if at_final else "") + comment.strip()
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    _stamp(report, user)
    transaction.on_commit(lambda: _announce_return(report))
    return report


def _announce_return(report):
    from milestones.reminders import report_returned

    report_returned(report)


@dataclass(frozen=True)
class Held:
    """A report left out of a bulk approval: what a reviewer must look at first."""

    report_id: int
    project_name: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class BulkResult:
    approved: int
    skipped: int  # decided by someone else meanwhile, or not this reviewer's to decide
    held: tuple[Held, ...]  # flagged and not confirmed by name

    def held_counts(self) -> dict[str, int]:
        """How many held reports carry each reason, e.g. {"超年度计划": 2}."""
        counts: dict[str, int] = {}
        for item in self.held:
            for reason in item.reasons:
                counts[reason] = counts.get(reason, 0) + 1
        return counts


def flagged(reports) -> dict[int, tuple[str, ...]]:
    """Report id → the short names of its flags (the queue's red badges): the hints and an
    entered year-to-date that no longer fits an earlier correction."""
    reports = list(reports)
    hints = report_hints(reports)
    found = {}
    for report in reports:
        reasons = [h.short for h in hints.get(report.pk, [])]
        if report.figures_note:
            reasons.append("累计数待核对")
        if reasons:
            found[report.pk] = tuple(dict.fromkeys(reasons))
    return found


def reports_bulk_approve(*, reports, user, confirmed=frozenset()) -> BulkResult:
    """Approve (or, as a county reviewer with two levels, 初审) every report of `reports` (an
    already scoped queryset) that waits for this user.

    A flagged report (超年度计划, 本月异常偏高 … as the queue shows them) is approved only when
    its id is in `confirmed`, i.e. the reviewer ticked it by name; otherwise it is held back
    and named in the result, so a bulk action never passes a warning unseen.

    Two reviewers may tick the same reports: each report is claimed in its own transaction
    by one UPDATE … WHERE status = the awaited one. On PostgreSQL the second UPDATE waits for
    the first reviewer's commit and then matches no row; SQLite has one writer at a time. So
    a report decided meanwhile is skipped, never approved twice and never an error.
    """
    waiting = [ReportStatus.SUBMITTED, ReportStatus.FIRST_APPROVED]
    candidates = reports.filter(status__in=waiting).select_related("project")
    flags = flagged(candidates)
    held = tuple(
        Held(r.pk, r.project.name, flags[r.pk])
        for r in candidates.order_by("project__code", "pk")
        if r.pk in flags and r.pk not in confirmed
    )
    held_ids = {h.report_id for h in held}
    approved = skipped = 0
    # One order for everyone, so two bulk runs lock rows in the same order (no deadlock).
    for pk in reports.order_by("pk").values_list("pk", flat=True):
        if pk in held_ids:
            continue
        if _bulk_approve_one(pk, user, waiting):
            approved += 1
        else:
            skipped += 1
    return BulkResult(approved, skipped, held)


def _bulk_approve_one(pk, user, waiting) -> bool:
    try:
        with transaction.atomic():
            claimed = ProgressReport.objects.filter(pk=pk, status__in=waiting).update(
                version=F("version") + 1
            )
            if claimed:
                report = ProgressReport.objects.select_related("project__region").get(pk=pk)
                if not can_review(user, report):
                    raise ValidationError("not this user's review")
                _decide_approval(report, user=user, comment="")
    except ValidationError:
        claimed = 0  # rolled back: the report waits for its own review
    return bool(claimed)
