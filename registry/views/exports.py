"""Ledger export with the list's filters, and blank templates. Scoped like the list."""

from django.utils import timezone

from core.export_jobs import Export
from core.export_views import export_or_queue, xlsx_response
from registry.choices import ExportKind
from registry.excel import writer
from registry.excel.ledger_export import query_year
from registry.views.mixins import role_required


def _xlsx(data, filename):
    return xlsx_response(Export(data=data, filename=filename))


@role_required()
def ledger_export(request):
    """The filtered ledger (registry.excel.ledger_export); a big one is built by a worker.
    assessments serves this URL name with the 合计 row it registers for the same kind."""
    return export_or_queue(request, ExportKind.LEDGER)


@role_required()
def ledger_template(request):
    year = query_year(request.GET.get("year")) or timezone.localdate().year
    return _xlsx(writer.ledger_template(year), f"台账导入模板-{year}.xlsx")
