"""年度名单: the list years, closing and reopening them (starting the next year's list is
milestones' year cycle: milestones/views/years.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from registry import years
from registry.choices import Role
from registry.models import ListYear
from registry.scoping import is_city_level
from registry.views.mixins import role_required

CITY = (Role.REVIEWER, Role.ADMIN)


def city_only(request):
    if not is_city_level(request.user):
        raise PermissionDenied("只有市级审核员或系统管理员可以管理年度名单")


def checked_year(value) -> int:
    if not 2000 <= value <= 2100:
        raise Http404("年度超出范围")
    return value


@require_GET
@role_required(*CITY)
def year_list(request):
    city_only(request)
    rows = {r.year: r for r in ListYear.objects.select_related("started_by", "closed_by")}
    context = {
        "rows": [(y, rows.get(y)) for y in years.list_years()],
        "current": years.current_year(),
    }
    return render(request, "registry/years.html", context)


@require_POST
@role_required(*CITY)
def year_close(request, year):
    city_only(request)
    try:
        years.close_year(year=checked_year(year), user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{year}年度已关闭，数据只读")
    return redirect("registry:years")


@require_POST
@role_required(Role.ADMIN)
def year_reopen(request, year):
    try:
        years.reopen_year(year=checked_year(year), user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{year}年度已重新开放")
    return redirect("registry:years")
