"""Helpers shared by the assessments pages: the period in the query string, xlsx answers."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from core.periods import KIND_LABELS, PeriodError
from milestones.periods import Resolved, closed_months, resolve

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def period_from(request, *, allow=("month",)) -> Resolved:
    """The period of the query string (SPEC §3.8: the last closed month by default); bad
    values are a BadRequest with the Chinese message (400 page, or DRF 400 in the API)."""
    params = getattr(request, "query_params", request.GET)
    try:
        return resolve(params, allow=allow)
    except PeriodError as exc:
        raise BadRequest(str(exc)) from None


PICKER_PARAMS = ("period", "kind", "year", "month", "quarter", "page")


@dataclass
class Picker:
    """What the period picker (templates/partials/period_picker.html) shows."""

    resolved: Resolved
    kinds: tuple
    keep: list  # (name, value) of the other query parameters, carried along
    months: list  # (month, label): open months are marked
    listed: bool  # the year has a list
    default: Resolved

    @property
    def is_default(self) -> bool:
        return self.resolved.period == self.default.period

    @property
    def quarter(self) -> int:
        """The quarter selected: the period's, or the one holding its last month."""
        period = self.resolved.period
        return period.index if period.kind == "quarter" else (period.last_month + 2) // 3

    @property
    def kind_choices(self) -> list:
        return [(k, KIND_LABELS[k]) for k in self.kinds]


def picker(request, resolved: Resolved, kinds=("month",)) -> Picker:
    """The picker for a page showing `resolved`; `kinds` the period kinds it offers."""
    from registry.years import list_years

    year = resolved.year
    closed = closed_months(year)
    months = [(m, f"{m}月" + ("" if m in closed else "（进行中）")) for m in range(1, 13)]
    keep = [
        (name, value)
        for name, values in request.GET.lists()
        if name not in PICKER_PARAMS
        for value in values
    ]
    return Picker(
        resolved=resolved,
        kinds=tuple(kinds),
        keep=keep,
        months=months,
        listed=year in list_years(),
        default=resolve({}, allow=kinds),
    )


def year_from(request) -> int:
    """The year asked for (the default period's year when none is)."""
    return period_from(request).year


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def today() -> datetime.date:
    return timezone.localdate()


def bad_request_page(view):
    """Bad query parameters get a Chinese 400 page that says what was wrong."""
    from functools import wraps

    from django.shortcuts import render

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadRequest as exc:
            return render(request, "400.html", {"exception": str(exc)}, status=400)

    return wrapped
