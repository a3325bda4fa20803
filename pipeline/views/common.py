"""Small helpers of the pipeline pages."""

from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from core.excel.workbook import XLSX
from core.periods import PeriodError
from milestones.periods import resolve


def resolved_period(request):
    """The month asked for (`period=2026-03`, or `year`/`month`), the last closed month by
    default (SPEC §3.8); a bad value is a 400 with its Chinese message."""
    params = getattr(request, "query_params", request.GET)
    try:
        return resolve(params, allow=("month",))
    except PeriodError as exc:
        raise BadRequest(str(exc)) from None


def xlsx_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = content_disposition_header(True, f"{name}-{stamp}.xlsx")
    return response


def errors_text(form) -> str:
    return "；".join(e for errs in form.errors.values() for e in errs)
