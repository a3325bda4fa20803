"""Blank import templates (the filtered ledger export is portal's, with the list's 合计)."""

from core.excel.workbook import xlsx_response
from registry.excel import writer
from registry.views.mixins import role_required, year_asked


@role_required()
def ledger_template(request):
    year = year_asked(request.GET)
    return xlsx_response(writer.ledger_template(year), f"台账导入模板-{year}.xlsx")
