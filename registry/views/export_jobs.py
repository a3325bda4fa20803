"""Exports too big for a request: queued as an ExportJob, shown with a progress bar.

`export_or_queue` is what every export view returns: the workbook at once when the scoped,
filtered rows are at most EXPORT_ASYNC_ROWS, else a job for a worker and a redirect to its
page. Only the job's owner (and admins) see a job, its progress and its file; anyone else
gets 404 (registry.scoping.visible_export_jobs).
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from registry.choices import ExportStatus
from registry.excel.writer import XLSX
from registry.export_jobs import (
    EXPORT_JOB,
    export_job_create,
    export_job_fail,
    export_job_refresh_stale,
    export_jobs_expire_stale,
    export_spec,
)
from registry.files import private_file_response
from registry.jobs import dispatch
from registry.queue import QueueUnavailableError
from registry.replica import replica_reads
from registry.scoping import visible_export_jobs
from registry.views.mixins import role_required

RECENT = 20


def xlsx_response(export):
    response = HttpResponse(export.data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, export.filename)
    return response


def export_or_queue(request, kind):
    """The export `kind` of the request's query, for the signed-in user (views that call
    this have checked login and role)."""
    spec = export_spec(kind)
    if spec is None:
        raise Http404("没有这种导出")
    query = request.GET.copy()
    with replica_reads():  # the rows only: the job below is written and read on the primary
        total = spec.rows(request.user, query).count()
        if total <= settings.EXPORT_ASYNC_ROWS:
            return xlsx_response(spec.build(request.user, query))
    job = export_job_create(
        user=request.user, kind=kind, params=query.urlencode(), rows_total=total
    )
    try:
        dispatch(EXPORT_JOB, job.pk)
    except QueueUnavailableError as exc:
        # The job is kept, marked 失败 with the reason (not deleted): the user lands on its
        # page and finds it in 我的导出 with why it did not run; nothing stays 排队中.
        export_job_fail(job_id=job.pk, reason=exc.message)
        messages.error(request, exc.message)
    return redirect("registry:export_detail", pk=job.pk)


def _job_for(request, pk):
    job = get_object_or_404(visible_export_jobs(request.user), pk=pk)
    return export_job_refresh_stale(job)


@require_GET
@role_required()
def export_list(request):
    """我的导出: the user's last jobs (an admin's own too: the list is personal)."""
    export_jobs_expire_stale()
    jobs = visible_export_jobs(request.user).filter(user=request.user)[:RECENT]
    return render(
        request,
        "registry/exports/export_list.html",
        {
            "jobs": jobs,
            "threshold": settings.EXPORT_ASYNC_ROWS,
            "keep_days": settings.EXPORT_KEEP_DAYS,
        },
    )


@require_GET
@role_required()
def export_detail(request, pk):
    job = _job_for(request, pk)
    return render(
        request,
        "registry/exports/export_detail.html",
        {"job": job, "keep_days": settings.EXPORT_KEEP_DAYS},
    )


@require_GET
@role_required()
def export_status(request, pk):
    """htmx poll: the progress bar; once finished, tell htmx to reload the page."""
    job = _job_for(request, pk)
    response = render(request, "registry/exports/_progress.html", {"job": job})
    if not job.running:
        response["HX-Refresh"] = "true"
    return response


@require_GET
@role_required()
def export_file(request, pk):
    """The finished workbook, to the job's owner (and admins), under its export name."""
    job = _job_for(request, pk)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404("文件尚未生成或已过保留期")
    return private_file_response(job.file, job.file_name)
