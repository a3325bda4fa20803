"""Helpers shared by the assessments pages: the period in the query string, xlsx answers."""

import datetime

from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def year_from(request) -> int:
    raw = request.GET.get("year") or ""
    if not raw:
        return timezone.localdate().year
    try:
        year = int(raw)
    except ValueError:
        raise BadRequest(f"年度格式不正确：“{raw[:20]}”") from None
    if not 2000 <= year <= 2100:
        raise BadRequest(f"年度超出范围：{year}")
    return year


def month_from(request, default: int) -> int:
    raw = request.GET.get("month") or ""
    if not raw:
        return default
    try:
        month = int(raw)
    except ValueError:
        raise BadRequest(f"月份格式不正确：“{raw[:20]}”") from None
    if not 1 <= month <= 12:
        raise BadRequest("月份应在1到12之间")
    return month


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def months() -> list[int]:
    return list(range(1, 13))


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
