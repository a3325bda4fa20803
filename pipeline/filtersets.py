"""One FilterSet for the pipeline list, its export and the API."""

import django_filters
from django.db.models import Q

from pipeline.choices import PipelineStage, Source
from pipeline.models import PipelineProject
from registry.choices import Category
from registry.filter_fields import (
    LenientOrderingFilter,
    RegionFilter,
    ScopedChoiceFilter,
    SearchFilter,
)
from registry.filtersets import scope_choices, style_filter_form
from registry.models import Region, Unit


class PipelineFilterSet(django_filters.FilterSet):
    q = SearchFilter(label="关键字", method="filter_text")
    region = RegionFilter(label="谋划地区", queryset=Region.objects.all())
    unit = ScopedChoiceFilter(label="谋划单位", queryset=Unit.objects.all())
    stage = django_filters.ChoiceFilter(label="谋划阶段", choices=PipelineStage.choices)
    admitted = django_filters.ChoiceFilter(
        label="列入情况", choices=[("1", "已列入名单"), ("0", "未列入")], method="filter_admitted"
    )
    source = django_filters.ChoiceFilter(label="项目来源", choices=Source.choices)
    category = django_filters.ChoiceFilter(label="项目类别", choices=Category.choices)
    min_amount = django_filters.NumberFilter(
        label="总投资不低于(万元)", field_name="total_investment", lookup_expr="gte"
    )
    max_amount = django_filters.NumberFilter(
        label="总投资低于(万元)", field_name="total_investment", lookup_expr="lt"
    )
    ordering = LenientOrderingFilter(
        label="排序",
        fields=(("name", "name"), ("total_investment", "total_investment"), ("idea_on", "idea_on")),
        field_labels={"name": "项目名称", "total_investment": "总投资", "idea_on": "谋划时间"},
    )

    class Meta:
        model = PipelineProject
        fields = ["q", "region", "unit", "stage", "admitted", "source", "category"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        scope_choices(self, user, region="region", unit="unit")
        style_filter_form(self.form)

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(investor__icontains=value))

    def filter_admitted(self, queryset, name, value):
        return queryset.filter(project__isnull=value != "1")
