"""API shapes of the evaluation events: groups, routes, the sheet, visited projects and, once
closed, the frozen results; an evaluator's own scores."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from evaluations.models import Criterion, Event, Group, Route, Score, Stop


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "max_points", "description", "order"]


class GroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = Group
        fields = ["id", "name", "order"]


class RouteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Route
        fields = ["id", "name", "order"]


class StopSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    participant = serializers.SerializerMethodField()

    class Meta:
        model = Stop
        fields = ["id", "project", "project_code", "project_name", "group", "route",
                  "participant_kind", "participant", "order"]  # fmt: skip

    def get_participant(self, obj) -> str:
        return obj.region.name if obj.region_id else obj.unit.name


class ResultProjectSerializer(serializers.Serializer):
    stop = serializers.IntegerField()
    project = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    route = serializers.CharField()
    scores = serializers.IntegerField(help_text="完整评分表的评委数")
    trimmed = serializers.BooleanField(help_text="是否去掉了一个最高分和一个最低分")
    score = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)


class ResultParticipantSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    score = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField()
    board = serializers.CharField(help_text="红榜、黑榜或空")
    projects = ResultProjectSerializer(many=True)


class ResultGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    mean = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    participants = ResultParticipantSerializer(many=True)


class EventSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    groups = GroupSerializer(many=True, read_only=True)
    routes = RouteSerializer(many=True, read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)
    stops = StopSerializer(many=True, read_only=True)
    results = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = ["id", "name", "year", "starts_on", "ends_on", "status", "status_label",
                  "issue", "closed_at", "groups", "routes", "criteria", "stops", "results"]  # fmt: skip

    @extend_schema_field(ResultGroupSerializer(many=True, allow_null=True))
    def get_results(self, obj):
        """The published ranking; null while the event is open."""
        if obj.is_open:
            return None
        return obj.results.get("groups", [])


class ScoreSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="stop.project_id", read_only=True)

    class Meta:
        model = Score
        fields = ["stop", "project", "criterion", "points", "updated_at"]
        read_only_fields = fields


class ScoreWriteSerializer(serializers.Serializer):
    stop = serializers.IntegerField()
    criterion = serializers.IntegerField()
    points = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, help_text="空值清除该项评分"
    )
