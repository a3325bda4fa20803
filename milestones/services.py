"""Writes of the milestones app. Views, commands and tasks call these; messages are Chinese.

Every function takes keyword-only arguments, validates (full_clean) and saves. Edits of an
existing report or problem pass the `version` the user saw; `check_version` refuses a stale
one, so a second writer never overwrites the first (no lost update).
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from milestones.choices import (
    LetterStatus,
    MilestoneKind,
    ProblemStatus,
    ReportStatus,
    RequestStatus,
    SuspensionKind,
)
from milestones.models import (
    FUND_FIELDS,
    Milestone,
    Problem,
    ProgressReport,
    ProjectSuspension,
    ReportingWindow,
    ReportPhoto,
    SupervisionLetter,
    default_deadline,
)
from milestones.totals import derive_totals, earlier_months, recompute_later_months
from registry.choices import Role
from registry.lifecycle import project_sync_lifecycle
from registry.models import Project
from registry.roles import has_role
from registry.scoping import is_city_level, visible_units
from registry.services import StaleEditError, check_version
from registry.years import check_writable

__all__ = ["StaleEditError", "derive_totals", "earlier_months"]

logger = logging.getLogger(__name__)

REPORT_FIELDS = [
    "invested_month",
    "invested_ytd",
    "invested_total",
    *[name for name, _s in FUND_FIELDS],
    "workers_planned",
    "workers_actual",
    "is_started",
    "is_resumed",
    "progress_text",
    "difficulties",
    "milestone_updates",
]

MSG_FUTURE = "不能填报未来月份（{y}年{m}月尚未到来）"
MSG_APPROVED = "该月报已审核通过，不能再修改"
MSG_SUBMITTED = "该月报已提交，正在审核中，不能修改；如需修改请联系审核员退回"
MSG_NO_WINDOW = "{y}年{m}月调度期未开放，不能提交（可先保存草稿，待调度期开放后再提交）"
MSG_NEGATIVE = "金额不能为负数"


def _history_user(obj, user):
    obj._history_user = user
    return obj


# --------------------------------------------------------------------------- windows


def open_window(*, year: int, month: int) -> ReportingWindow | None:
    """The window of a month if it accepts submissions today."""
    today = timezone.localdate()
    window = ReportingWindow.objects.filter(year=year, month=month).first()
    if window and window.accepts_on(today):
        return window
    return None


MSG_CITY_ONLY = "调度期为全市统一，只有市级审核员或管理员可以开放或关闭"


def _require_city_level(user):
    # A window is citywide: a county reviewer opening or closing it would decide for every
    # other county too.
    if not is_city_level(user):
        raise PermissionDenied(MSG_CITY_ONLY)


@transaction.atomic
def window_open(
    *,
    year: int,
    month: int,
    user,
    opens_on: datetime.date | None = None,
    deadline: datetime.date | None = None,
) -> ReportingWindow:
    """Open (or reopen) the reporting window of a month; deadline defaults to the 5th after."""
    _require_city_level(user)
    today = timezone.localdate()
    if (year, month) > (today.year, today.month):
        raise ValidationError(MSG_FUTURE.format(y=year, m=month))
    window = ReportingWindow.objects.filter(year=year, month=month).first() or ReportingWindow(
        year=year, month=month
    )
    window.deadline = deadline or window.deadline or default_deadline(year, month)
    # Opening a month after its deadline (to let late reports in) starts it at the deadline.
    window.opens_on = opens_on or window.opens_on or min(today, window.deadline)
    window.is_open = True
    window.opened_by = user
    window.opened_at = timezone.now()
    window.closed_at = None
    window.closed_by = None
    window.full_clean()
    window.save()
    transaction.on_commit(lambda: _announce_window(window))
    return window


def _announce_window(window):
    from milestones.reminders import window_opened

    window_opened(window)


def window_close(*, window: ReportingWindow, user) -> ReportingWindow:
    _require_city_level(user)
    if not window.is_open:
        raise ValidationError("该调度期已关闭")
    window.is_open = False
    window.closed_by = user
    window.closed_at = timezone.now()
    window.full_clean()
    window.save()
    return window


# --------------------------------------------------------------------------- reports


def _check_period(year: int, month: int):
    today = timezone.localdate()
    if not 1 <= month <= 12:
        raise ValidationError({"month": "月份应在1到12之间"})
    if (year, month) > (today.year, today.month):
        raise ValidationError(MSG_FUTURE.format(y=year, m=month))


def _check_negative(data: dict):
    errors = {}
    for field in ["invested_month", "invested_ytd", "invested_total"] + [
        n for n, _s in FUND_FIELDS
    ]:
        value = data.get(field)
        if value is not None and value < 0:
            errors[field] = MSG_NEGATIVE
    if errors:
        raise ValidationError(errors)


def _apply_submit(report: ProgressReport, *, user, resubmit: bool):
    if not report.progress_text.strip():
        raise ValidationError({"progress_text": "提交前请填写形象进度"})
    window = ReportingWindow.objects.filter(year=report.year, month=report.month).first()
    today = timezone.localdate()
    if not resubmit and not (window and window.accepts_on(today)):
        raise ValidationError(MSG_NO_WINDOW.format(y=report.year, m=report.month))
    now = timezone.now()
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = now
    report.submitted_by = user
    if report.first_submitted_at is None:
        report.first_submitted_at = now
        deadline = window.deadline if window else None
        report.is_late = bool(deadline and today > deadline)


@transaction.atomic
def report_create(
    *, project: Project, year: int, month: int, data: dict, user, submit: bool = False
) -> ProgressReport:
    """Start the month's report of a project (as a draft, or submitted at once)."""
    check_writable(year, user)
    _check_period(year, month)
    if ProgressReport.objects.filter(project=project, year=year, month=month).exists():
        raise ValidationError(
            f"{project.name} {year}年{month}月的月报已存在，请在原月报上修改", code="duplicate"
        )
    data = dict(data)
    _check_negative(data)
    derive_totals(project=project, year=year, month=month, data=data)
    report = ProgressReport(project=project, year=year, month=month, created_by=user)
    for field in REPORT_FIELDS:
        if field in data:
            setattr(report, field, data[field])
    if submit:
        _apply_submit(report, user=user, resubmit=False)
    report.full_clean()
    _history_user(report, user)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # a concurrent create of the same month won the race
        raise ValidationError(
            f"{project.name} {year}年{month}月的月报已存在，请在原月报上修改", code="duplicate"
        )
    # A month filled in late: later months may now be derivable (or disagree).
    recompute_later_months(report=report, old_month=None, user=user)
    return report


@transaction.atomic
def report_update(
    *, report: ProgressReport, data: dict, version: int, user, submit: bool = False
) -> ProgressReport:
    """Save a draft or returned report (and optionally submit it) if the user saw the latest."""
    check_writable(report.year, user)
    new_version = check_version(ProgressReport.objects, pk=report.pk, version=version)
    report = ProgressReport.objects.select_related("project").get(pk=report.pk)
    if report.status == ReportStatus.APPROVED:
        raise ValidationError(MSG_APPROVED, code="approved")
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.FIRST_APPROVED):
        raise ValidationError(MSG_SUBMITTED, code="submitted")
    _check_period(report.year, report.month)
    # Fields not sent keep their saved values (submit alone re-checks what is stored).
    merged = {f: getattr(report, f) for f in REPORT_FIELDS} | dict(data)
    if "invested_month" in data:
        # A new monthly figure re-derives totals that were not entered with it.
        for key in ("invested_ytd", "invested_total"):
            merged[key] = data.get(key)
    data = merged
    _check_negative(data)
    derive_totals(project=report.project, year=report.year, month=report.month, data=data)
    was_returned = report.status == ReportStatus.RETURNED
    old_month = report.invested_month
    for field in REPORT_FIELDS:
        if field in data:
            setattr(report, field, data[field])
    report.version = new_version
    report.figures_note = ""  # the totals just passed derive_totals
    if submit:
        _apply_submit(report, user=user, resubmit=was_returned)
    report.full_clean()
    _history_user(report, user)
    report.save()
    recompute_later_months(report=report, old_month=old_month, user=user)
    return report


@transaction.atomic
def report_submit(*, report: ProgressReport, version: int, user) -> ProgressReport:
    return report_update(report=report, data={}, version=version, user=user, submit=True)


def report_add_photos(*, report: ProgressReport, files, caption: str = "") -> list[ReportPhoto]:
    """Attach photos: checked and re-encoded uploads (milestones.photos.Photo), or raw uploads,
    which are checked and re-encoded here (a non-image is refused whatever its name)."""
    from milestones.photos import Photo, prepare

    photos = []
    for f in files:
        checked = f if isinstance(f, Photo) else prepare(f)
        photo = ReportPhoto(report=report, caption=caption[:100], **checked.fields())
        photo.full_clean()
        photo.save()
        photos.append(photo)
    return photos


def report_delete_photo(*, photo: ReportPhoto):
    if not photo.report.is_editable:
        raise ValidationError(MSG_APPROVED if photo.report.status == "approved" else MSG_SUBMITTED)
    from milestones.photo_wall import drop_thumbnail

    drop_thumbnail(photo)
    photo.image.delete(save=False)
    photo.delete()


# --------------------------------------------------------------------------- milestones


LIFECYCLE_EVENTS = {
    MilestoneKind.START: "start",
    MilestoneKind.COMPLETION: "completion",
    MilestoneKind.OPERATION: "operation",
    MilestoneKind.CAPACITY: "capacity",
}


def _sync_lifecycle(project, milestones, *, user, reason) -> list[str]:
    """开工/竣工/投产/达产 milestones whose actual date changed move the project's lifecycle."""
    dates = {
        LIFECYCLE_EVENTS[ms.kind]: ms.actual_on for ms in milestones if ms.kind in LIFECYCLE_EVENTS
    }
    if not dates:
        return []
    return project_sync_lifecycle(project=project, dates=dates, user=user, reason=reason)


def milestone_save(*, milestone: Milestone, data: dict, user=None) -> Milestone:
    """Save a milestone; a lifecycle one (开工/竣工/投产/达产) whose actual date changed moves
    the project's dates and stage. `milestone.lifecycle_notes` says what moved."""
    before = (
        Milestone.objects.filter(pk=milestone.pk).values_list("actual_on", flat=True).first()
        if milestone.pk
        else None
    )
    for field, value in data.items():
        setattr(milestone, field, value)
    milestone.full_clean()
    milestone.save()
    milestone.lifecycle_notes = []
    if milestone.actual_on != before:
        milestone.lifecycle_notes = _sync_lifecycle(
            milestone.project,
            [milestone],
            user=user,
            reason=f"节点“{milestone.name}”实际日期"
            + (f"记为{milestone.actual_on:%Y-%m-%d}" if milestone.actual_on else "被清除"),
        )
    return milestone


def milestone_delete(*, milestone: Milestone) -> None:
    milestone.delete()


# --------------------------------------------------------------------------- problems

PROBLEM_FIELDS = [
    "category",
    "description",
    "measures",
    "coordination_level",
    "responsible_unit",
    "responsible_person",
    "deadline",
    "status",
    "is_supervised",
    "progress_note",
    "resolution",
]


def _problem_resolution(problem: Problem):
    if problem.status == ProblemStatus.RESOLVED:
        if not problem.resolution.strip():
            raise ValidationError({"resolution": "问题标记为已解决时必须填写解决情况"})
        problem.resolved_on = problem.resolved_on or timezone.localdate()
    else:
        problem.resolved_on = None


# What a reporter may change on an existing problem: its progress and its resolution. The
# deadline, coordination level and 督办 are the reviewer's (moving a deadline would clear the
# overdue flag); what the problem is and who owns it stay as the reviewer last set them.
REPORTER_PROBLEM_FIELDS = ("status", "measures", "progress_note", "resolution")
MSG_REVIEWER_FIELDS = "填报员只能更新措施、推进情况、状态和解决情况；{fields}由审核员设定"
MSG_UNIT_SCOPE = "所选责任单位不在您的管理范围内"


def can_direct_problems(user) -> bool:
    """审核员 and 管理员 set deadlines, coordination levels, owners and 督办."""
    return has_role(user, Role.REVIEWER, Role.ADMIN)


def _check_problem_authority(*, problem: Problem, data: dict, user, creating: bool):
    """Refuse (ValidationError) what the user may not set; `problem` holds the old values.

    user=None is the system itself (seed, commands) and may set everything.
    """
    if user is None or can_direct_problems(user):
        pass
    elif creating:
        if data.get("is_supervised"):
            raise ValidationError({"is_supervised": "只有审核员可以列入督办"})
    else:
        changed = [
            Problem._meta.get_field(f).verbose_name
            for f in PROBLEM_FIELDS
            if f in data and f not in REPORTER_PROBLEM_FIELDS and data[f] != getattr(problem, f)
        ]
        if changed:
            raise ValidationError(MSG_REVIEWER_FIELDS.format(fields="、".join(changed)))
    unit = data.get("responsible_unit")
    if user is None or unit is None:
        return
    if not creating and unit.pk == problem.responsible_unit_id:
        return  # unchanged: an owner set by someone with a wider scope stays valid
    if unit.pk != problem.project.unit_id and not visible_units(user).filter(pk=unit.pk).exists():
        raise ValidationError({"responsible_unit": MSG_UNIT_SCOPE})


def problem_defaults(project: Project) -> dict:
    """Who answers for a new problem unless told otherwise: the project's 责任单位 and its
    responsible person (the 分包领导, else the project's 联系人)."""
    person = project.leader.name if project.leader_id else project.contact
    return {"responsible_unit": project.unit, "responsible_person": person or ""}


@transaction.atomic
def problem_create(*, project: Project, data: dict, user, source_report=None) -> Problem:
    problem = Problem(project=project, created_by=user, source_report=source_report)
    _check_problem_authority(problem=problem, data=data, user=user, creating=True)
    for field in PROBLEM_FIELDS:
        if field in data:
            setattr(problem, field, data[field])
    _problem_resolution(problem)
    problem.full_clean()
    _history_user(problem, user)
    problem.save()
    return problem


@transaction.atomic
def problem_update(*, problem: Problem, data: dict, version: int, user) -> Problem:
    new_version = check_version(Problem.objects, pk=problem.pk, version=version)
    problem = Problem.objects.select_related("project").get(pk=problem.pk)
    _check_problem_authority(problem=problem, data=data, user=user, creating=False)
    for field in PROBLEM_FIELDS:
        if field in data:
            setattr(problem, field, data[field])
    problem.version = new_version
    _problem_resolution(problem)
    problem.full_clean()
    _history_user(problem, user)
    problem.save()
    return problem


def problem_resolve(*, problem: Problem, resolution: str, version: int, user) -> Problem:
    return problem_update(
        problem=problem,
        data={"status": ProblemStatus.RESOLVED, "resolution": resolution},
        version=version,
        user=user,
    )


# --------------------------------------------------------------------------- letters

LETTER_PREFIX = {"reminder": "提醒", "assignment": "交办", "supervision": "督办"}


def next_letter_number(*, kind: str, year: int, skip: int = 0) -> str:
    prefix = f"发改{LETTER_PREFIX[kind]}〔{year}〕"
    count = SupervisionLetter.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1 + skip}号"


@transaction.atomic
def letter_issue(
    *,
    kind: str,
    project: Project,
    problem: Problem | None,
    body: str,
    reply_deadline: datetime.date,
    user,
    recipient=None,
) -> SupervisionLetter:
    today = timezone.localdate()
    letter = SupervisionLetter(
        kind=kind,
        project=project,
        problem=problem,
        recipient=recipient
        or (problem.responsible_unit if problem and problem.responsible_unit_id else None)
        or project.unit,
        body=body,
        issued_on=today,
        reply_deadline=reply_deadline,
        issued_by=user,
    )
    _history_user(letter, user)
    _save_numbered(letter, year=today.year)
    if problem is not None and kind == "supervision":
        problem_supervise(problem=problem, user=user, reason=f"发出督办函{letter.number}")
    return letter


def _save_numbered(letter: SupervisionLetter, *, year: int, attempts: int = 5):
    """Save under the next free number; two reviewers issuing at once must not collide."""
    letter.full_clean(exclude=["number"])
    for attempt in range(attempts):
        letter.number = next_letter_number(kind=letter.kind, year=year, skip=attempt)
        try:
            with transaction.atomic():
                letter.save()
            return
        except IntegrityError:  # the number was taken by a concurrent letter: take the next
            letter.pk = None
    raise ValidationError("同时发出的函件较多，文号分配失败，请稍后重试")


@transaction.atomic
def problem_supervise(*, problem: Problem, user, reason: str) -> Problem:
    """Set a problem's 督办 flag as an audited edit: version bumped, so a form opened before
    the letter was issued is refused as stale instead of silently clearing 督办."""
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    if problem.is_supervised:
        return problem
    problem.is_supervised = True
    problem.version += 1
    _history_user(problem, user)
    problem._change_reason = reason
    problem.save()
    return problem


@transaction.atomic
def letter_reply(
    *, letter: SupervisionLetter, reply: str, version: int | None, user
) -> SupervisionLetter:
    """Record the reply if the replier saw the latest letter (a second reply is not lost)."""
    if not (reply or "").strip():
        raise ValidationError({"reply": "请填写回复内容"})
    if version is None:
        raise ValidationError("表单缺少版本号，请刷新页面后重试")
    if SupervisionLetter.objects.filter(pk=letter.pk, status=LetterStatus.WITHDRAWN).exists():
        raise ValidationError("该函件已作废，不能回复")
    new_version = check_version(SupervisionLetter.objects, pk=letter.pk, version=version)
    letter = SupervisionLetter.objects.get(pk=letter.pk)
    letter.reply = reply.strip()
    letter.status = LetterStatus.REPLIED
    letter.replied_by = user
    letter.replied_at = timezone.now()
    letter.version = new_version
    letter.full_clean()
    _history_user(letter, user)
    letter.save()
    return letter


# --------------------------------------------------------------------------- suspension


def project_is_suspended(project: Project) -> bool:
    last = (
        ProjectSuspension.objects.filter(project=project, status=RequestStatus.APPROVED)
        .order_by("-happened_on", "-id")
        .first()
    )
    return bool(last and last.kind == SuspensionKind.SUSPEND)


@transaction.atomic
def suspension_request(
    *,
    project: Project,
    kind: str,
    happened_on: datetime.date,
    reason: str,
    user,
    expected_resume_on: datetime.date | None = None,
) -> ProjectSuspension:
    suspended = project_is_suspended(project)
    if kind == SuspensionKind.SUSPEND and suspended:
        raise ValidationError("该项目已处于停工状态，不能重复申请停工")
    if kind == SuspensionKind.RESUME and not suspended:
        raise ValidationError("该项目未停工，无需申请复工")
    if ProjectSuspension.objects.filter(project=project, status=RequestStatus.PENDING).exists():
        raise ValidationError("该项目已有待审核的停工/复工申请，请等待审核")
    if happened_on > timezone.localdate() + datetime.timedelta(days=31):
        raise ValidationError({"happened_on": "日期不能晚于一个月以后"})
    if expected_resume_on and expected_resume_on < happened_on:
        raise ValidationError({"expected_resume_on": "预计复工日期不能早于停工日期"})
    req = ProjectSuspension(
        project=project,
        kind=kind,
        happened_on=happened_on,
        expected_resume_on=expected_resume_on,
        reason=reason,
        requested_by=user,
    )
    req.full_clean()
    _history_user(req, user)
    req.save()
    return req


@transaction.atomic
def suspension_decide(
    *, request: ProjectSuspension, approve: bool, user, comment: str = ""
) -> ProjectSuspension:
    req = ProjectSuspension.objects.select_for_update().get(pk=request.pk)
    if req.status != RequestStatus.PENDING:
        raise ValidationError("该申请已审核，不能重复审核")
    if not approve and not comment.strip():
        raise ValidationError({"comment": "驳回时必须填写审核意见"})
    req.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    req.reviewed_by = user
    req.reviewed_at = timezone.now()
    req.review_comment = comment.strip()
    req.full_clean()
    _history_user(req, user)
    req.save()
    return req


# --------------------------------------------------------------------------- form entry point


@transaction.atomic
def report_save(
    *,
    user,
    data: dict,
    submit: bool = False,
    report: ProgressReport | None = None,
    version: int | None = None,
    project: Project | None = None,
    year: int | None = None,
    month: int | None = None,
    photos=(),
    pending=(),
    new_problem: dict | None = None,
) -> ProgressReport:
    """What the monthly form does in one transaction: report, photos (new uploads and the
    `pending` ones kept from an earlier failed submit), a new problem.

    Either `report` + `version` (edit) or `project` + `year` + `month` (new).
    """
    if report is None:
        report = report_create(
            project=project, year=year, month=month, data=data, user=user, submit=submit
        )
    else:
        if version is None:
            raise ValidationError("表单缺少版本号，请刷新页面后重试")
        report = report_update(report=report, data=data, version=version, user=user, submit=submit)
    if photos:
        report_add_photos(report=report, files=photos)
    if pending:
        from milestones.photos import attach_pending

        attach_pending(report=report, pending=pending)
    if new_problem:
        data = {**problem_defaults(report.project), **new_problem}
        problem_create(project=report.project, data=data, user=user, source_report=report)
    return report


# The review step lives in milestones/review.py (one or two levels, SPEC §3.6); callers keep
# using services.report_approve & co. Imported last: review.py uses the helpers above.
from milestones.review import (  # noqa: E402
    report_approve,
    report_return,
    reports_bulk_approve,
)

__all__ += ["report_approve", "report_return", "reports_bulk_approve"]
