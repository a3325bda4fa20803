"""填报员 pages: 本月待填报, the monthly report form, report detail and site photos."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.files import private_file_response
from milestones import photos, review, selectors, services
from milestones.choices import ReportStatus
from milestones.forms import ProgressReportForm, ReportStartForm, ReviewForm
from milestones.hints import report_hints
from milestones.models import PendingPhoto, ReportingWindow, ReportPhoto
from milestones.views.common import apply_errors
from registry.choices import Role
from registry.roles import has_role
from registry.scoping import scope_queryset
from registry.views.mixins import role_required

EDITORS = (Role.REPORTER, Role.ADMIN)


def _period(request):
    year, month = selectors.default_period()
    try:
        year = int(request.GET.get("year", year))
        month = int(request.GET.get("month", month))
    except ValueError:
        raise Http404("月份格式不正确")
    if not 1 <= month <= 12:
        raise Http404("月份格式不正确")
    return year, month


@role_required(Role.REPORTER, Role.ADMIN)
def todo(request):
    year, month = _period(request)
    today = timezone.localdate()
    owed_filter = request.GET.get("show") != "all"
    counts = selectors.todo_counts(selectors.todo_list(user=request.user, year=year, month=month))
    rows = selectors.todo_list(user=request.user, year=year, month=month, owed_only=owed_filter)
    paginator = Paginator(rows, 50)
    paginator.count = counts["owed"] if owed_filter else counts["total"]  # no second COUNT
    page = paginator.get_page(request.GET.get("page"))
    window = ReportingWindow.objects.filter(year=year, month=month).first()
    months = [
        (y, m)
        for y in (today.year - 1, today.year)
        for m in range(1, 13)
        if (y, m) <= (today.year, today.month)
    ][-14:]
    return render(
        request,
        "milestones/todo.html",
        {
            "year": year,
            "month": month,
            "page_obj": page,
            "rows": page.object_list,
            "counts": counts,
            "window": window,
            "window_open": bool(window and window.accepts_on(today)),
            "show_all": not owed_filter,
            "months": list(reversed(months)),
            "status_labels": dict(ReportStatus.choices),
            "querystring": f"year={year}&month={month}" + ("&show=all" if not owed_filter else ""),
        },
    )


def _form_context(request, *, project, year, month, form, report=None, start_form=None):
    window = ReportingWindow.objects.filter(year=year, month=month).first()
    earlier = services.earlier_months(project_id=project.pk, year=year, month=month)
    open_problems = project.problems.exclude(status="resolved").order_by("deadline")
    return {
        "project": project,
        "year": year,
        "month": month,
        "form": form,
        "start_form": start_form,
        "report": report,
        "window": window,
        "window_open": bool(window and window.accepts_on(timezone.localdate())),
        "earlier": sorted(earlier.items()),
        "earlier_sum": sum(earlier.values()),
        "missing_months": [m for m in range(1, month) if m not in earlier],
        "open_problems": open_problems,
        "photos": report.photos.all() if report else [],
        "photo_limits": {
            "mb": settings.PHOTO_MAX_BYTES // (1024 * 1024),
            "mp": settings.PHOTO_MAX_PIXELS // 1_000_000,
        },
        "fund_fields": [form[name] for name in form.fund_names],
        "milestone_fields": [form[name] for name in form.milestone_names],
    }


def _derivable(report):
    earlier = services.earlier_months(
        project_id=report.project_id, year=report.year, month=report.month
    )
    return len(earlier) == report.month - 1


def _milestones(project):
    return list(project.milestones.order_by("planned_on", "id"))


@role_required(*EDITORS)
def report_new(request):
    """Start the report of a project for a month; the project id is checked against scope."""
    source = request.POST if request.method == "POST" else request.GET
    try:
        year = int(source.get("year") or 0)
    except ValueError:
        raise Http404
    start = ReportStartForm(source, user=request.user, year=year)
    if not start.is_valid():
        if "project" in start.errors:
            if request.method == "GET":
                raise Http404("项目不存在或不在您的填报范围内")
            messages.error(request, start.errors["project"][0])
            return redirect("milestones:todo")
        raise Http404
    project = start.cleaned_data["project"]
    month = start.cleaned_data["month"]
    existing = project.progress_reports.filter(year=year, month=month).first()
    if existing and request.method == "GET":
        return redirect("milestones:report_edit", pk=existing.pk)
    milestones = _milestones(project)
    pending = []
    if request.method == "POST":
        form = ProgressReportForm(
            request.POST, request.FILES, project=project, milestones=milestones
        )
        pending = _pending(request, project, year, month)
        where = (project, year, month)
        saved = _save(request, form, pending, where, project=project, year=year, month=month)
        if saved:
            return saved
    else:
        form = ProgressReportForm(project=project, milestones=milestones)
    ctx = _form_context(
        request, project=project, year=year, month=month, form=form, start_form=start
    )
    ctx["pending_photos"] = pending
    return render(request, "milestones/report_form.html", ctx)


def _pending(request, project, year, month):
    return photos.pending_photos(
        user=request.user,
        project=project,
        year=year,
        month=month,
        ids=request.POST.getlist("pending_photo"),
    )


def _save(request, form, pending, where, **target):
    """Save the report; on any error keep the photos that passed as pending uploads of
    `where` (project, year, month), added to `pending`, so the reporter need not pick them
    again. Returns the redirect, or None to show the form again."""
    if form.is_valid():
        if "report" in target:
            target["version"] = form.cleaned_data.get("version")
        try:
            report = services.report_save(
                user=request.user,
                data=form.report_data(),
                submit=request.POST.get("action") == "submit",
                photos=form.prepared_photos,
                pending=pending,
                new_problem=form.new_problem(),
                **target,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _saved(request, report)
    if form.prepared_photos:
        project, year, month = where
        pending += photos.stash_pending(
            user=request.user, project=project, year=year, month=month, photos=form.prepared_photos
        )
    return None


def _saved(request, report):
    if report.status == ReportStatus.SUBMITTED:
        late = "（逾期提交）" if report.is_late else ""
        messages.success(request, f"{report.period_label}月报已提交，等待审核{late}")
        return redirect("milestones:report_detail", pk=report.pk)
    messages.success(request, f"{report.period_label}月报草稿已保存")
    return redirect("milestones:report_edit", pk=report.pk)


@role_required(*EDITORS)
def report_edit(request, pk):
    report = get_object_or_404(selectors.reports_for(user=request.user), pk=pk)
    project = report.project
    milestones = _milestones(project)
    pending = []
    if request.method == "POST":
        form = ProgressReportForm(
            request.POST, request.FILES, project=project, milestones=milestones, report=report
        )
        pending = _pending(request, project, report.year, report.month)
        where = (project, report.year, report.month)
        saved = _save(request, form, pending, where, report=report)
        if saved:
            return saved
    else:
        if not report.is_editable:
            messages.warning(
                request,
                services.MSG_APPROVED
                if report.status == ReportStatus.APPROVED
                else services.MSG_SUBMITTED,
            )
            return redirect("milestones:report_detail", pk=report.pk)
        form = ProgressReportForm(
            project=project,
            milestones=milestones,
            report=report,
            ytd_derivable=_derivable(report),
        )
    ctx = _form_context(
        request, project=project, year=report.year, month=report.month, form=form, report=report
    )
    ctx["pending_photos"] = pending
    return render(request, "milestones/report_form.html", ctx)


@role_required(Role.REPORTER, Role.REVIEWER, Role.LEADER, Role.ADMIN)
def report_detail(request, pk):
    report = get_object_or_404(
        selectors.reports_for(user=request.user).prefetch_related("photos"), pk=pk
    )
    previous = selectors.previous_report(report)
    ms_updates = report.milestone_updates or {}
    milestones = list(report.project.milestones.order_by("planned_on", "id"))
    for ms in milestones:
        ms.reported_on = ms_updates.get(str(ms.pk))
    ctx = {
        "report": report,
        "project": report.project,
        "previous": previous,
        "rows": selectors.report_comparison(report, previous),
        "progress": selectors.plan_progress(report),
        "milestones": milestones,
        "problems": report.project.problems.select_related("responsible_unit").order_by(
            "status", "deadline"
        ),
        "history": selectors.report_history(report),
        "can_review": has_role(request.user, Role.REVIEWER, Role.ADMIN)
        and review.can_review(request.user, report),
        "review_stage": review.review_stage(request.user),
        "hints": report_hints([report])[report.pk],
        "can_edit": has_role(request.user, *EDITORS) and report.is_editable,
        "review_form": ReviewForm(initial={"version": report.version}),
    }
    return render(request, "milestones/report_detail.html", ctx)


@role_required(Role.REPORTER, Role.REVIEWER, Role.LEADER, Role.ADMIN)
def photo_download(request, pk):
    """Site photos are served through scoping, never straight from MEDIA_ROOT."""
    qs = scope_queryset(request.user, ReportPhoto.objects.all(), project_field="report__project")
    photo = get_object_or_404(qs, pk=pk)
    return private_file_response(photo.image, photo.original_name)


@role_required(*EDITORS)
def pending_photo_download(request, pk):
    """A photo kept from a failed submit: only its uploader sees it (no report holds it yet)."""
    photo = get_object_or_404(PendingPhoto, pk=pk, user=request.user)
    return private_file_response(photo.image, photo.original_name)


@role_required(*EDITORS)
def photo_delete(request, pk):
    if request.method != "POST":
        return redirect("milestones:todo")
    qs = scope_queryset(request.user, ReportPhoto.objects.all(), project_field="report__project")
    photo = get_object_or_404(qs.select_related("report"), pk=pk)
    report_pk = photo.report_id
    try:
        services.report_delete_photo(photo=photo)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "图片已删除")
    return redirect("milestones:report_edit", pk=report_pk)
