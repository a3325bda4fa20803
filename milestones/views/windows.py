"""调度期 management: the city DRC opens and closes each month's reporting window.

County reviewers see the list; opening and closing is refused by the service (403).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from milestones import services
from milestones.chase import chase_owed
from milestones.forms import WindowForm
from milestones.models import ReportingWindow
from milestones.views.common import apply_errors
from registry.choices import Role
from registry.scoping import is_city_level
from registry.views.mixins import role_required

REVIEWERS = (Role.REVIEWER, Role.ADMIN)


@role_required(*REVIEWERS)
def window_list(request):
    today = timezone.localdate()
    if request.method == "POST":
        form = WindowForm(request.POST)
        if form.is_valid():
            try:
                window = services.window_open(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"{window.period_label}调度期已开放，截止日期 {window.deadline:%Y-%m-%d}",
                )
                return redirect("milestones:windows")
    else:
        prev = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        form = WindowForm(initial={"year": prev[0], "month": prev[1]})
    windows = ReportingWindow.objects.select_related("opened_by", "closed_by")
    return render(
        request,
        "milestones/windows.html",
        {
            "form": form,
            "windows": windows[:36],
            "today": today,
            "can_manage": is_city_level(request.user),
        },
    )


@require_POST
@role_required(*REVIEWERS)
def window_close(request, pk):
    window = get_object_or_404(ReportingWindow, pk=pk)
    try:
        services.window_close(window=window, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"{window.period_label}调度期已关闭")
    return redirect("milestones:windows")


@require_POST
@role_required(*REVIEWERS)
def window_reopen(request, pk):
    window = get_object_or_404(ReportingWindow, pk=pk)
    try:
        services.window_open(
            year=window.year,
            month=window.month,
            user=request.user,
            opens_on=window.opens_on,
            deadline=window.deadline,
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"{window.period_label}调度期已重新开放")
    return redirect("milestones:windows")


@require_POST
@role_required(*REVIEWERS)
def window_chase(request, pk):
    """催报: remind the reporters of the projects in scope still owing this month's report."""
    window = get_object_or_404(ReportingWindow, pk=pk)
    try:
        result = chase_owed(user=request.user, window=window)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("milestones:windows")
    if not result.owed:
        messages.info(request, f"{window.period_label}您范围内的项目均已报送，无需催报")
    elif not result.chased:
        messages.info(request, f"{result.owed}个未报项目今日均已催报，每个项目每天最多催报一次")
    else:
        already = f"；另有{result.already}个项目今日已催报" if result.already else ""
        messages.success(
            request,
            f"已催报{result.chased}个未报项目，通知{result.reporters}名填报员{already}",
        )
    return redirect("milestones:windows")
