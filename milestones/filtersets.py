"""One FilterSet per model, shared by list pages, exports and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from milestones.choices import (
    CoordinationLevel,
    LetterKind,
    LetterStatus,
    ProblemCategory,
    ProblemStatus,
    ReportStatus,
    RequestStatus,
)
from milestones.models import Problem, ProgressReport, ProjectSuspension, SupervisionLetter
from registry.filter_fields import RegionFilter, ScopedChoiceFilter, SearchFilter, YearFilter
from registry.filtersets import scope_choices, style_filter_form
from registry.models import Region, Unit
from registry.years import year_choices

MONTH_CHOICES = [(m, f"{m}月") for m in range(1, 13)]
YES_NO = [("1", "是"), ("0", "否")]


class ScopedFilterSet(django_filters.FilterSet):
    """Region/unit choices limited to the user's scope; region includes its towns."""

    # The schema cannot infer these filters' type: each is given by its id.
    region = extend_schema_field(OpenApiTypes.INT)(
        RegionFilter(label="所属地区", queryset=Region.objects.none(), field_name="project__region")
    )
    unit = extend_schema_field(OpenApiTypes.INT)(
        ScopedChoiceFilter(
            label="责任单位", queryset=Unit.objects.none(), field_name="project__unit"
        )
    )
    q = SearchFilter(label="关键字", method="filter_text")

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        scope_choices(self, user, region="region", unit="unit")

    @property
    def form(self):
        form = super().form
        style_filter_form(form)
        return form

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(project__name__icontains=value) | Q(project__code__icontains=value)
        )


class ProgressReportFilterSet(ScopedFilterSet):
    year = YearFilter(label="年度", choices=year_choices, empty_label="全部年度")
    month = django_filters.ChoiceFilter(label="月份", choices=MONTH_CHOICES)
    status = django_filters.ChoiceFilter(label="状态", choices=ReportStatus.choices)
    is_late = django_filters.ChoiceFilter(label="逾期提交", choices=YES_NO, method="filter_bool")
    figures_flagged = django_filters.ChoiceFilter(
        label="累计数待核对", choices=YES_NO, method="filter_flagged"
    )

    class Meta:
        model = ProgressReport
        fields = ["q", "region", "unit", "year", "month", "status", "is_late"]

    def filter_bool(self, queryset, name, value):
        return queryset.filter(**{name: value == "1"})

    def filter_flagged(self, queryset, name, value):
        flagged = ~Q(figures_note="")
        return queryset.filter(flagged) if value == "1" else queryset.exclude(flagged)


class ProblemFilterSet(ScopedFilterSet):
    category = django_filters.ChoiceFilter(label="问题类别", choices=ProblemCategory.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=ProblemStatus.choices)
    coordination_level = django_filters.ChoiceFilter(
        label="协调层级", choices=CoordinationLevel.choices
    )
    is_supervised = django_filters.ChoiceFilter(
        label="督办", choices=YES_NO, method="filter_supervised"
    )
    overdue = django_filters.ChoiceFilter(label="逾期", choices=YES_NO, method="filter_overdue")

    class Meta:
        model = Problem
        fields = ["q", "region", "unit", "category", "status", "coordination_level"]

    def filter_supervised(self, queryset, name, value):
        return queryset.filter(is_supervised=value == "1")

    def filter_overdue(self, queryset, name, value):
        overdue = Q(deadline__lt=timezone.localdate()) & ~Q(status=ProblemStatus.RESOLVED)
        return queryset.filter(overdue) if value == "1" else queryset.exclude(overdue)

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(project__name__icontains=value)
            | Q(project__code__icontains=value)
            | Q(description__icontains=value)
            | Q(responsible_person__icontains=value)
        )


class SupervisionLetterFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label="函件类型", choices=LetterKind.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=LetterStatus.choices)

    class Meta:
        model = SupervisionLetter
        fields = ["q", "region", "unit", "kind", "status"]


class ProjectSuspensionFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=RequestStatus.choices)

    class Meta:
        model = ProjectSuspension
        fields = ["q", "region", "unit", "status"]
