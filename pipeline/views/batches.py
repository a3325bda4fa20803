"""集中开工 batches: list, create/edit, the page with its sentence and follow-up, export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.excel import workbook
from pipeline import batches
from pipeline.choices import BatchFollow
from pipeline.forms import BatchForm
from pipeline.views.common import xlsx_response
from pipeline.views.projects import _add_errors
from registry.choices import Role
from registry.roles import has_role
from registry.scoping import visible_projects
from registry.selectors import year_list
from registry.views.mixins import role_required

EDITORS = (Role.REVIEWER, Role.ADMIN)


@require_GET
@role_required()
def batch_list(request):
    rows = list(batches.visible_batches(request.user)[:100])
    items = [(b, batches.sentence(b, _totals(b))) for b in rows]
    return render(
        request,
        "pipeline/batch_list.html",
        {"items": items, "can_edit": has_role(request.user, *EDITORS)},
    )


def _totals(batch):
    """The batch's figures from its prefetched projects and their plans."""
    return batches.totals(batch)


def _candidates(user, year):
    return year_list(year, visible_projects(user)).select_related("region").order_by("code")


@role_required(*EDITORS)
def batch_edit(request, pk=None):
    batch = get_object_or_404(batches.visible_batches(request.user), pk=pk) if pk else None
    year = batch.held_on.year if batch else timezone.localdate().year
    form = BatchForm(
        request.POST or None, instance=batch, user=request.user,
        projects=_candidates(request.user, year),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data.get(k) for k in ("name", "held_on", "region", "note")}
        try:
            saved = batches.batch_save(
                user=request.user, data=data, projects=form.cleaned_data["projects"], batch=batch
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "集中开工批次已保存")
            return redirect("pipeline:batch_detail", pk=saved.pk)
    return render(request, "pipeline/batch_form.html", {"form": form, "batch": batch})


@require_GET
@role_required()
def batch_detail(request, pk):
    batch = get_object_or_404(batches.visible_batches(request.user), pk=pk)
    rows = batches.follow_rows(batch, request.user)
    return render(
        request,
        "pipeline/batch_detail.html",
        {
            "batch": batch,
            "sentence": batches.sentence(batch),
            "rows": rows,
            "counts": [(BatchFollow(k).label, n) for k, n in batches.follow_counts(rows).items()],
            "can_edit": has_role(request.user, *EDITORS),
            "due": batch.held_on + batches.datetime.timedelta(days=batches.ON_TIME_DAYS),
        },
    )


@require_GET
@role_required()
def batch_export(request, pk):
    batch = get_object_or_404(batches.visible_batches(request.user), pk=pk)
    rows = [
        [p.code, p.name, p.region.name, p.total_investment, p.planned_start, p.started_on,
         BatchFollow(value).label]
        for p, value in batches.follow_rows(batch, request.user)
    ]  # fmt: skip
    data = workbook.table(
        title=f"{batch.name}（{batch.held_on:%Y-%m-%d}）开工情况",
        sheet="集中开工",
        headers=["项目编号", "项目名称", "所属地区", "总投资(万元)", "计划开工时间", "实际开工时间", "开工情况"],
        rows=rows, money_columns=(3,), widths={1: 30},
    )  # fmt: skip
    return xlsx_response(data, "集中开工")
