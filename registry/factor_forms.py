"""Web forms for the annual plan and the 要素保障 of a project.

Each section of the project's dossier is one form or formset; the rules themselves are the
models' constraints (validated by ModelForm through full_clean), plus what spans rows here.
"""

from dataclasses import dataclass

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory

from registry.forms import style
from registry.models import (
    MONTH_FIELDS,
    AnnualPlan,
    Approval,
    Funding,
    Land,
    Project,
    Relocation,
    WorkTeamMember,
)


class StyledModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self, small=True)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AnnualPlanForm(StyledModelForm):
    """Annual plan and its cumulative monthly schedule: all 12 months or none."""

    class Meta:
        model = AnnualPlan
        fields = [
            "planned_investment",
            "plan_start",
            "plan_finish",
            "target_start",
            "target_finish",
            *MONTH_FIELDS,
        ]
        widgets = {"target_start": DATE, "target_finish": DATE}

    def head_fields(self):
        return [self[f] for f in self.Meta.fields if f not in MONTH_FIELDS]

    def month_fields(self):
        return [(i, self[f]) for i, f in enumerate(MONTH_FIELDS, start=1)]

    def clean(self):
        data = super().clean()
        months = [data.get(f) for f in MONTH_FIELDS]
        filled = [m for m in months if m is not None]
        if filled and len(filled) != 12:
            raise forms.ValidationError("月度计划需12个月全部填写（累计数），或全部留空")
        if len(filled) == 12:
            for i in range(1, 12):
                if months[i] < months[i - 1]:
                    self.add_error(
                        MONTH_FIELDS[i], f"{i + 1}月累计计划不能小于{i}月（{months[i - 1]}）"
                    )
            plan = data.get("planned_investment")
            if plan is not None and months[11] != plan:
                self.add_error("m12", f"12月累计计划（{months[11]}）应等于年度计划投资（{plan}）")
        return data


class LandForm(StyledModelForm):
    class Meta:
        model = Land
        fields = [
            "required_area",
            "farmland_conversion",
            "indicator_secured",
            "approved_area",
            "supply_status",
        ]


class RelocationForm(StyledModelForm):
    class Meta:
        model = Relocation
        fields = [
            "households_total",
            "households_done",
            "area_total",
            "area_done",
            "deadline",
            "status",
        ]
        widgets = {"deadline": DATE}


class _UniqueChoiceFormSet(BaseInlineFormSet):
    """Rows keyed by a choice (资金来源, 手续事项) may not repeat; say which one does."""

    key = ""

    def clean(self):
        # Before Django's own unique check, whose message names the field's code name.
        seen, repeated = set(), []
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.cleaned_data.get("DELETE"):
                continue
            value = form.cleaned_data.get(self.key)
            if value in seen:
                label = dict(form.fields[self.key].choices).get(value, value)
                form.add_error(self.key, f"“{label}”重复登记")
                repeated.append(str(label))
            seen.add(value)
        if repeated:
            field = self.forms[0].fields[self.key].label
            raise forms.ValidationError(f"{field}“{'、'.join(repeated)}”重复登记，每项只能登记一行")
        super().clean()


class FundingBaseFormSet(_UniqueChoiceFormSet):
    key = "source"


class ApprovalBaseFormSet(_UniqueChoiceFormSet):
    key = "item"


class FundingForm(StyledModelForm):
    class Meta:
        model = Funding
        fields = ["source", "planned", "in_place"]


class ApprovalForm(StyledModelForm):
    class Meta:
        model = Approval
        fields = ["item", "status", "done_on", "note"]
        widgets = {"done_on": DATE}


class TeamMemberForm(StyledModelForm):
    class Meta:
        model = WorkTeamMember
        fields = ["name", "role", "post", "unit_name", "phone"]


def _formset(model, form, base=BaseInlineFormSet):
    return inlineformset_factory(Project, model, form=form, formset=base, extra=2, can_delete=True)


FundingFormSet = _formset(Funding, FundingForm, FundingBaseFormSet)
ApprovalFormSet = _formset(Approval, ApprovalForm, ApprovalBaseFormSet)
TeamFormSet = _formset(WorkTeamMember, TeamMemberForm)


@dataclass(frozen=True)
class Section:
    """One editable part of the dossier: its title and how its form is built."""

    slug: str
    title: str
    kind: str  # "plan", "one" (one-to-one form) or "many" (inline formset)
    form: type
    model: type | None = None


SECTIONS = {
    s.slug: s
    for s in [
        Section("plan", "年度计划与月度计划", "plan", AnnualPlanForm, AnnualPlan),
        Section("funding", "资金来源", "many", FundingFormSet),
        Section("land", "用地", "one", LandForm, Land),
        Section("relocation", "征迁", "one", RelocationForm, Relocation),
        Section("approvals", "前期手续", "many", ApprovalFormSet),
        Section("team", "工作班子", "many", TeamFormSet),
    ]
}
