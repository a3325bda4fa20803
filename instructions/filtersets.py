"""One FilterSet for 领导批示, shared by the list page and the API."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from instructions import rules
from instructions.choices import InstructionState
from instructions.models import Instruction
from instructions.selectors import can_instruct, text_q
from milestones.filtersets import ScopedFilterSet
from registry.filter_fields import ScopedChoiceFilter
from registry.models import Unit

STATE_CHOICES = [(s.value, s.label) for s in InstructionState if s != "answered_late"]
MINE = [("1", "我批示的")]


class InstructionFilterSet(ScopedFilterSet):
    # The unit a 批示 was given to (it may differ from the project's).
    unit = extend_schema_field(OpenApiTypes.INT)(
        ScopedChoiceFilter(label="责任单位", queryset=Unit.objects.all(), field_name="unit")
    )
    state = django_filters.ChoiceFilter(label="状态", choices=STATE_CHOICES, method="filter_state")
    mine = django_filters.ChoiceFilter(label="范围", choices=MINE, method="filter_mine")

    class Meta:
        model = Instruction
        fields = ["q", "region", "unit", "state", "mine"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, user=user, **kwargs)
        self.user = user
        if user is not None and not can_instruct(user):
            # Only those who write 批示 have 我批示的; for anyone else it would select nothing.
            self.filters.pop("mine")

    def filter_state(self, queryset, name, value):
        return queryset.filter(rules.state_q(value))

    def filter_mine(self, queryset, name, value):
        return queryset.filter(issued_by=self.user) if self.user is not None else queryset.none()

    def filter_text(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(text_q(value)) if value else queryset
