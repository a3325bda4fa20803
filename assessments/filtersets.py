"""Filters of the judgement pages: the ledger's project filters plus the period and status."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from assessments.choices import Status
from assessments.models import ProjectMonthStatus
from milestones.filtersets import ScopedFilterSet
from registry.filter_fields import YearFilter
from registry.filtersets import ProjectFilterSet, style_filter_form

MONTH_CHOICES = [(m, f"{m}月") for m in range(1, 13)]
KEEP = ("year", "month", "region", "unit", "leader", "level", "category", "q")


class JudgementFilterSet(ProjectFilterSet):
    """The filter bar of the 预警/滞后/应开未开/节点逾期/问题逾期 pages. Only renders the form:
    the rows come from `metrics.scoped_projects`, which applies the same ProjectFilterSet."""

    month = django_filters.ChoiceFilter(label="月份", choices=MONTH_CHOICES, method="keep")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.filters):
            if name not in KEEP:
                del self.filters[name]
        for name in list(self.form.fields):
            if name not in KEEP:
                del self.form.fields[name]
        self.form.order_fields(KEEP)
        style_filter_form(self.form)

    def keep(self, queryset, name, value):
        return queryset


class LedgerStatusFilterSet(ProjectFilterSet):
    """The ledger list with the month's status (portal.views.ledger)."""

    status = django_filters.ChoiceFilter(label="状态", choices=Status.choices, method="by_status")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_filter_form(self.form)

    def by_status(self, queryset, name, value):
        # The view annotates `judged_status` for the month being judged.
        return queryset.filter(judged_status=value)


class ProjectStatusFilterSet(ScopedFilterSet):
    """Stored monthly statuses (API): the month, the status, and the project's region/unit."""

    year = extend_schema_field(OpenApiTypes.INT)(YearFilter(label="年度"))
    month = django_filters.NumberFilter(label="月份")
    status = django_filters.ChoiceFilter(label="状态", choices=Status.choices)

    class Meta:
        model = ProjectMonthStatus
        fields = ["q", "region", "unit", "year", "month", "status"]
