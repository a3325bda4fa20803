"""领导批示 in the API: each 批示 with its 反馈 and their attachments (read-only; 批示 and
反馈 are written on the pages, through the same services)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from instructions import rules
from instructions.models import Attachment, Feedback, Instruction
from registry.roles import person_name


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="下载地址（按权限范围校验）")

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "size", "url"]

    @extend_schema_field(serializers.CharField())
    def get_url(self, obj) -> str:
        return obj.file.url


class FeedbackSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Feedback
        fields = ["id", "text", "author_name", "created_at", "attachments"]

    def get_author_name(self, obj) -> str:
        return person_name(obj.author) if obj.author else ""


class InstructionSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    state = serializers.SerializerMethodField(help_text="pending/overdue/answered/answered_late")
    state_label = serializers.SerializerMethodField(help_text="待反馈/逾期未反馈/已反馈/逾期后反馈")
    feedback = FeedbackSerializer(many=True, read_only=True)

    class Meta:
        model = Instruction
        fields = [
            "id", "project", "project_code", "project_name", "problem", "unit", "unit_name",
            "signed_as", "text", "issued_on", "deadline", "status", "state", "state_label",
            "answered_at", "feedback",
        ]  # fmt: skip
        read_only_fields = fields

    def get_state(self, obj) -> str:
        return rules.state(obj).value

    def get_state_label(self, obj) -> str:
        return rules.state(obj).label
