"""The 新增项目 form: the SPEC §3.1 ledger fields, the year's plan, and the choices of the
user's scope. Money is read as the ledger import reads a cell ("1,234.5" included) and
checked against the same field limits, with the same messages."""

from django import forms

from core.excel import values
from core.excel.reader import parse_cell
from registry.excel.headers import LEDGER
from registry.forms import style
from registry.ledger_rows import target_field
from registry.models import Leader, Project, Unit
from registry.project_create import new_project_errors
from registry.project_rules import MSG_REQUIRED_NEW, REQUIRED
from registry.scoping import visible_regions
from registry.years import closed_years, current_year

# The form's fields, in the order of the ledger template (SPEC §4.3).
CREATE_FIELDS = [
    "code",
    "name",
    "level",
    "programs",
    "region",
    "unit",
    "leader",
    "nature",
    "category",
    "sector",
    "owner",
    "contact",
    "phone",
    "location",
    "planned_start",
    "planned_finish",
    "scope",
    "note",
]
MONEY = ("total_investment", "invested_before_year", "annual_plan")


def _money_field(label, required=False, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class ProjectCreateForm(forms.ModelForm):
    year = forms.TypedChoiceField(label="列入年度", coerce=int)
    total_investment = _money_field("总投资(万元)")
    invested_before_year = _money_field("至上年底累计完成投资(万元)")
    annual_plan = _money_field("年度计划投资(万元)", required=True)
    pool_reason = forms.CharField(
        label="增补原因",
        required=False,
        max_length=200,
        help_text="本年度名单已在执行时，新增项目为年中增补项目，须填写原因",
    )

    class Meta:
        model = Project
        fields = CREATE_FIELDS
        widgets = {
            "programs": forms.CheckboxSelectMultiple,
            "scope": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "planned_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "planned_finish": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"code": "可不填：按本县区已有编号的格式自动生成"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        closed = closed_years()
        years = [y for y in (current_year(), current_year() + 1) if y not in closed]
        self.fields["year"].choices = [(y, f"{y}年") for y in years]
        self.fields["year"].initial = years[0] if years else current_year()
        self.fields["code"].required = False
        # One list of required columns, the import's (registry.project_rules).
        for key in REQUIRED:
            self.fields[key].required = True
            self.fields[key].error_messages["required"] = MSG_REQUIRED_NEW
        self.fields["annual_plan"].error_messages["required"] = MSG_REQUIRED_NEW
        regions = visible_regions(user)
        self.fields["region"].queryset = regions.order_by("path")
        self.fields["region"].error_messages["invalid_choice"] = "所选地区不在您的管理范围内"
        self.fields["unit"].queryset = Unit.objects.filter(region__in=regions).order_by("name")
        self.fields["leader"].queryset = Leader.objects.filter(region__in=regions).order_by("name")
        self.fields["leader"].help_text = "工作班子成员可在项目建立后于“工作班子”页面添加"
        style(self)

    def _clean_money(self, key):
        raw = self.cleaned_data.get(key, "")
        try:
            value = parse_cell(LEDGER.by_key[key], "万元", raw, None, target_field(key))
        except values.CellError as exc:
            raise forms.ValidationError(str(exc)) from None
        return value

    def clean_total_investment(self):
        return self._clean_money("total_investment")

    def clean_invested_before_year(self):
        return self._clean_money("invested_before_year")

    def clean_annual_plan(self):
        value = self._clean_money("annual_plan")
        if value is None:  # "—": a cell the import reads as blank
            raise forms.ValidationError(MSG_REQUIRED_NEW)
        return value

    def clean(self):
        """The service's rules on what parsed, so every error shows at once (the service
        checks them again before writing)."""
        cleaned = super().clean()
        if "year" in cleaned:
            data = {k: cleaned.get(k) for k in CREATE_FIELDS if k != "programs"}
            errors = new_project_errors(
                data=data,
                year=cleaned["year"],
                user=self.user,
                pool_reason=cleaned.get("pool_reason"),
            )
            for field, message in errors.items():
                if field not in self.errors:
                    self.add_error(field, message)
        return cleaned

    def project_data(self) -> dict:
        """The project's own fields, for registry.project_create."""
        data = {k: self.cleaned_data[k] for k in CREATE_FIELDS if k != "programs"}
        for key in ("total_investment", "invested_before_year"):
            if self.cleaned_data.get(key) is not None:
                data[key] = self.cleaned_data[key]
        return data
