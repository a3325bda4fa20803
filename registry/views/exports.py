"""Blank import templates (the filtered ledger export is portal's, with the list's 合计)."""

from core.export_jobs import Export
from core.export_views import xlsx_response
from registry.excel import writer
from registry.scoping import visible_projects
from registry.views.mixins import role_required, year_asked


def _xlsx(data, filename):
    return xlsx_response(Export(data=data, filename=filename))


@role_required()
def ledger_template(request):
    year = year_asked(request.GET)
    return _xlsx(writer.ledger_template(year), f"台账导入模板-{year}.xlsx")


@role_required()
def progress_template(request):
    year = year_asked(request.GET)
    projects = visible_projects(request.user).order_by("code").values_list("code", "name")
    return _xlsx(writer.progress_template(year, projects), f"月度进度导入模板-{year}.xlsx")
