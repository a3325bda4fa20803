"""The ledger export: one function of (user, query) for the page's download and the job.

Scoped like the list (registry.selectors.project_list) and filtered by the list's FilterSet;
`totals_for(projects, year, query)` gives the closing 合计 row, passed by assessments (the one
source of numbers), since registry may not import it.
"""

from django.utils import timezone

from core.export_jobs import Export, progress_counter, register_export
from registry import selectors
from registry.excel import writer
from registry.filter_fields import filtered
from registry.filtersets import ProjectFilterSet


def query_year(value):
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 2000 <= year <= 2100 else None


def ledger_projects(user, query):
    """The ledger rows the user may export with this query, in export order."""
    base = selectors.project_list(user=user).order_by("code")
    # As on the list page: an out-of-scope id yields no rows, a malformed value BadRequest
    # (never everything exported silently).
    filterset = ProjectFilterSet(selectors.ledger_query(query), queryset=base, user=user)
    return filtered(filterset)


def ledger_workbook(user, query, *, totals_for=None, progress=None) -> Export:
    """The filtered ledger as an importable workbook, streamed: a fixed number of queries
    (the rows through one server-side cursor) and flat memory at any size."""
    filtered = ledger_projects(user, query)
    query = selectors.ledger_query(query)
    year = query_year(query.get("year"))
    if year is None:
        years = list(filtered.order_by().values_list("year", flat=True).distinct()[:2])
        year = years[0] if len(years) == 1 else None
    plans, lands = selectors.ledger_factors(filtered)
    totals = totals_for(filtered, year, query) if totals_for is not None and year else None
    rows = filtered.prefetch_related(None).values(*writer.LEDGER_FIELDS)
    data = writer.write_ledger(
        rows.iterator(chunk_size=2000),
        plans,
        lands,
        year=year,
        totals=totals,
        tick=progress_counter(progress),
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return Export(data=data, filename=f"重点项目台账-{stamp}.xlsx")


def register_ledger_export(kind, *, totals_for=None, default=False):
    """Register the ledger as export `kind`, with `totals_for` giving its 合计 row."""

    def build(user, query, *, progress=None):
        return ledger_workbook(user, query, totals_for=totals_for, progress=progress)

    register_export(kind, rows=ledger_projects, build=build, default=default)
