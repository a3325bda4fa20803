"""/api/evaluations/: events (groups, routes, sheet, visited projects; results once closed)
and, under each, the signed-in evaluator's own scores (read, and saved one by one)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from evaluations import selectors, services
from evaluations.api import serializers as s
from evaluations.models import Score, Stop
from registry.api.base import ALL_ROLES
from registry.api.views import ScopedViewSet


class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """观摩评比：活动、比较组、路线、评分表、观摩项目；发布后含评比结果（名次、红黑榜）。
    `my-scores`：本人作为评委的评分（GET 查看，POST 逐项保存）。"""

    serializer_class = s.EventSerializer
    filterset_fields = ["year", "status"]
    ordering_fields = ["starts_on", "year"]
    write_roles = {"my_scores": ALL_ROLES}

    def get_queryset(self):
        stops = Stop.objects.select_related("project", "region", "unit")
        return (
            selectors.visible_events(self.request.user)
            .prefetch_related("groups", "routes", "criteria", Prefetch("stops", queryset=stops))
            .order_by("-starts_on", "-id")
        )

    def _evaluator(self):
        event = self.get_object()
        evaluator = selectors.evaluator_of(self.request.user, event)
        if evaluator is None:
            raise PermissionDenied("您不是本活动的评委")
        return event, evaluator

    @extend_schema(methods=["GET"], responses={200: s.ScoreSerializer(many=True)}, filters=False)
    @extend_schema(methods=["POST"], request=s.ScoreWriteSerializer,
                   responses={200: s.ScoreSerializer(many=True)})  # fmt: skip
    @action(detail=True, methods=["get", "post"], url_path="my-scores", pagination_class=None,
            filter_backends=[])  # fmt: skip
    def my_scores(self, request, pk=None, **kwargs):
        event, evaluator = self._evaluator()
        if request.method == "POST":
            data = s.ScoreWriteSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            try:
                services.score_save(
                    event=event, user=request.user, stop_id=data.validated_data["stop"],
                    criterion_id=data.validated_data["criterion"],
                    points=data.validated_data["points"],
                )  # fmt: skip
            except DjangoValidationError as exc:
                raise ValidationError({"detail": exc.messages}) from None
        rows = Score.objects.filter(evaluator=evaluator).select_related("stop")
        return Response(s.ScoreSerializer(rows.order_by("stop_id", "criterion_id"), many=True).data)
