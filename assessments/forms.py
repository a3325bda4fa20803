"""The rule-set form city reviewers edit (SPEC §3.3: numbers without code)."""

from django import forms

from assessments.models import RuleSet

GROUPS = [
    ("基本", ["year", "name", "is_active", "mode", "gap_form"]),
    ("投资进度（百分点口径）", ["lag_points", "warn_points", "ahead_points"]),
    ("投资进度（比值口径）", ["lag_ratio", "warn_ratio", "ahead_ratio"]),
    (
        "节点、开工与问题",
        [
            "milestone_lag_days",
            "unstarted_lag_days",
            "supervised_problem_warns",
            "statistics_due_days",
        ],
    ),
    ("分项亮灯", ["start_red_months", "funds_warn_ratio", "funds_lag_ratio"]),
    (
        "得分与排名",
        [
            "weight_investment",
            "weight_start",
            "weight_milestone",
            "weight_report",
            "weight_problem",
            "lag_penalty",
            "report_due_day",
            "negative_months",
            "monthly_ranking",
        ],
    ),
    ("开工率目标", ["start_target_province", "start_target_major", "start_target_all"]),
    (
        "四比四看权重",
        ["four_plan_weight", "four_invest_weight", "four_start_weight", "four_service_weight"],
    ),
]


class RuleSetForm(forms.ModelForm):
    class Meta:
        model = RuleSet
        fields = [f for _title, names in GROUPS for f in names]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "form-check-input"
                if isinstance(field.widget, forms.CheckboxInput)
                else (
                    "form-select form-select-sm"
                    if hasattr(field.widget, "choices")
                    else "form-control form-control-sm"
                )
            )
            field.widget.attrs["class"] = css

    def groups(self):
        return [(title, [self[name] for name in names]) for title, names in GROUPS]

    def clean(self):
        data = super().clean()
        weights = [data.get(f) for f in GROUPS[5][1][:5]]
        if all(w is not None for w in weights) and sum(weights) != 100:
            self.add_error(None, f"五项得分权重之和应为100（当前为{sum(weights)}）")
        return data
