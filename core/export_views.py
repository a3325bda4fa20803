"""What every export view returns (`export_or_queue`): the workbook at once when the
scoped, filtered rows are at most EXPORT_ASYNC_ROWS, else a job for a worker and a redirect
to the job's page (portal's 我的导出)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect

from core.excel.workbook import xlsx_response
from core.export_jobs import EXPORT_JOB, export_job_create, export_job_fail, export_spec
from core.jobs import dispatch
from core.queue import QueueUnavailableError
from core.replica import replica_reads


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
            export = spec.build(request.user, query)
            return xlsx_response(export.data, export.filename)
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
    return redirect("portal:export_detail", pk=job.pk)
