from rest_framework import mixins

from instructions import selectors
from instructions.api.serializers import InstructionSerializer
from instructions.filtersets import InstructionFilterSet
from registry.api.views import ScopedViewSet


class InstructionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """领导批示及其反馈（只读；批示与反馈在网页上办理）。范围同网页：辖区内项目，
    按单位填报的填报员另含交本单位办理的批示。"""

    serializer_class = InstructionSerializer
    filterset_class = InstructionFilterSet
    ordering_fields = ["issued_on", "deadline"]

    def get_queryset(self):
        return selectors.with_feedback(selectors.instructions_for(user=self.request.user))
