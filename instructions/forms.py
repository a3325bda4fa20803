"""Forms of 领导批示: the leader's 批示 and the unit's 反馈 (each writes only what it shows)."""

from django import forms

from milestones.choices import ProblemStatus
from milestones.forms import MultipleFileField, MultipleFileInput
from milestones.models import Problem
from registry.forms import style
from registry.models import Unit
from registry.scoping import scope_queryset, visible_units

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACCEPT = ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,.wps,.et"


class InstructionForm(forms.Form):
    """A 批示 on one project (fixed by the page it was opened from), optionally on one of its
    open problems, for a unit the leader may pick."""

    problem = forms.ModelChoiceField(
        label="针对问题", queryset=Problem.objects.none(), required=False,
        empty_label="（针对项目整体）",
    )  # fmt: skip
    text = forms.CharField(
        label="批示内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写批示内容"},
    )  # fmt: skip
    unit = forms.ModelChoiceField(
        label="责任单位", queryset=Unit.objects.none(), required=False,
        empty_label="（项目责任单位）", help_text="不选则交项目（或所选问题）的责任单位办理",
    )  # fmt: skip
    deadline = forms.DateField(
        label="反馈时限", widget=DATE, error_messages={"required": "请填写反馈时限",
                                                      "invalid": "请输入有效日期"},
    )  # fmt: skip

    def __init__(self, *args, user, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"].queryset = (
            scope_queryset(user, Problem.objects.filter(project=project))
            .exclude(status=ProblemStatus.RESOLVED)
            .order_by("-id")
        )
        units = visible_units(user) | Unit.objects.filter(pk=project.unit_id)
        self.fields["unit"].queryset = units.distinct().order_by("region__code", "name")
        style(self)


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label="反馈内容", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写反馈内容"},
    )  # fmt: skip
    files = MultipleFileField(
        label="附件", required=False, widget=MultipleFileInput(attrs={"accept": ACCEPT}),
        help_text="PDF、图片或Office文档，最多5个",
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)
