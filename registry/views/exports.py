"""Blank import templates (the filtered ledger export is portal's, with the list's 合计)."""

from core.export_jobs import Export
from core.export_views import xlsx_response
from registry.excel import writer
from registry.views.mixins import role_required, year_asked


def _xlsx(data, filename):
    return xlsx_response(Export(data=data, filename=filename))


@role_required()
def ledger_template(request):
    year = year_asked(request.GET)
    return _xlsx(writer.ledger_template(year), f"台账导入模板-{year}.xlsx")
