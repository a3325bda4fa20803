"""Ledger export with the list's filters, and blank templates. Scoped like the list."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from registry import selectors
from registry.excel import writer
from registry.filtersets import ProjectFilterSet
from registry.scoping import visible_projects
from registry.views.mixins import role_required

XLSX = writer.XLSX


def _xlsx(data, filename):
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _year(value):
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 2000 <= year <= 2100 else None


@role_required()
def ledger_export(request):
    return ledger_export_response(request)


def ledger_export_response(request, totals_for=None):
    """The filtered ledger as an importable workbook. `totals_for(projects, year)` gives
    the closing 合计 row; it is passed by assessments (the one source of numbers), which
    serves this export under the same URL name, since registry may not import it."""
    base = selectors.project_list(user=request.user).order_by("code")
    # As on the list page (FilterView strict mode): an invalid or out-of-scope filter
    # yields no rows rather than silently exporting everything.
    query = selectors.ledger_query(request.GET)
    filterset = ProjectFilterSet(query, queryset=base, user=request.user)
    filtered = filterset.qs if filterset.is_valid() else base.none()
    projects = list(filtered)
    year = _year(query.get("year"))
    if year is None:
        years = {p.year for p in projects}
        year = years.pop() if len(years) == 1 else None
    plans, lands = selectors.ledger_factors(filtered)
    totals = totals_for(filtered, year) if totals_for is not None and year else None
    data = writer.write_ledger(projects, plans, lands, year=year, totals=totals)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _xlsx(data, f"重点项目台账-{stamp}.xlsx")


@role_required()
def ledger_template(request):
    year = _year(request.GET.get("year")) or timezone.localdate().year
    return _xlsx(writer.ledger_template(year), f"台账导入模板-{year}.xlsx")


@role_required()
def progress_template(request):
    year = _year(request.GET.get("year")) or timezone.localdate().year
    projects = visible_projects(request.user).order_by("code").values_list("code", "name")
    return _xlsx(writer.progress_template(year, projects), f"月度进度导入模板-{year}.xlsx")
