"""我的导出: exports too big for a request, queued as an ExportJob (core.export_views),
shown with a progress bar. Only the job's owner (and admins) see a job, its progress and its
file; anyone else gets 404 (registry.scoping.visible_export_jobs).
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core.choices import ExportStatus
from core.export_jobs import (
    export_job_refresh_stale,
    export_jobs_expire_stale,
)
from core.files import private_file_response
from registry.scoping import visible_export_jobs
from registry.views.mixins import role_required

RECENT = 20


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
        "portal/exports/export_list.html",
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
        "portal/exports/export_detail.html",
        {"job": job, "keep_days": settings.EXPORT_KEEP_DAYS},
    )


@require_GET
@role_required()
def export_status(request, pk):
    """htmx poll: the progress bar; once finished, tell htmx to reload the page."""
    job = _job_for(request, pk)
    response = render(request, "portal/exports/_progress.html", {"job": job})
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
