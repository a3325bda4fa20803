"""年度名单: the list years, starting the next year's list (preview, then apply), closing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from registry import year_cycle, year_offers, years
from registry.choices import Role
from registry.confirmations import ConfirmationNeededError
from registry.models import ListYear
from registry.scoping import is_city_level
from registry.views.mixins import role_required

CITY = (Role.REVIEWER, Role.ADMIN)


def _city_only(request):
    if not is_city_level(request.user):
        raise PermissionDenied("只有市级审核员或系统管理员可以管理年度名单")


def _year(value) -> int:
    if not 2000 <= value <= 2100:
        raise Http404("年度超出范围")
    return value


@require_GET
@role_required(*CITY)
def year_list(request):
    _city_only(request)
    rows = {r.year: r for r in ListYear.objects.select_related("started_by", "closed_by")}
    context = {
        "rows": [(y, rows.get(y)) for y in years.list_years()],
        "current": years.current_year(),
    }
    return render(request, "registry/years.html", context)


@role_required(*CITY)
def year_next(request, year):
    """GET: what starting year + 1 would do. POST: do it."""
    _city_only(request)
    year = _year(year)
    if request.method == "POST":
        confirmed = request.POST.get("confirm_missing") == "1"
        try:
            done = year_cycle.apply(from_year=year, user=request.user, confirmed=confirmed)
        except ConfirmationNeededError as exc:
            messages.error(request, exc.message)
            return redirect("registry:year_next", year=year)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("registry:year_next", year=year)
        messages.success(
            request,
            f"{done.to_year}年度名单已生成：结转{len(done.carried)}个项目，"
            f"{len(done.leaving)}个项目不再列入。请导入{done.to_year}年度台账或在网页上填写年度计划。",
        )
        return redirect(f"{redirect('registry:project_list').url}?year={done.to_year}")
    preview = year_cycle.preview(from_year=year, user=request.user)
    missing = [] if preview.already else year_cycle.missing(year)
    offers = year_offers.offers(preview.to_year, request.user)
    return render(
        request,
        "registry/year_next.html",
        {"preview": preview, "missing": missing, "offers": offers},
    )


@require_POST
@role_required(*CITY)
def year_close(request, year):
    _city_only(request)
    try:
        years.close_year(year=_year(year), user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{year}年度已关闭，数据只读")
    return redirect("registry:years")


@require_POST
@role_required(Role.ADMIN)
def year_reopen(request, year):
    try:
        years.reopen_year(year=_year(year), user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{year}年度已重新开放")
    return redirect("registry:years")
