"""The ledger list (项目台账) with each project's status, 1-M月累计完成投资 and 完成率 for the
judged month, and its Excel export.

The rows are registry's (scoped, filtered by the ledger's FilterSet); the judgement columns
and the status filter come from assessments. Without a year the list is the default period's
(SPEC §3.5/§3.8: on 3 January, last year's list while December is still being reported).
"""

from django.db.models import OuterRef, Q, Subquery
from django.utils.decorators import method_decorator

from assessments import metrics, summary
from assessments.choices import STATUS_COLOUR, Status
from assessments.filtersets import LedgerStatusFilterSet
from assessments.models import ProjectMonthStatus
from assessments.views.common import bad_request_page, period_from
from core.cache import CachedCountPaginator
from core.export_views import export_or_queue
from registry import selectors
from registry.choices import ExportKind, Role
from registry.roles import has_role
from registry.views.mixins import ScopedFilterView, role_required


@method_decorator(bad_request_page, name="get")
class LedgerListView(ScopedFilterView):
    filterset_class = LedgerStatusFilterSet
    paginator_class = CachedCountPaginator
    template_name = "portal/project_list.html"
    paginate_by = 20
    context_object_name = "projects"

    def get_queryset(self):
        period = period_from(self.request)  # bad values: the Chinese 400 page
        self.year, self.month = period.year, period.month
        self.provisional = period.state
        judged = ProjectMonthStatus.objects.filter(
            project=OuterRef("pk"), year=self.year, month=self.month
        )
        return selectors.project_list(user=self.request.user).annotate(
            judged_status=Subquery(judged.values("status")[:1]),
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)  # runs get_queryset: self.year
        # Without a year, the period's list; `year=` (empty) means all years.
        kwargs["data"] = selectors.ledger_query(kwargs.get("data"), default_year=self.year)
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_create"] = has_role(self.request.user, Role.REVIEWER, Role.ADMIN)
        # The rows the list shows (FilterView's filtered, unpaginated queryset).
        listed = selectors.year_list(self.year, self.object_list)
        ctx["figures"] = metrics.totals(listed, self.year, self.month)
        # Only the page's rows (and their packages' sub-projects): the whole list's leaves
        # would be read again for 20 rows.
        page_ids = [p.pk for p in ctx["projects"]]
        shown = listed.filter(Q(pk__in=page_ids) | Q(package_id__in=page_ids))
        progress = metrics.project_progress(shown, self.year, self.month)
        for p in ctx["projects"]:
            p.ytd_m, p.rate_m = progress.get(p.pk, (None, None))
        ctx["ytd_header"] = f"{summary.span_label(self.month)}累计完成投资(万元)"
        ctx["status_counts"] = metrics.status_label_counts(ctx["figures"])
        ctx["status_period"] = f"{self.year}年{self.month}月" + (
            f" {self.provisional}" if self.provisional else ""
        )
        ctx["status_colours"] = STATUS_COLOUR
        ctx["status_labels"] = dict(Status.choices)
        return ctx


@role_required()
def ledger_export(request):
    """The filtered ledger with its 合计 row (registered by assessments for ExportKind.LEDGER);
    a big one is built by a worker."""
    return export_or_queue(request, ExportKind.LEDGER)
