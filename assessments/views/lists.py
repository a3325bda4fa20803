"""预警项目, 滞后项目, 应开未开, 节点逾期, 问题逾期, 应入统未入统: scoped, filtered,
exportable to xlsx."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments import lists, metrics, selectors
from assessments.choices import STATUS_COLOUR
from assessments.filtersets import JudgementFilterSet
from assessments.lists import LISTS
from assessments.views.common import (
    bad_request_page,
    period_from,
    picker,
    stamp,
    xlsx_response,
    year_from,
)
from core.cache import CachedPagePaginator
from registry.excel import writer
from registry.models import Project
from registry.views.mixins import querystring, role_required

BASE_HEADERS = ["项目编号", "项目名称", "所属地区", "责任单位", "分包领导"]


def _context(request, kind):
    spec = LISTS.get(kind)
    if spec is None:
        raise Http404("没有这个清单")
    period = period_from(request)
    year, month, as_of = period.year, period.month, period.as_of
    projects = metrics.scoped_projects(request.user, year, request.GET, as_of=as_of)
    items, to_rows = spec.source(projects, year, month, as_of)
    return spec, period, items, to_rows


@require_GET
@role_required()
@bad_request_page
def judgement_list(request, kind):
    spec, period, items, to_rows = _context(request, kind)
    year, month, as_of = period.year, period.month, period.as_of
    data = request.GET.copy()
    data.setdefault("year", str(year))
    data.setdefault("month", str(month))
    filterset = JudgementFilterSet(data, queryset=Project.objects.none(), user=request.user)
    # Stored statuses change only with the figure generation (assess bumps it): the total
    # and each page's rows are kept per generation, the rows read fresh by id.
    page = CachedPagePaginator(items, 50).get_page(request.GET.get("page"))
    total = page.paginator.count
    projects_count = lists.project_count(kind, items, total)
    return render(
        request,
        "assessments/judgement_list.html",
        {
            "kind": kind,
            "spec": spec,
            "year": year,
            "month": month,
            "as_of": as_of,
            "picker": picker(request, period),
            "picker_fields": ["year", "month"],
            "filter": filterset,
            "page_obj": page,
            "rows": to_rows(page.object_list),
            "colours": STATUS_COLOUR,
            "total_count": total,
            "projects_count": projects_count,
            "headers": BASE_HEADERS + list(spec.headers),
            "querystring": querystring(request),
        },
    )


@require_GET
@role_required()
@bad_request_page
def judgement_export(request, kind):
    spec, period, items, to_rows = _context(request, kind)
    year, month, as_of = period.year, period.month, period.as_of
    rows = to_rows(items)
    when = period.label if not spec.live else f"截至{as_of:%Y-%m-%d}"
    when += f" {period.state}" if period.provisional else ""
    data = writer.write_table(
        title=f"{spec.title}（{when}，共{len(rows)}条）",
        sheet=spec.title,
        headers=[*BASE_HEADERS, *spec.headers, "原因"],
        rows=[_export_row(r) for r in rows],
        widths={0: 16, 1: 36, 2: 12, 3: 24, 4: 10, len(BASE_HEADERS) + len(spec.headers): 70},
    )
    return xlsx_response(data, f"{spec.title}-{year}-{month:02d}-{stamp()}.xlsx")


def _export_row(row):
    p = row.project
    leader = p.leader.name if p.leader_id else ""
    unit = p.unit.name if p.unit_id else ""
    return [p.code, p.name, p.region.name, unit, leader, *row.cells, row.reason]


@require_GET
@role_required()
def project_strip(request, pk):
    """The detail page's status strip (loaded by htmx: registry cannot import this app)."""
    from django.shortcuts import get_object_or_404

    from registry.scoping import visible_projects

    project = get_object_or_404(visible_projects(request.user), pk=pk)
    year = year_from(request)
    strip = selectors.project_strip(project, year)
    latest = project.month_statuses.filter(year=year).order_by("-month").first()
    return render(
        request,
        "assessments/_strip.html",
        {"project": project, "year": year, "strip": strip, "latest": latest},
    )
