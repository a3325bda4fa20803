"""The ledger list with each project's status and 完成率 for the judged month.

registry cannot import assessments (dependencies point one way), so the judgement columns
and the status filter are added here, by subclassing registry's list view; the site URLconf
serves this view under registry's URL name `registry:project_list` (projects_site/urls.py).
This keeps registry free of any knowledge of the status table, even by relation name.
"""

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from assessments import metrics, selectors
from assessments.choices import STATUS_COLOUR, Status
from assessments.filtersets import LedgerStatusFilterSet
from assessments.models import ProjectMonthStatus
from registry.selectors import year_list
from registry.views.exports import ledger_export_response
from registry.views.mixins import role_required
from registry.views.projects import ProjectListView


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


class AssessedProjectListView(ProjectListView):
    filterset_class = LedgerStatusFilterSet

    def get_queryset(self):
        self.year = _year(self.request.GET.get("year"))
        self.month = selectors.default_month(self.year)
        judged = ProjectMonthStatus.objects.filter(
            project=OuterRef("pk"), year=self.year, month=self.month
        )
        return (
            super()
            .get_queryset()
            .annotate(
                judged_status=Subquery(judged.values("status")[:1]),
                judged_r=Subquery(judged.values("r")[:1]),
            )
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # The rows the list shows (FilterView's filtered, unpaginated queryset).
        ctx["figures"] = metrics.totals(
            year_list(self.year, self.object_list), self.year, self.month
        )
        ctx["status_counts"] = metrics.status_label_counts(ctx["figures"])
        ctx["status_period"] = f"{self.year}年{self.month}月"
        ctx["status_colours"] = STATUS_COLOUR
        ctx["status_labels"] = dict(Status.choices)
        return ctx


def ledger_totals(projects, year: int) -> dict:
    """The export's 合计 row: the same figures as the home page and the list's header
    (leaves only; a package counted once in 项, its sub-projects in 拆分后)."""
    month = selectors.default_month(year)
    f = metrics.totals(year_list(year, projects), year, month)
    label = f"合计：{f.count}项（打包项目拆分后共{f.split_count}项）"
    return {"label": label, "total_investment": f.total_investment, "annual_plan": f.annual_plan}


@role_required()
def ledger_export(request):
    """registry's ledger export with its 合计 row, served under `registry:ledger_export`."""
    return ledger_export_response(request, totals_for=ledger_totals)
