"""审核员 pages: the review queue, approve / return, bulk approve."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from milestones import selectors, services
from milestones.filtersets import ProgressReportFilterSet
from milestones.forms import ReviewForm
from milestones.hints import report_hints
from milestones.services import review
from registry.choices import Role
from registry.views.mixins import ScopedFilterView, role_required

REVIEWERS = (Role.REVIEWER, Role.ADMIN)


class ReviewQueueView(ScopedFilterView):
    """Reports in scope; by default the ones waiting (已提交)."""

    allowed_roles = REVIEWERS
    filterset_class = ProgressReportFilterSet
    template_name = "milestones/review_queue.html"
    paginate_by = 50
    context_object_name = "reports"

    def get_queryset(self):
        return selectors.review_queue(user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # Later months whose entered year-to-date no longer fits an earlier correction.
        ctx["flagged_count"] = self.get_queryset().exclude(figures_note="").count()
        page = ctx["reports"]
        found = report_hints(page)
        for r in page:
            r.hints = found[r.pk]
        ctx["review_levels"] = review.review_levels()
        ctx["review_stage"] = review.review_stage(self.request.user)
        ctx["checkable"] = review.awaiting_statuses(self.request.user)
        return ctx

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = self.request.GET.copy()
        if "status" not in data:
            # Each level sees its own work first: 已提交 for 初审 (or the only level), 待复审
            # for the city's 复审 when there are two.
            data["status"] = review.awaiting_statuses(self.request.user)[0]
        kwargs["data"] = data
        kwargs["user"] = self.request.user
        return kwargs


def _report(request, pk):
    return get_object_or_404(selectors.reports_for(user=request.user), pk=pk)


def _review(request, pk, *, action, done):
    """Approve or return one report; a service refusal is shown on the report page."""
    report = _report(request, pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        result = action(
            report=report,
            user=request.user,
            comment=form.cleaned_data.get("comment", ""),
            version=form.cleaned_data.get("version"),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("milestones:report_detail", pk=pk)
    notes = "".join(f"；{n}" for n in getattr(result, "lifecycle_notes", []))
    messages.success(request, f"{report.project.name} {report.period_label}月报{done}{notes}")
    if request.POST.get("then") == "next":
        following = selectors.next_awaiting(user=request.user, after=result)
        if following is not None:
            return redirect("milestones:report_detail", pk=following.pk)
        messages.info(request, "待审核的月报已全部处理完")
    return redirect("milestones:review_queue")


@require_POST
@role_required(*REVIEWERS)
def report_approve(request, pk):
    return _review(request, pk, action=services.report_approve, done="已审核通过")


@require_POST
@role_required(*REVIEWERS)
def report_return(request, pk):
    return _review(request, pk, action=services.report_return, done="已退回")


@require_POST
@role_required(*REVIEWERS)
def report_bulk_approve(request):
    ids = _ids(request, "ids")
    back = request.POST.get("next") or ""
    if not ids:
        messages.warning(request, "请先勾选要审核通过的月报")
    else:
        # Ids outside the reviewer's scope simply fall out of the scoped queryset.
        reports = selectors.reports_for(user=request.user).filter(pk__in=ids)
        result = services.reports_bulk_approve(
            reports=reports, user=request.user, confirmed=set(_ids(request, "confirm"))
        )
        _bulk_messages(request, result)
    url = redirect("milestones:review_queue").url
    return redirect(f"{url}?{back}" if back and not back.startswith(("/", "http")) else url)


def _ids(request, name) -> list[int]:
    return [int(i) for i in request.POST.getlist(name) if i.isdigit()]


def _bulk_messages(request, result):
    text = f"已审核{result.approved}份"
    if result.skipped:
        text += f"，跳过{result.skipped}份（已被他人处理）"
    (messages.success if result.approved else messages.warning)(request, text)
    if result.held:
        reasons = "、".join(f"{name}{n}份" for name, n in result.held_counts().items())
        names = "、".join(h.project_name for h in result.held[:5])
        more = f"等{len(result.held)}个项目" if len(result.held) > 5 else ""
        messages.warning(
            request,
            f"有{len(result.held)}份月报带异常提示，未批量通过（{reasons}）：{names}{more}。"
            "请逐份核实后审核，或在列表中勾选其“确认”后再批量通过。",
        )
