"""Ledger upload → dry-run preview → confirm, progress polling, import history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from core.files import private_file_response
from core.jobs import dispatch
from core.queue import QUEUE_DOWN, QueueUnavailableError
from registry.choices import IMPORT_CONFIRM_URLS, ImportKind, ImportStatus, Role
from registry.forms_excel import LedgerUploadForm
from registry.import_batches import (
    IMPORT_JOB,
    batch_fail,
    batch_refresh_stale,
    batch_unconfirm,
    batches_expire_stale,
)
from registry.models import ImportBatch
from registry.roles import has_role
from registry.scoping import import_batch_within_scope, visible_import_batches
from registry.views.mixins import role_required

IMPORTERS = (Role.REVIEWER, Role.ADMIN)
RUNNING = (ImportStatus.QUEUED, ImportStatus.RUNNING)


OUT_OF_SCOPE = "该导入涉及您管理范围以外的项目或地区，您不能确认；未做任何修改"


def _progress_url():
    try:
        return reverse("milestones:progress_import")
    except NoReverseMatch:
        return None


def queue_batch(request, batch, *, undo):
    """Queue the batch (its row has committed); if Redis is down, undo and say so."""
    try:
        dispatch(IMPORT_JOB, batch.pk)
    except QueueUnavailableError as exc:
        undo()
        messages.error(request, exc.message)


@role_required(Role.REVIEWER, Role.ADMIN, Role.REPORTER)
def import_list(request):
    batches_expire_stale()
    batches = visible_import_batches(request.user).select_related("created_by")[:100]
    can_import = has_role(request.user, *IMPORTERS)
    return render(
        request,
        "registry/imports/import_list.html",
        {
            "batches": batches,
            "form": LedgerUploadForm() if can_import else None,
            "can_import": can_import,
            "progress_url": _progress_url(),
        },
    )


@role_required(*IMPORTERS)
def ledger_upload(request):
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with transaction.atomic():
            batch = ImportBatch(
                kind=ImportKind.LEDGER,
                file_name=upload.name[:255],
                year=form.cleaned_data["year"],
                create_missing=form.cleaned_data["create_missing"],
                default_level=form.cleaned_data.get("default_level") or "",
                dry_run=True,
                status=ImportStatus.QUEUED,
                created_by=request.user,
            )
            batch.file.save(upload.name, upload, save=False)
            batch.save()
        queue_batch(request, batch, undo=lambda: batch_fail(batch_id=batch.pk, reason=QUEUE_DOWN))
        return redirect("registry:import_detail", pk=batch.pk)
    return render(
        request,
        "registry/imports/import_list.html",
        {
            "batches": visible_import_batches(request.user).select_related("created_by")[:100],
            "form": form,
            "can_import": True,
            "progress_url": _progress_url(),
        },
        status=400 if request.method == "POST" else 200,
    )


def _batch_for(request, pk):
    batches = visible_import_batches(request.user).select_related("created_by")
    return batch_refresh_stale(get_object_or_404(batches, pk=pk))


@role_required(Role.REVIEWER, Role.ADMIN, Role.REPORTER)
def import_detail(request, pk):
    batch = _batch_for(request, pk)
    report = batch.report or {}
    ready = (
        batch.status == ImportStatus.PREVIEWED
        and batch.dry_run
        and batch.rows_error == 0
        and (batch.rows_new or batch.rows_changed)
    )
    confirm_url = None
    ready = ready and import_batch_within_scope(request.user, batch)
    if ready and batch.kind == ImportKind.LEDGER and has_role(request.user, *IMPORTERS):
        confirm_url = reverse("registry:import_confirm", args=[batch.pk])
    elif ready and batch.kind in IMPORT_CONFIRM_URLS and batch.created_by_id == request.user.pk:
        try:
            confirm_url = reverse(IMPORT_CONFIRM_URLS[batch.kind], args=[batch.pk])
        except NoReverseMatch:
            confirm_url = None
    return render(
        request,
        "registry/imports/import_detail.html",
        {
            "batch": batch,
            "report": report,
            "can_confirm": bool(confirm_url),
            "confirm_url": confirm_url,
            "running": batch.status in RUNNING,
        },
    )


@role_required(Role.REVIEWER, Role.ADMIN, Role.REPORTER)
def import_status(request, pk):
    """htmx poll: the progress bar; once finished, tell htmx to reload the page."""
    batch = _batch_for(request, pk)
    response = render(
        request,
        "registry/imports/_progress.html",
        {"batch": batch, "running": batch.status in RUNNING},
    )
    if batch.status not in RUNNING:
        response["HX-Refresh"] = "true"
    return response


@role_required(Role.REVIEWER, Role.ADMIN, Role.REPORTER)
def import_file(request, pk):
    """The uploaded spreadsheet, to whoever may see the batch, under its original name."""
    batch = _batch_for(request, pk)
    return private_file_response(batch.file, batch.file_name)


@require_POST
@role_required(*IMPORTERS)
def import_confirm(request, pk):
    with transaction.atomic():
        get_object_or_404(visible_import_batches(request.user), pk=pk)
        # Lock the row (no outer join: PostgreSQL refuses FOR UPDATE on its nullable side).
        batch = ImportBatch.objects.select_for_update().get(pk=pk)
        if batch.kind != ImportKind.LEDGER:
            raise PermissionDenied("该导入记录不能在此确认")
        if not import_batch_within_scope(request.user, batch):
            raise PermissionDenied(OUT_OF_SCOPE)
        if batch.status != ImportStatus.PREVIEWED or not batch.dry_run or batch.rows_error:
            messages.error(request, "该导入已确认过或预览有错误，不能再次确认")
            return redirect("registry:import_detail", pk=batch.pk)
        batch.dry_run = False
        batch.status = ImportStatus.QUEUED
        batch.progress = 0
        batch.confirmed_by = request.user
        batch.save(update_fields=["dry_run", "status", "progress", "confirmed_by", "updated_at"])
    queue_batch(request, batch, undo=lambda: batch_unconfirm(batch_id=batch.pk))
    return redirect("registry:import_detail", pk=batch.pk)
