"""Writing monthly reports: create, update, submit, photos and the monthly form's one
transaction (the review step is in milestones/services/review.py)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from milestones.choices import ReportStatus
from milestones.models import FUND_FIELDS, ProgressReport, ReportingWindow, ReportPhoto
from milestones.services.base import MSG_FUTURE, history_user
from milestones.services.problem import problem_create, problem_defaults
from milestones.totals import derive_totals, recompute_later_months
from registry.models import Project
from registry.services import check_version
from registry.years import check_writable

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


MSG_APPROVED = "该月报已审核通过，不能再修改"
MSG_SUBMITTED = "该月报已提交，正在审核中，不能修改；如需修改请联系审核员退回"
MSG_NO_WINDOW = "{y}年{m}月调度期未开放，不能提交（可先保存草稿，待调度期开放后再提交）"
MSG_NEGATIVE = "金额不能为负数"


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
    history_user(report, user)
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
    history_user(report, user)
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
