"""Forms of the milestones app. Project choices always come from the user's scope, so a forged
hidden id is refused by the form ("选择一个有效的选项")."""

from django import forms
from django.forms import modelformset_factory
from django.utils import timezone

from milestones import photos
from milestones.choices import (
    CoordinationLevel,
    LetterKind,
    ProblemCategory,
    SuspensionKind,
)
from milestones.letters import letter_recipients
from milestones.models import FUND_FIELDS, Milestone, Problem
from milestones.selectors import problem_projects, reportable_projects
from milestones.services import MSG_UNIT_SCOPE, PROBLEM_FIELDS, REPORTER_PROBLEM_FIELDS
from registry.models import Unit
from registry.scoping import pick_list_keeping, scope_queryset, visible_units
from registry.years import closed_years, current_year

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NEGATIVE = {"min_value": "金额不能为负数", "invalid": "请输入数字"}


def style_form(form):
    """Bootstrap classes on every widget (small controls for a 1366×768 screen)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        elif not isinstance(widget, forms.HiddenInput | forms.FileInput):
            widget.attrs.setdefault("class", "form-control form-control-sm")
    return form


def money_field(label, *, required=False, help_text=""):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages=NEGATIVE,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "class": "form-control form-control-sm"}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ProgressReportForm(forms.Form):
    """Every field of SPEC §3.2's monthly report; totals may be left blank and derived."""

    invested_month = money_field("本月完成投资(万元)", required=True)
    invested_ytd = money_field(
        "本年累计完成投资(万元)", help_text="可留空：系统按以前月份已报数加本月推算"
    )
    invested_total = money_field(
        "自开工累计完成投资(万元)", help_text="可留空：至上年底累计 + 本年累计"
    )
    workers_planned = forms.IntegerField(
        label="计划用工人数", min_value=0, initial=0, error_messages={"min_value": "人数不能为负数"}
    )
    workers_actual = forms.IntegerField(
        label="实际在岗人数", min_value=0, initial=0, error_messages={"min_value": "人数不能为负数"}
    )
    is_started = forms.BooleanField(label="本月已开工", required=False)
    is_resumed = forms.BooleanField(label="本月已复工", required=False)
    progress_text = forms.CharField(
        label="形象进度",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="本月完成的主要工程内容（提交时必填）",
    )
    difficulties = forms.CharField(
        label="存在问题和困难", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = MultipleFileField(label="调度图片", required=False)
    # A new problem raised with the report (optional).
    np_category = forms.ChoiceField(
        label="新增问题类别", required=False, choices=[("", "—")] + ProblemCategory.choices
    )
    np_description = forms.CharField(
        label="新增问题描述", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    np_measures = forms.CharField(
        label="措施", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    np_level = forms.ChoiceField(
        label="协调层级", required=False, choices=CoordinationLevel.choices
    )
    np_deadline = forms.DateField(label="期望解决时限", required=False, widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, project, milestones=(), report=None, ytd_derivable=True, **kwargs):
        super().__init__(*args, **kwargs)
        # Photos that passed the checks, kept even when another field (or photo) fails.
        self.prepared_photos = []
        for name, source in FUND_FIELDS:
            self.fields[name] = money_field(f"{source.label}")
        self.fund_names = [name for name, _s in FUND_FIELDS]
        self.project = project
        updates = (report.milestone_updates if report else None) or {}
        self.milestone_names = []
        for ms in milestones:
            name = f"ms_{ms.pk}"
            self.fields[name] = forms.DateField(
                label=f"{ms.name}（计划 {ms.planned_on:%Y-%m-%d}）",
                required=False,
                widget=DATE,
                initial=ms.actual_on or updates.get(str(ms.pk)),
                disabled=ms.actual_on is not None,
            )
            self.milestone_names.append(name)
        if report is not None and not self.is_bound:
            for field in self.fields:
                if hasattr(report, field) and field not in ("version", "photos"):
                    self.initial[field] = getattr(report, field)
            self.initial["version"] = report.version
            # Derived totals are shown blank so a changed monthly figure re-derives them.
            self.initial["invested_total"] = None
            if ytd_derivable:
                self.initial["invested_ytd"] = None
        style_form(self)

    def clean_photos(self):
        errors = []
        for upload in self.cleaned_data.get("photos") or []:
            try:
                self.prepared_photos.append(photos.prepare(upload))
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return self.prepared_photos

    def clean(self):
        data = super().clean()
        if data.get("np_description") and not data.get("np_category"):
            self.add_error("np_category", "请选择新增问题的类别")
        today = timezone.localdate()
        for name in self.milestone_names:
            value = data.get(name)
            if value and value > today:
                self.add_error(name, "实际日期不能晚于今天")
        return data

    def report_data(self) -> dict:
        d = self.cleaned_data
        data = {
            "invested_month": d["invested_month"],
            "invested_ytd": d.get("invested_ytd"),
            "invested_total": d.get("invested_total"),
            "workers_planned": d.get("workers_planned") or 0,
            "workers_actual": d.get("workers_actual") or 0,
            "is_started": d.get("is_started", False),
            "is_resumed": d.get("is_resumed", False),
            "progress_text": d.get("progress_text", ""),
            "difficulties": d.get("difficulties", ""),
        }
        for name in self.fund_names:
            data[name] = d.get(name) if d.get(name) is not None else 0
        updates = {}
        for name in self.milestone_names:
            field = self.fields[name]
            if not field.disabled and d.get(name):
                updates[name.removeprefix("ms_")] = d[name].isoformat()
        data["milestone_updates"] = updates
        return data

    def new_problem(self) -> dict | None:
        d = self.cleaned_data
        if not d.get("np_description"):
            return None
        return {
            "category": d["np_category"],
            "description": d["np_description"],
            "measures": d.get("np_measures", ""),
            "coordination_level": d.get("np_level") or CoordinationLevel.COUNTY,
            "deadline": d.get("np_deadline"),
        }


class ReportStartForm(forms.Form):
    """Which project and month a new report is for; the project id is checked against scope."""

    project = forms.ModelChoiceField(label="项目", queryset=None, widget=forms.HiddenInput)
    year = forms.IntegerField(widget=forms.HiddenInput)
    month = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=12)

    def __init__(self, *args, user, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = reportable_projects(user=user, year=year)
        self.fields["project"].error_messages["invalid_choice"] = (
            "所选项目不存在或不在您的填报范围内"
        )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class WindowForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label="月份", coerce=int, choices=[(m, f"{m}月") for m in range(1, 13)]
    )
    opens_on = forms.DateField(label="开始日期", required=False, widget=DATE)
    deadline = forms.DateField(
        label="截止日期", required=False, widget=DATE, help_text="留空默认为次月5日"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class YearLabelledProjectField(forms.ModelChoiceField):
    """A project choice naming the year of a project not on the open year's list, so a
    closed year's project is not taken for this year's."""

    def label_from_instance(self, obj):
        if obj.year == self.open_year:
            return str(obj)
        closed = "，已关闭" if obj.year in self.closed else ""
        return f"{obj}（{obj.year}年{closed}）"


class ProblemForm(forms.ModelForm):
    project = YearLabelledProjectField(label="项目", queryset=None)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Problem
        fields = ["project", *PROBLEM_FIELDS]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 2}),
            "progress_note": forms.Textarea(attrs={"rows": 2}),
            "resolution": forms.Textarea(attrs={"rows": 2}),
            "deadline": DATE,
        }

    def __init__(self, *args, user, can_supervise: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = problem_projects(user)
        self.fields["project"].open_year = current_year()
        self.fields["project"].closed = closed_years()
        self.fields["project"].error_messages["invalid_choice"] = (
            "所选项目不存在或不在您的管理范围内"
        )
        self._limit_units(user)
        if self.instance.pk:
            self.fields["project"].disabled = True
            self.initial["version"] = self.instance.version
        if not can_supervise:
            # Only the DRC sets 督办.
            del self.fields["is_supervised"]
            if self.instance.pk:
                # A reporter updates measures, progress and resolution; the rest is shown, not posted
                # (the service refuses a crafted change too).
                for name, field in self.fields.items():
                    if name not in REPORTER_PROBLEM_FIELDS and name != "version":
                        field.disabled = True
        style_form(self)

    def _limit_units(self, user):
        """Units of the user's scope, plus the problem's current one and its project's own."""
        keep = {self.instance.responsible_unit_id}
        if self.instance.pk:
            keep.add(self.instance.project.unit_id)
        units = pick_list_keeping(visible_units(user), *keep)
        field = self.fields["responsible_unit"]
        field.queryset = units.select_related("region")
        field.error_messages["invalid_choice"] = MSG_UNIT_SCOPE

    def _post_clean(self):
        # Model validation runs in the service (full_clean) so that its messages reach the
        # form once; only field-level conversion happens here.
        pass

    def problem_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("project", "version")}


class LetterForm(forms.Form):
    kind = forms.ChoiceField(label="函件类型", choices=LetterKind.choices)
    project = forms.ModelChoiceField(label="项目", queryset=None)
    problem = forms.ModelChoiceField(label="针对问题", queryset=None, required=False)
    recipient = forms.ModelChoiceField(
        label="主送单位",
        queryset=Unit.objects.none(),
        required=False,
        help_text="留空为项目责任单位",
    )
    body = forms.CharField(label="函件内容", widget=forms.Textarea(attrs={"rows": 6}))
    reply_deadline = forms.DateField(label="回复时限", widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = problem_projects(user)
        self.fields["project"].open_year = current_year()
        self.fields["project"].closed = closed_years()
        self.fields["problem"].queryset = scope_queryset(user, Problem.objects.all())
        self.fields["recipient"].queryset = letter_recipients(user)
        style_form(self)

    def clean(self):
        data = super().clean()
        problem, project = data.get("problem"), data.get("project")
        if problem and project and problem.project_id != project.pk:
            self.add_error("problem", "所选问题不属于该项目")
        deadline = data.get("reply_deadline")
        if deadline and deadline < timezone.localdate():
            self.add_error("reply_deadline", "回复时限不能早于今天")
        return data


class LetterReplyForm(forms.Form):
    reply = forms.CharField(
        label="回复内容", widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SuspensionForm(forms.Form):
    kind = forms.ChoiceField(label="申请类型", choices=SuspensionKind.choices)
    happened_on = forms.DateField(label="停工/复工日期", widget=DATE)
    expected_resume_on = forms.DateField(label="预计复工日期", required=False, widget=DATE)
    reason = forms.CharField(label="原因", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class SuspensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "批准"), ("reject", "驳回")])
    comment = forms.CharField(label="审核意见", required=False)


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["kind", "name", "planned_on", "actual_on", "note"]
        widgets = {"planned_on": DATE, "actual_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean_actual_on(self):
        value = self.cleaned_data.get("actual_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("实际日期不能晚于今天")
        return value


MilestoneFormSet = modelformset_factory(Milestone, form=MilestoneForm, extra=1, can_delete=True)
