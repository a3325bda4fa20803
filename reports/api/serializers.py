from rest_framework import serializers

from registry.api.base import RejectUnwritableFieldsMixin
from registry.models import Region
from reports.models import ReportKind, ReportRun
from reports.services import check_period


class ReportRunSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    scope = serializers.CharField(source="scope_label", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportRun
        fields = [
            "id", "kind", "kind_display", "period", "region", "scope", "status",
            "status_display", "requested_at", "started_at", "finished_at", "file_name",
            "error", "download_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_download_url(self, run) -> str | None:
        if run.status != "done" or not run.file:
            return None
        return run.file.url


class ReportRunRequestSerializer(RejectUnwritableFieldsMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    period = serializers.CharField(max_length=10)
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.none(), required=False, allow_null=True
    )

    def __init__(self, *args, regions=None, whole_city=False, **kwargs):
        super().__init__(*args, **kwargs)
        if regions is not None:  # None only when drf-spectacular builds the schema
            self.fields["region"].queryset = regions
        self.whole_city = whole_city

    def validate(self, data):
        from django.core.exceptions import ValidationError

        try:
            data["period"] = check_period(data["kind"], data["period"])
        except ValidationError as exc:
            raise serializers.ValidationError({"period": exc.messages}) from None
        if data.get("region") is None and not self.whole_city:
            raise serializers.ValidationError({"region": ["请选择您所辖的县区"]})
        return data
