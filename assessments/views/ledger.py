"""The ledger list with each project's status, 1-M月累计完成投资 and 完成率 for the judged month.

registry cannot import assessments (dependencies point one way), so the judgement columns
and the status filter are added here, by subclassing registry's list view; the site URLconf
serves this view under registry's URL name `registry:project_list` (projects_site/urls.py).
This keeps registry free of any knowledge of the status table, even by relation name.
"""

from django.db.models import OuterRef, Q, Subquery
from django.utils.decorators import method_decorator

from assessments import metrics
from assessments.choices import STATUS_COLOUR, Status
from assessments.filtersets import LedgerStatusFilterSet
from assessments.models import ProjectMonthStatus
from assessments.views.common import bad_request_page, period_from
from core.cache import CachedCountPaginator
from core.export_views import export_or_queue
from registry.choices import ExportKind
from registry.selectors import year_list
from registry.views.mixins import role_required
from registry.views.projects import ProjectListView


@method_decorator(bad_request_page, name="get")
class AssessedProjectListView(ProjectListView):
    filterset_class = LedgerStatusFilterSet
    paginator_class = CachedCountPaginator

    def get_queryset(self):
        period = period_from(self.request)  # bad values: the Chinese 400 page
        self.year, self.month = period.year, period.month
        self.provisional = period.state
        judged = ProjectMonthStatus.objects.filter(
            project=OuterRef("pk"), year=self.year, month=self.month
        )
        return (
            super()
            .get_queryset()
            .annotate(
                judged_status=Subquery(judged.values("status")[:1]),
            )
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)  # runs get_queryset: self.year
        if "year" not in self.request.GET:
            # Without a year, the default period's list (SPEC §3.5), not the calendar year's:
            # on 3 January the new year has no list yet and December is still being reported.
            data = kwargs["data"].copy()
            data["year"] = str(self.year)
            kwargs["data"] = data
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # The rows the list shows (FilterView's filtered, unpaginated queryset).
        listed = year_list(self.year, self.object_list)
        ctx["figures"] = metrics.totals(listed, self.year, self.month)
        # Only the page's rows (and their packages' sub-projects): the whole list's leaves
        # would be read again for 20 rows.
        page_ids = [p.pk for p in ctx["projects"]]
        shown = listed.filter(Q(pk__in=page_ids) | Q(package_id__in=page_ids))
        progress = metrics.project_progress(shown, self.year, self.month)
        for p in ctx["projects"]:
            p.ytd_m, p.rate_m = progress.get(p.pk, (None, None))
        ctx["ytd_header"] = f"{metrics.span_label(self.month)}累计完成投资(万元)"
        ctx["status_counts"] = metrics.status_label_counts(ctx["figures"])
        ctx["status_period"] = f"{self.year}年{self.month}月" + (
            f" {self.provisional}" if self.provisional else ""
        )
        ctx["status_colours"] = STATUS_COLOUR
        ctx["status_labels"] = dict(Status.choices)
        return ctx


@role_required()
def ledger_export(request):
    """registry's ledger export with its 合计 row (registered by assessments.apps), served
    under `registry:ledger_export`; a big one is built by a worker."""
    return export_or_queue(request, ExportKind.LEDGER)
