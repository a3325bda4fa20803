"""How every list, export and API reads its query parameters (the FilterSets' building blocks).

One behaviour everywhere a FilterSet reads a request (pages, their exports, the API):

- an id (region, unit, leader …) that is well formed but not among the user's choices —
  another county's region, a deleted unit, `0`, `-1` — gives an empty result: the user's
  scope stays as it is and nothing tells whether the id exists elsewhere;
- a malformed value (`abc`, an id beyond 64 bits, an unknown status or level) is refused
  with a 400 and a Chinese message naming the filter (`filter_errors`, `filtered`);
- an unknown sort key in `ordering` is ignored (a stale or hand-edited link still opens);
- a year (`year`) is read by the one period parser (core.periods): any year it accepts
  (one without a list gives an empty list), its Chinese message otherwise;
- free text (`q`) loses its control characters (PostgreSQL refuses NUL in text) and is
  bounded in length.
"""

import re

import django_filters
from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.db.models import Model
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import ChoiceField

from core.periods import PeriodError, parse_year

TEXT_MAX_LENGTH = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ID_LIMIT = 2**63


class _Outside:
    """A well-formed id outside the user's choices: the filter yields no rows."""

    def __repr__(self):
        return "OUTSIDE"

    def __reduce__(self):
        return "OUTSIDE"


OUTSIDE = _Outside()


class ScopedModelChoiceField(forms.ModelChoiceField):
    """An id among `queryset` (the user's choices), OUTSIDE for any other integer, and a
    validation error for anything that is not an id."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Model):
            return value
        raw = str(value).strip()
        try:
            pk = int(raw)
        except ValueError:
            raise ValidationError(f"应为编号（整数），收到“{raw[:20]}”") from None
        if not -_ID_LIMIT < pk < _ID_LIMIT:
            raise ValidationError("编号超出范围")
        try:
            return self.queryset.get(pk=pk)
        except self.queryset.model.DoesNotExist:
            return OUTSIDE

    def validate(self, value):
        forms.Field.validate(self, value)


class ScopedChoiceFilter(django_filters.ModelChoiceFilter):
    """A related object picked by id; its `queryset` is set to the user's choices."""

    field_class = ScopedModelChoiceField

    def filter(self, qs, value):
        if value is OUTSIDE:
            return qs.none()
        return super().filter(qs, value)


class RegionFilter(ScopedChoiceFilter):
    """A region includes its towns: rows whose `field_name` region lies in its subtree."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        if value is OUTSIDE:
            return qs.none()
        return qs.filter(**{f"{self.field_name}__path__startswith": value.path})


class YearField(ChoiceField):
    """A year from the selector's choices or typed into a URL, read by the period parser."""

    def clean(self, value):
        raw = "" if value in self.empty_values else str(value)
        if not raw.strip():
            return super().clean("")
        try:
            return str(parse_year(raw))
        except PeriodError as exc:
            raise ValidationError(str(exc), code="invalid") from None


class YearFilter(django_filters.ChoiceFilter):
    """A year (`choices`, if given, are what the selector offers)."""

    field_class = YearField


class SearchField(forms.CharField):
    """Free text without control characters, at most TEXT_MAX_LENGTH characters."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return _CONTROL.sub("", super().to_python(value)).strip()


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class LenientOrderingFilter(django_filters.OrderingFilter):
    """`ordering` where unknown sort keys are dropped instead of failing the whole query."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        class Field(self.field_class):
            def clean(self, value):
                if value:
                    known = {str(key) for key, _label in self.choices}
                    value = [v for v in value if v in known] or None
                return super().clean(value)

        self.field_class = Field


def filter_errors(filterset) -> str:
    """The Chinese message of an invalid FilterSet, each problem under its filter's label."""
    form = filterset.form
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else name
        parts.append(f"{label}：{'；'.join(str(e) for e in errors)}")
    return "查询条件有误：" + "；".join(parts)


def outside_labels(filterset) -> list[str]:
    """Labels of the filters whose id lies outside the user's choices (the list is empty)."""
    if not (filterset.is_bound and filterset.is_valid()):
        return []
    form = filterset.form
    return [form.fields[n].label for n, v in form.cleaned_data.items() if v is OUTSIDE]


def filtered(filterset):
    """The FilterSet's rows, or BadRequest (a 400 page, or JSON on the API) when a parameter
    is malformed: never the unfiltered rows, never a silently empty list."""
    if filterset.is_bound and not filterset.is_valid():
        raise BadRequest(filter_errors(filterset))
    return filterset.qs
