from django import forms
from django.core.exceptions import ValidationError

from registry.scoping import covers_whole_city
from reports.models import ReportKind
from reports.selectors import region_choices
from reports.services import check_period


class _PeriodOfKind(forms.Form):
    """A kind and a period written for it (2026-10 / 2026-Q3 / 2026), checked together."""

    def clean(self):
        data = super().clean()
        if "kind" in data and "period" in data:
            try:
                data["period"] = check_period(data["kind"], data["period"])
            except ValidationError as exc:
                self.add_error("period", exc)
        return data


class RunRequestForm(_PeriodOfKind):
    kind = forms.ChoiceField(label="报表类型", choices=ReportKind.choices)
    period = forms.CharField(
        label="期间", max_length=10, help_text="月度如 2026-10，季度如 2026-Q3，年度如 2026"
    )
    region = forms.ModelChoiceField(label="地区", queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.whole_city = covers_whole_city(user)
        self.fields["region"].queryset = region_choices(user)
        self.fields["region"].empty_label = "全市" if self.whole_city else None
        self.fields["region"].required = not self.whole_city
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select"
                if field is self.fields["kind"] or field is self.fields["region"]
                else "form-control"
            )


class PublishForm(_PeriodOfKind):
    """What to publish: the bulletin page's (or a report run's) kind, period and 县区."""

    kind = forms.ChoiceField(label="报表类型", choices=ReportKind.choices)
    period = forms.CharField(label="期间", max_length=10)
    region = forms.ModelChoiceField(label="地区", queryset=None, required=False)
    note = forms.CharField(label="更正说明", max_length=300, required=False)
    confirm_missing = forms.BooleanField(label="我已知晓数据尚不完整", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_choices(user)
        self.fields["region"].error_messages["invalid_choice"] = (
            "所选地区不存在或不在您的管辖范围内"
        )
