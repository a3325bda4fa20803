"""Serializers of the pipeline API: reads show everything, writes only EDIT_FIELDS."""

from rest_framework import serializers

from pipeline import batches
from pipeline.choices import PipelineStage
from pipeline.models import PipelineProject, StartBatch
from pipeline.services import EDIT_FIELDS
from registry.api.base import RejectUnwritableFieldsMixin
from registry.scoping import keep_stored_choice, visible_leaders, visible_regions, visible_units


class PipelineProjectSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    project_code = serializers.CharField(source="project.code", read_only=True, default=None)

    class Meta:
        model = PipelineProject
        fields = ["id", *EDIT_FIELDS, "region_name", "stage", "idea_on", "reserve_on",
                  "preparation_on", "mature_on", "project", "project_code", "admitted_on",
                  "version"]  # fmt: skip
        read_only_fields = fields


class PipelineWriteSerializer(RejectUnwritableFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = PipelineProject
        fields = list(EDIT_FIELDS)

    def __init__(self, *args, user=None, stored=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            for name, picks in (("region", visible_regions), ("unit", visible_units),
                                ("leader", visible_leaders)):  # fmt: skip
                keep_stored_choice(
                    self.fields[name], picks(user), getattr(stored, f"{name}_id", None)
                )


class PipelineUpdateSerializer(PipelineWriteSerializer):
    version = serializers.IntegerField(help_text="读取时的版本号；他人已修改时返回409")

    class Meta(PipelineWriteSerializer.Meta):
        fields = [*PipelineWriteSerializer.Meta.fields, "version"]


class StageSerializer(RejectUnwritableFieldsMixin, serializers.Serializer):
    stage = serializers.ChoiceField(choices=PipelineStage.choices, help_text="新阶段")
    changed_on = serializers.DateField(required=False, help_text="变更日期（默认今天）")
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class StartBatchSerializer(serializers.ModelSerializer):
    scope = serializers.SerializerMethodField()
    sentence = serializers.SerializerMethodField()
    project_count = serializers.SerializerMethodField()

    class Meta:
        model = StartBatch
        fields = ["id", "name", "held_on", "region", "scope", "project_count", "sentence"]
        read_only_fields = fields

    def _totals(self, obj):
        cache = self.context.setdefault("totals", {})
        if obj.pk not in cache:
            cache[obj.pk] = batches.totals(obj)
        return cache[obj.pk]

    def get_scope(self, obj) -> str:
        return batches.scope_word(obj)

    def get_sentence(self, obj) -> str:
        return batches.sentence(obj, self._totals(obj))

    def get_project_count(self, obj) -> int:
        return self._totals(obj).count
