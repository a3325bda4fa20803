from django.urls import reverse
from rest_framework import serializers

from registry.api.base import RejectUnwritableFieldsMixin
from registry.models import Region
from registry.roles import person_name
from reports.models import Publication, ReportKind, ReportRun
from reports.services import check_period


class ReportRunSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    scope = serializers.CharField(source="scope_label", read_only=True)
    download_url = serializers.SerializerMethodField()
    published_version = serializers.IntegerField(read_only=True, allow_null=True, default=None)
    issue = serializers.SerializerMethodField()
    publication_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportRun
        fields = [
            "id", "kind", "kind_display", "period", "region", "scope", "status",
            "status_display", "requested_at", "started_at", "finished_at", "file_name",
            "error", "download_url", "published_version", "issue", "publication_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_download_url(self, run) -> str | None:
        if getattr(run, "published_id", None):
            return reverse("reports:download", args=[run.pk])  # serves the frozen version
        if run.status != "done" or not run.file:
            return None
        return run.file.url

    def get_issue(self, run) -> str | None:
        """2026年第11期 once the period is published, else None (a 草稿)."""
        if not getattr(run, "published_id", None):
            return None
        return f"{run.published_issue_year}年第{run.published_issue_number}期"

    def get_publication_url(self, run) -> str | None:
        if not getattr(run, "published_id", None):
            return None
        return reverse("bulletin:version", args=[run.published_id])


class PublicationSerializer(serializers.ModelSerializer):
    """A published version, read-only: what was frozen, its issue and who published it."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    scope = serializers.SerializerMethodField()
    issue = serializers.CharField(source="issue_label", read_only=True)
    published_by_name = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Publication
        fields = [
            "id", "kind", "kind_display", "period", "region", "scope", "version", "issue",
            "issue_year", "issue_number", "title", "published_at", "published_by_name", "note",
            "changes", "figures", "file_name", "page_url", "download_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_scope(self, pub) -> str:
        return pub.region.name if pub.region_id else "全市"

    def get_published_by_name(self, pub) -> str:
        return person_name(pub.published_by) if pub.published_by_id else ""

    def get_page_url(self, pub) -> str:
        return reverse("bulletin:version", args=[pub.pk])

    def get_download_url(self, pub) -> str | None:
        return pub.file.url if pub.file else None


class ReportRunRequestSerializer(RejectUnwritableFieldsMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    confirm = serializers.BooleanField(
        default=False, help_text="年度考评在12月未截止或有月份未报时，需为 true 才生成"
    )
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
