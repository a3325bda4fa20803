"""The reports page: ask for a report, watch it without reloading, download it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.files import private_file_response
from core.queue import QueueUnavailableError
from registry.confirmations import ConfirmationNeededError
from registry.views.mixins import role_required
from reports import publishing, selectors, services
from reports.forms import RunRequestForm
from reports.models import Publication, ReaderAction, RunStatus
from reports.schedule import last_period


@require_http_methods(["GET", "POST"])
@role_required(*selectors.REPORT_ROLES)
def run_list(request):
    services.expire_stale()
    if request.method == "POST":
        form = RunRequestForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                run = services.request_run(
                    kind=form.cleaned_data["kind"],
                    period=form.cleaned_data["period"],
                    region=form.cleaned_data["region"],
                    user=request.user,
                    confirmed=request.POST.get("confirm_missing") == "1",
                )
            except ConfirmationNeededError as exc:
                context = {"missing": exc.lines, "data": request.POST, "action": exc.action}
                return render(request, "reports/publish_confirm.html", context)
            except QueueUnavailableError as exc:
                messages.error(request, exc.message)
                return render(request, "reports/run_list.html", _context(request, form), status=503)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已提交：{run}，生成完成后可在下方下载")
                return redirect("reports:list")
        return render(request, "reports/run_list.html", _context(request, form), status=400)
    initial = {"kind": "monthly", "period": last_period("monthly"),
               "region": selectors.default_region(request.user)}  # fmt: skip
    form = RunRequestForm(initial=initial, user=request.user)
    return render(request, "reports/run_list.html", _context(request, form))


def _context(request, form):
    runs = selectors.visible_runs(request.user)
    kind = request.GET.get("kind", "")
    if kind:
        runs = runs.filter(kind=kind)
    page = Paginator(runs, 20).get_page(request.GET.get("page"))
    return {"form": form, "page": page, "runs": page.object_list, "kind": kind}


@require_GET
@role_required(*selectors.REPORT_ROLES)
def run_status(request, pk):
    """One history row, polled by htmx while the run is 排队/生成中."""
    services.expire_stale()
    run = get_object_or_404(selectors.visible_runs(request.user), pk=pk)
    return render(request, "reports/_run_row.html", {"run": run})


@require_GET
@role_required(*selectors.REPORT_ROLES)
def download(request, pk):
    """The run's workbook; once its period is published, the frozen latest version's."""
    run = get_object_or_404(selectors.visible_runs(request.user), pk=pk)
    if run.published_id:
        pub = Publication.objects.get(pk=run.published_id)
        publishing.record_reader(pub, request.user, ReaderAction.DOWNLOADED)
        return private_file_response(pub.file, pub.file_name)
    if run.status != RunStatus.DONE or not run.file:
        raise Http404("报表尚未生成完成")
    return private_file_response(run.file, run.file_name)
