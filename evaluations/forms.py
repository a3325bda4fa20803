"""Forms of the evaluation pages: each writes only the fields it shows."""

from django import forms
from django.contrib.auth import get_user_model

from evaluations.choices import ParticipantKind
from evaluations.models import Event
from registry.choices import Role


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["name", "year", "starts_on", "ends_on", "note"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")


def _sm(field):
    css = (
        "form-select form-select-sm"
        if isinstance(field.widget, forms.Select)
        else "form-control form-control-sm"
    )
    field.widget.attrs["class"] = css
    return field


class NameForm(forms.Form):
    name = _sm(forms.CharField(label="名称", max_length=50))


class StopForm(forms.Form):
    project = _sm(forms.TypedChoiceField(label="项目", coerce=int))
    group = _sm(forms.TypedChoiceField(label="比较组", coerce=int))
    route = _sm(forms.TypedChoiceField(label="路线", coerce=int))
    participant_kind = _sm(forms.ChoiceField(label="参评主体", choices=ParticipantKind.choices))

    def __init__(self, *args, event, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [
            (p.pk, f"{p.code} {p.name}（{p.region.name}）") for p in candidates
        ]
        self.fields["group"].choices = [(g.pk, g.name) for g in event.groups.all()]
        self.fields["route"].choices = [(r.pk, r.name) for r in event.routes.all()]


class CriterionForm(forms.Form):
    name = _sm(forms.CharField(label="评分项", max_length=50))
    max_points = _sm(forms.DecimalField(label="分值", max_digits=5, decimal_places=2, min_value=0))
    description = _sm(forms.CharField(label="评分说明", max_length=300, required=False))


def evaluator_candidates(event):
    """Accounts that may be made evaluators: those with a role, not yet on the event."""
    roles = [r.value for r in Role]
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=roles)
        .exclude(evaluator_roles__event=event)
        .select_related("profile__region", "profile__unit")
        .distinct()
        .order_by("username")
    )


class EvaluatorForm(forms.Form):
    user = _sm(forms.TypedChoiceField(label="评委账号", coerce=int))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [
            (u.pk, f"{u.get_full_name() or u.username}（{u.username}）")
            for u in evaluator_candidates(event)
        ]
