from django import forms

from registry.choices import DocumentKind
from registry.models import Project
from registry.scoping import keep_stored_choice, visible_leaders, visible_regions, visible_units
from registry.services import PROJECT_EDIT_FIELDS


def style(form, *, small=False):
    """Bootstrap's classes on every widget of `form` (check boxes, selects, inputs); `small`
    for the dense factor tables."""
    size = {"form-select": " form-select-sm", "form-control": " form-control-sm"} if small else {}
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(field.widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        field.widget.attrs.setdefault("class", css + size.get(css, ""))


class ProjectForm(forms.ModelForm):
    """Ledger fields a reviewer or reporter may correct; `version` guards against lost updates."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Project
        fields = ["programs", *PROJECT_EDIT_FIELDS]
        widgets = {
            "programs": forms.CheckboxSelectMultiple,
            "scope": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
            **{
                f: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                for f in [
                    "planned_start",
                    "planned_finish",
                    "projected_finish",
                    "started_on",
                    "completed_on",
                    "operating_on",
                    "capacity_on",
                    "stats_registered_on",
                ]
            },
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version
        # Optional in the database only for 待完善 projects of a published plan: whoever edits
        # a project completes them.
        for name in ("unit", "sector"):
            if name in self.fields:
                self.fields[name].required = True
        if user is not None:
            # A reporter cannot move a project outside their own scope via a hidden field.
            # The stored region, unit and leader stay (a city unit or the mayor on a county's
            # project): an unchanged save never drops them.
            regions = visible_regions(user)
            project = self.instance
            picks = {
                "region": (regions, project.region_id),
                "unit": (visible_units(user), project.unit_id),
                "leader": (visible_leaders(user), project.leader_id),
            }
            for name, (pick_list, stored) in picks.items():
                keep_stored_choice(self.fields[name], pick_list, stored)
        style(self)


class DocumentUploadForm(forms.Form):
    """入库材料 on the project page; what the file really is is checked by registry.documents."""

    kind = forms.ChoiceField(
        label="材料类型",
        choices=[("", "请选择")] + list(DocumentKind.choices),
        error_messages={"required": "请选择材料类型", "invalid_choice": "请选择材料类型"},
    )
    title = forms.CharField(label="说明", max_length=200, required=False,
                            help_text="选填，默认用文件名")  # fmt: skip
    file = forms.FileField(
        label="文件",
        error_messages={
            "required": "请选择要上传的文件",
            "empty": "文件是空的，请重新选择",
            "invalid": "请选择要上传的文件",
        },  # fmt: skip
    )
