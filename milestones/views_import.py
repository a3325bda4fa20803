"""Monthly progress spreadsheet upload → preview → confirm (thin: the service does it all).

Progress sheets are small (one row per project and month), so they run in the request;
the preview and history pages are the registry import pages.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.export_jobs import Export
from core.export_views import xlsx_response
from milestones import progress_sheet
from milestones.choices import MilestonesImport
from milestones.progress_import import progress_import_batch
from registry.choices import ImportStatus, Role
from registry.excel.ledger_export import query_year
from registry.forms_excel import check_upload
from registry.models import ImportBatch
from registry.scoping import import_batch_within_scope, visible_projects
from registry.views.imports import OUT_OF_SCOPE
from registry.views.mixins import role_required

ROLES = (Role.REPORTER, Role.REVIEWER, Role.ADMIN)


class ProgressUploadForm(forms.Form):
    file = forms.FileField(
        label="月度进度表",
        help_text="列：项目编号、月份、本月完成投资、年度累计完成投资、形象进度、存在问题",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.xls,.ods", "class": "form-control"}
        ),
    )

    def clean_file(self):
        return check_upload(self.cleaned_data["file"])


@role_required(*ROLES)
def progress_import(request):
    form = ProgressUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch, _result = progress_import_batch(upload=form.cleaned_data["file"], user=request.user)
        return redirect("registry:import_detail", pk=batch.pk)
    return render(
        request,
        "registry/imports/progress_upload.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@role_required(*ROLES)
def progress_import_confirm(request, pk):
    with transaction.atomic():
        batch = get_object_or_404(
            ImportBatch.objects.select_for_update(),
            pk=pk,
            kind=MilestonesImport.PROGRESS,
            created_by=request.user,
        )
        if batch.status != ImportStatus.PREVIEWED or batch.rows_error:
            messages.error(request, "该导入已确认过或预览有错误，不能再次确认")
            return redirect("registry:import_detail", pk=batch.pk)
        if not import_batch_within_scope(request.user, batch):
            raise PermissionDenied(OUT_OF_SCOPE)
        batch.confirmed_by = request.user
        progress_import_batch(upload=None, user=request.user, dry_run=False, batch=batch)
    return redirect("registry:import_detail", pk=batch.pk)


@role_required()
def progress_template(request):
    """A blank progress sheet listing the user's projects (codes and names)."""
    year = query_year(request.GET.get("year")) or timezone.localdate().year
    projects = visible_projects(request.user).order_by("code").values_list("code", "name")
    return xlsx_response(
        Export(
            data=progress_sheet.progress_template(year, projects),
            filename=f"月度进度导入模板-{year}.xlsx",
        )
    )
