"""Notices over the API: one's own only, with a read action."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core import notices
from core.models import Notice
from registry.api.base import ALL_ROLES
from registry.api.views import ScopedViewSet


class NoticeSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Notice
        fields = ["id", "kind", "kind_display", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields


class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """通知：本人的站内通知（未读在前）；read 标为已读。"""

    serializer_class = NoticeSerializer
    filterset_fields = ["kind"]
    write_roles = {"read": ALL_ROLES}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Notice.objects.none()
        return Notice.objects.filter(recipient=self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=None, responses=NoticeSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None, **kwargs):  # kwargs: the `.json` suffix twin
        notice = self.get_object()
        notices.mark_read(request.user, notice.pk)
        notice.refresh_from_db()
        return Response(NoticeSerializer(notice).data)
