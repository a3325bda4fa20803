"""Report runs over the API: list, look at, ask for (the same services as the page)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from core.queue import QueueUnavailableError
from registry.api.views import ScopedViewSet
from registry.confirmations import ConfirmationNeededError
from registry.scoping import covers_whole_city
from reports import selectors, services
from reports.api import serializers as s


class QueueDown(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "queue_unavailable"


class ReportRunViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    """调度报表：月度调度、季度通报、年度考评的生成记录；POST 申请生成（同一报表、期间和地区只保留一份）。"""

    serializer_class = s.ReportRunSerializer
    filterset_fields = ["kind", "status", "period", "region"]
    ordering_fields = ["updated_at", "period"]
    read_roles = selectors.REPORT_ROLES
    write_roles = {"create": selectors.REPORT_ROLES}

    def get_queryset(self):
        return selectors.visible_runs(self.request.user).order_by("-updated_at", "-id")

    @extend_schema(request=s.ReportRunRequestSerializer, responses={201: s.ReportRunSerializer})
    def create(self, request, *args, **kwargs):
        user = request.user
        serializer = s.ReportRunRequestSerializer(
            data=request.data,
            regions=selectors.region_choices(user),
            whole_city=covers_whole_city(user),
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        confirmed = data.pop("confirm")
        try:
            run = services.request_run(**data, user=user, confirmed=confirmed)
        except ConfirmationNeededError as exc:
            raise ValidationError({"confirm": [exc.message]}) from None
        except QueueUnavailableError as exc:
            raise QueueDown(exc.message) from None
        return Response(s.ReportRunSerializer(run).data, status=status.HTTP_201_CREATED)


class PublicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """已发布报表：每次发布或更正一版（版本、期号只读），范围同调度报表；发布在通报页进行。"""

    serializer_class = s.PublicationSerializer
    filterset_fields = ["kind", "period", "region", "version"]
    ordering_fields = ["published_at", "period", "version"]
    read_roles = selectors.REPORT_ROLES

    def get_queryset(self):
        return selectors.visible_publications(self.request.user).order_by("-published_at", "-id")
