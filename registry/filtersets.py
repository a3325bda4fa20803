"""One FilterSet per model, shared by list pages, exports and the API."""

import django_filters

from registry.choices import Category, Nature, Pool, ProjectLevel, Sector, Stage
from registry.filter_fields import (
    LenientOrderingFilter,
    RegionFilter,
    ScopedChoiceFilter,
    SearchFilter,
    YearFilter,
)
from registry.models import Leader, Project, Region, Unit
from registry.models.search import search_condition
from registry.years import year_choices


def scope_choices(filterset, user, **fields):
    """Limit the id filters named in `fields` ("region": "region", …: filter → kind) to what
    `user` may filter by (registry.scoping); without a user, nothing may be picked."""
    from registry import scoping

    sources = {
        "region": scoping.filter_regions,
        "unit": scoping.filter_units,
        "leader": scoping.filter_leaders,
    }
    for name, kind in fields.items():
        if name in filterset.filters:
            model = filterset.filters[name].queryset.model
            choices = sources[kind](user) if user is not None else model.objects.none()
            filterset.filters[name].queryset = choices


def style_filter_form(form):
    """Bootstrap classes and a Chinese "all" choice for every filter field."""
    for field in form.fields.values():
        if hasattr(field, "empty_label") and not hasattr(field, "queryset"):
            # django-filter's choice fields yield their empty choice themselves: relabel it and
            # hand back the other choices only. Copying the empty one into `choices` showed
            # 全部 twice, and once more each time the form was styled again.
            if field.empty_label is not None:
                field.empty_label = "全部"
            field.choices = [(v, label) for v, label in field.choices if v != ""]
        elif hasattr(field, "empty_label"):
            if field.empty_label is not None:
                field.empty_label = "全部"
        elif hasattr(field, "choices"):
            field.choices = [("", "全部") if v == "" else (v, label) for v, label in field.choices]
        widget = field.widget
        css = (
            "form-select form-select-sm"
            if hasattr(widget, "choices")
            else "form-control form-control-sm"
        )
        widget.attrs["class"] = css


class ProjectFilterSet(django_filters.FilterSet):
    q = SearchFilter(label="关键字", method="filter_text")
    year = YearFilter(
        label="年度", method="filter_year", choices=year_choices, empty_label="全部年度"
    )
    level = django_filters.ChoiceFilter(label="项目级别", choices=ProjectLevel.choices)
    # The choices are the user's (scope_choices in __init__): none until then.
    region = RegionFilter(label="所属地区", queryset=Region.objects.none())
    unit = ScopedChoiceFilter(label="责任单位", queryset=Unit.objects.none())
    leader = ScopedChoiceFilter(label="分包领导", queryset=Leader.objects.none())
    category = django_filters.ChoiceFilter(label="项目类别", choices=Category.choices)
    sector = django_filters.ChoiceFilter(label="产业类别", choices=Sector.choices)
    nature = django_filters.ChoiceFilter(label="建设性质", choices=Nature.choices)
    stage = django_filters.ChoiceFilter(label="项目阶段", choices=Stage.choices)
    pool = django_filters.ChoiceFilter(label="项目库", choices=Pool.choices)
    incomplete = django_filters.ChoiceFilter(
        label="信息完整性",
        choices=[("1", "待完善（缺责任单位或产业类别）")],
        empty_label="全部",
        method="filter_incomplete",
    )
    ordering = LenientOrderingFilter(
        label="排序",
        fields=(
            ("code", "code"),
            ("name", "name"),
            ("region__code", "region"),
            ("total_investment", "total_investment"),
            ("planned_start", "planned_start"),
            ("level", "level"),
        ),
        field_labels={
            "code": "项目编号",
            "name": "项目名称",
            "region__code": "所属地区",
            "total_investment": "总投资",
            "planned_start": "计划开工",
            "level": "项目级别",
        },
    )

    class Meta:
        model = Project
        fields = ["q", "year", "level", "region", "unit", "leader", "category", "sector"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        scope_choices(self, user, region="region", unit="unit", leader="leader")
        style_filter_form(self.form)

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(search_condition(value))

    def filter_year(self, queryset, name, value):
        # The year's list (SPEC §3.5), not the year a project first entered the list.
        from registry.selectors import year_list

        return year_list(int(value), queryset)

    def filter_incomplete(self, queryset, name, value):
        from registry.selectors import incomplete_projects

        return incomplete_projects(queryset) if value == "1" else queryset
