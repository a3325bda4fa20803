"""Serializers of the ledger. Reads nest what a client needs in one request; writes go
through registry.services (a serializer validates shapes, never business rules)."""

from rest_framework import serializers

from registry.api.base import RejectUnwritableFieldsMixin
from registry.factor_forms import LandForm, RelocationForm
from registry.models import (
    AnnualPlan,
    Approval,
    ContractAssignment,
    Funding,
    Land,
    Leader,
    Project,
    Region,
    Relocation,
    Unit,
    WorkTeamMember,
)
from registry.services import PROJECT_EDIT_FIELDS


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "code", "level", "parent"]


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "region", "kind"]


class LeaderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Leader
        fields = ["id", "name", "post", "level", "region"]


class AnnualPlanSerializer(serializers.ModelSerializer):
    schedule = serializers.ListField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2),
        read_only=True,
        allow_null=True,
        help_text="12个月的累计计划投资(万元)；未编制月度计划时为 null",
    )

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "project",
            "year",
            "planned_investment",
            "plan_start",
            "plan_finish",
            "target_start",
            "target_finish",
            "schedule",
        ]


class ProjectListSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    leader_name = serializers.CharField(source="leader.name", read_only=True, default=None)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "year",
            "level",
            "category",
            "sector",
            "nature",
            "stage",
            "pool",
            "region",
            "region_name",
            "unit",
            "unit_name",
            "leader",
            "leader_name",
            "package",
            "is_package",
            "total_investment",
            "invested_before_year",
            "planned_start",
            "planned_finish",
            "started_on",
            "completed_on",
            "lat",
            "lng",
            "version",
        ]


class FundingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Funding
        fields = ["source", "planned", "in_place"]


class LandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Land
        fields = LandForm.Meta.fields


class RelocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Relocation
        fields = RelocationForm.Meta.fields


class ApprovalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Approval
        fields = ["item", "status", "done_on", "note"]


class TeamMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkTeamMember
        fields = ["name", "post", "unit_name", "phone", "role"]


class AssignmentSerializer(serializers.ModelSerializer):
    leader_name = serializers.CharField(source="leader.name", read_only=True, default=None)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = ContractAssignment
        fields = ["leader", "leader_name", "unit", "unit_name", "start_on", "end_on", "reason"]


class ProjectDetailSerializer(ProjectListSerializer):
    """The dossier: ledger fields, 五个一 and the 要素保障, nested (read only)."""

    annual_plans = AnnualPlanSerializer(many=True, read_only=True)
    fundings = FundingSerializer(many=True, read_only=True)
    land = LandSerializer(read_only=True, allow_null=True)
    relocation = RelocationSerializer(read_only=True, allow_null=True)
    approvals = ApprovalSerializer(many=True, read_only=True)
    team_members = TeamMemberSerializer(many=True, read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta(ProjectListSerializer.Meta):
        fields = [
            *ProjectListSerializer.Meta.fields,
            "owner",
            "contact",
            "phone",
            "scope",
            "location",
            "projected_finish",
            "signed_on",
            "filed_on",
            "operating_on",
            "capacity_on",
            "approval_code",
            "pool_reason",
            "note",
            "annual_plans",
            "fundings",
            "land",
            "relocation",
            "approvals",
            "team_members",
            "assignments",
        ]


class ProjectUpdateSerializer(RejectUnwritableFieldsMixin, serializers.ModelSerializer):
    """Ledger fields a reviewer may change; `version` is the optimistic lock (409 if stale)."""

    version = serializers.IntegerField(help_text="读取时的版本号；他人已修改时返回409")

    class Meta:
        model = Project
        fields = [*PROJECT_EDIT_FIELDS, "version"]
        # Constraints are checked by the service's full_clean, with their Chinese messages.
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            from registry.scoping import (
                keep_stored_choice,
                visible_leaders,
                visible_regions,
                visible_units,
            )

            # The stored values stay valid, so a PATCH of what GET returned keeps them.
            user, project = request.user, self.instance
            picks = {
                "region": (visible_regions(user), getattr(project, "region_id", None)),
                "unit": (visible_units(user), getattr(project, "unit_id", None)),
                "leader": (visible_leaders(user), getattr(project, "leader_id", None)),
            }
            for name, (pick_list, stored) in picks.items():
                keep_stored_choice(self.fields[name], pick_list, stored)
