"""Starting the next year's list (年度滚动, SPEC §3.5): the preview, then the apply, at
/years/<year>/next/ beside registry's year list (milestones/services/year_cycle.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from milestones.services import year_cycle
from registry import year_offers
from registry.confirmations import ConfirmationNeededError
from registry.views.mixins import role_required
from registry.views.years import CITY, checked_year, city_only


@role_required(*CITY)
def year_next(request, year):
    """GET: what starting year + 1 would do. POST: do it."""
    city_only(request)
    year = checked_year(year)
    if request.method == "POST":
        confirmed = request.POST.get("confirm_missing") == "1"
        try:
            done = year_cycle.apply(from_year=year, user=request.user, confirmed=confirmed)
        except ConfirmationNeededError as exc:
            messages.error(request, exc.message)
            return redirect("year_cycle:next", year=year)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("year_cycle:next", year=year)
        messages.success(
            request,
            f"{done.to_year}年度名单已生成：结转{len(done.carried)}个项目，"
            f"{len(done.leaving)}个项目不再列入。请导入{done.to_year}年度台账或在网页上填写年度计划。",
        )
        return redirect(f"{redirect('portal:project_list').url}?year={done.to_year}")
    preview = year_cycle.preview(from_year=year, user=request.user)
    missing = [] if preview.already else year_cycle.missing(year)
    # Projects other apps offer for the new list (the pipeline's 成熟 ones).
    offers = year_offers.offers(preview.to_year, request.user)
    context = {"preview": preview, "missing": missing, "offers": offers}
    return render(request, "milestones/year_next.html", context)
