"""Forms of the pipeline pages: thin, every write goes through pipeline.services."""

from django import forms
from django.utils import timezone

from pipeline.choices import PipelineStage
from pipeline.models import PipelineProject, StartBatch
from pipeline.services import EDIT_FIELDS
from registry.choices import DocumentKind, ProjectLevel, Sector
from registry.forms import style
from registry.models import Project
from registry.scoping import keep_stored_choice, visible_leaders, visible_regions, visible_units

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PipelineForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PipelineProject
        fields = EDIT_FIELDS
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
            **{f: DATE for f in ("signed_on", "filed_on", "expected_start")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance if self.instance.pk else None
        keep_stored_choice(
            self.fields["region"], visible_regions(user), stored and stored.region_id
        )
        keep_stored_choice(self.fields["unit"], visible_units(user), stored and stored.unit_id)
        keep_stored_choice(
            self.fields["leader"], visible_leaders(user), stored and stored.leader_id
        )
        if stored is None:
            del self.fields["version"]
        else:
            self.fields["version"].initial = stored.version
        style(self)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label="新阶段", choices=PipelineStage.choices)
    changed_on = forms.DateField(label="变更日期", widget=DATE)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["changed_on"].initial = timezone.localdate()
        style(self)


class AdmitForm(forms.Form):
    year = forms.TypedChoiceField(label="列入名单", coerce=int)
    level = forms.ChoiceField(label="项目级别", choices=ProjectLevel.choices)
    sector = forms.ChoiceField(label="产业类别", choices=Sector.choices)
    plan = forms.DecimalField(
        label="年度计划投资(万元)", min_value=0, max_digits=14, decimal_places=2
    )
    unit = forms.ModelChoiceField(label="责任单位", queryset=None)
    reason = forms.CharField(label="增补原因", max_length=200, required=False)

    def __init__(self, *args, user, pp, **kwargs):
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        self.fields["year"].choices = [
            (year, f"{year}年名单（增补，自今日起列入）"),
            (year + 1, f"{year + 1}年名单（正式）"),
        ]
        keep_stored_choice(self.fields["unit"], visible_units(user), pp.unit_id)
        self.fields["unit"].initial = pp.unit_id
        self.fields["sector"].initial = pp.sector or None
        style(self)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="材料类型", choices=DocumentKind.choices)
    title = forms.CharField(label="标题", max_length=200, required=False)
    file = forms.FileField(label="文件")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class ImportForm(forms.Form):
    file = forms.FileField(label="谋划项目表（.xlsx/.xls/.ods）")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class BatchForm(forms.ModelForm):
    projects = forms.ModelMultipleChoiceField(
        label="开工项目",
        queryset=Project.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    class Meta:
        model = StartBatch
        fields = ["name", "held_on", "region", "note"]
        widgets = {"held_on": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = visible_regions(user).filter(level__in=("city", "county"))
        self.fields["region"].required = False
        self.fields["region"].empty_label = "全市"
        self.fields["projects"].queryset = projects
        self.fields["projects"].label_from_instance = lambda p: (
            f"{p.code} {p.name}（{p.region.name}）"
        )
        if self.instance.pk:
            self.fields["projects"].initial = [p.pk for p in self.instance.projects.all()]
        style(self)


class TargetForm(forms.Form):
    """One row per county and band: count and amount, named `c-<region>-<band>` / `a-…`."""

    def __init__(self, *args, counties, bands, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = []
        for county in counties:
            cells = []
            for band in bands:
                t = targets.get((county.pk, band.pk))
                c, a = f"c-{county.pk}-{band.pk}", f"a-{county.pk}-{band.pk}"
                self.fields[c] = forms.IntegerField(
                    min_value=0, required=False, initial=t.count if t else 0
                )
                self.fields[a] = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2,
                                                    required=False, initial=t.amount if t else 0)  # fmt: skip
                cells.append((band, self[c], self[a]))
            self.grid.append((county, cells))
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-control form-control-sm"

    def values(self):
        out = {}
        for name, value in self.cleaned_data.items():
            kind, region, band = name.split("-")
            out.setdefault((int(region), int(band)), {})["count" if kind == "c" else "amount"] = (
                value or 0
            )
        return out
