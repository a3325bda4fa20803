"""Serializers of monthly reporting, milestones, problems and letters (shapes only: every
rule is checked by milestones.services, whose Chinese messages the API returns as 400/409)."""

from rest_framework import serializers

from milestones.models import Milestone, Problem, ProgressReport, SupervisionLetter
from milestones.services import PROBLEM_FIELDS, REPORT_FIELDS
from registry.api.base import RejectUnwritableFieldsMixin
from registry.models import Project
from registry.scoping import keep_stored_choice


class ProjectRefMixin(serializers.Serializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)


class MilestoneSerializer(ProjectRefMixin, serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = [
            "id",
            "project",
            "project_code",
            "project_name",
            "kind",
            "name",
            "planned_on",
            "actual_on",
            "note",
        ]


class ProgressReportSerializer(ProjectRefMixin, serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "project",
            "project_code",
            "project_name",
            "year",
            "month",
            "status",
            *REPORT_FIELDS,
            "reviewer_comment",
            "submitted_at",
            "is_late",
            "reviewed_at",
            "version",
        ]
        read_only_fields = fields


class _ReportDataSerializer(RejectUnwritableFieldsMixin, serializers.ModelSerializer):
    """The figures a reporter enters; totals left out are derived by the service."""

    submit = serializers.BooleanField(
        default=False, write_only=True, help_text="true: 保存并提交审核"
    )

    class Meta:
        model = ProgressReport
        fields = [*REPORT_FIELDS, "submit"]
        extra_kwargs = {
            "invested_ytd": {"required": False, "allow_null": True},
            "invested_total": {"required": False, "allow_null": True},
        }
        validators = []


class ProgressReportCreateSerializer(_ReportDataSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)

    class Meta(_ReportDataSerializer.Meta):
        fields = ["project", "year", "month", *_ReportDataSerializer.Meta.fields]

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        if projects is not None:
            self.fields["project"].queryset = projects


class ProgressReportUpdateSerializer(_ReportDataSerializer):
    version = serializers.IntegerField(help_text="读取时的版本号；他人已修改时返回409")

    class Meta(_ReportDataSerializer.Meta):
        fields = [*_ReportDataSerializer.Meta.fields, "version"]


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="读取时的版本号；他人已修改时返回409")


class ReviewSerializer(RejectUnwritableFieldsMixin, serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="读取时的版本号（建议提供）")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ProblemSerializer(ProjectRefMixin, serializers.ModelSerializer):
    is_overdue = serializers.BooleanField(source="overdue", read_only=True)

    class Meta:
        model = Problem
        fields = [
            "id",
            "project",
            "project_code",
            "project_name",
            *PROBLEM_FIELDS,
            "resolved_on",
            "is_overdue",
            "version",
        ]
        read_only_fields = fields


class ProblemWriteSerializer(RejectUnwritableFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Problem
        fields = list(PROBLEM_FIELDS)
        validators = []

    def __init__(self, *args, units=None, stored_unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            # A problem's stored unit stays valid (a PATCH of what GET returned keeps it).
            keep_stored_choice(self.fields["responsible_unit"], units, stored_unit)


class ProblemCreateSerializer(ProblemWriteSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none())

    class Meta(ProblemWriteSerializer.Meta):
        fields = ["project", *ProblemWriteSerializer.Meta.fields]

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        if projects is not None:
            self.fields["project"].queryset = projects


class ProblemUpdateSerializer(ProblemWriteSerializer):
    version = serializers.IntegerField(help_text="读取时的版本号；他人已修改时返回409")

    class Meta(ProblemWriteSerializer.Meta):
        fields = [*ProblemWriteSerializer.Meta.fields, "version"]


class ResolveSerializer(RejectUnwritableFieldsMixin, serializers.Serializer):
    version = serializers.IntegerField()
    resolution = serializers.CharField(help_text="解决情况")


class LetterSerializer(ProjectRefMixin, serializers.ModelSerializer):
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)

    class Meta:
        model = SupervisionLetter
        fields = [
            "id",
            "kind",
            "number",
            "project",
            "project_code",
            "project_name",
            "problem",
            "recipient",
            "recipient_name",
            "body",
            "issued_on",
            "reply_deadline",
            "status",
            "reply",
            "replied_at",
        ]
        read_only_fields = fields
