"""The pipeline page (/pipeline/): counts and amounts by stage and band per county against
target, conversion with median months, the pool over time (ECharts), its Excel export; and
the city's targets."""

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.excel import workbook
from pipeline.forms import TargetForm
from pipeline.models import PipelineTarget
from pipeline.selectors import COLUMN_LABELS, COLUMNS, bands, overview
from pipeline.services import targets_save
from pipeline.views.common import resolved_period, xlsx_response
from registry.choices import RegionLevel
from registry.models import Region
from registry.scoping import is_city_level, visible_regions
from registry.views.mixins import role_required


def _region(request):
    """The county asked for: None for the whole scope; one outside the user's regions gives
    an empty page (its existence is not revealed)."""
    raw = request.GET.get("region") or ""
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise BadRequest("谋划地区：请选择有效的地区")
    return visible_regions(request.user).filter(pk=int(raw)).first() or Region(path="/-/")


def _figures(request):
    resolved = resolved_period(request)
    region = _region(request)
    data = overview(request.user, day=resolved.as_of, region=region)
    return resolved, region, data


def _chart(data):
    """What the charts draw, as plain data (json_script escapes it; the script escapes
    every text it puts into a tooltip)."""
    list_url = reverse("pipeline:list")
    counties = [r for r in data.rows[:-1] if r.region is not None]
    return {
        "counties": [r.name for r in counties],
        "links": [f"{list_url}?region={r.region.pk}" for r in counties],
        "stages": [{"key": c, "name": COLUMN_LABELS[c],
                    "counts": [r.stages[c].count for r in counties]} for c in COLUMNS],
        "list_url": list_url,
        "timeline": {
            "days": [d.isoformat() for d, _a, _t in data.timeline],
            "pool": [float(a) / 10000 for _d, a, _t in data.timeline],
            "target": [float(t) / 10000 for _d, _a, t in data.timeline],
        },
    }  # fmt: skip


@require_GET
@role_required()
def overview_page(request):
    resolved, region, data = _figures(request)
    return render(
        request,
        "pipeline/overview.html",
        {
            "resolved": resolved,
            "data": data,
            "columns": [(c, COLUMN_LABELS[c]) for c in COLUMNS],
            "chart": _chart(data),
            "regions": visible_regions(request.user).filter(level=RegionLevel.COUNTY),
            "region": region if region and region.pk else None,
            "city_level": is_city_level(request.user),
            "months": range(1, 13),
        },
    )


@require_GET
@role_required()
def overview_export(request):
    resolved, _region_, data = _figures(request)
    headers = ["县区"]
    for _c, label in [(c, COLUMN_LABELS[c]) for c in COLUMNS]:
        headers += [f"{label}(个)", f"{label}(万元)"]
    headers += [
        "在库合计(个)",
        "在库合计(万元)",
        "目标(个)",
        "目标(万元)",
        "数量完成(%)",
        "金额完成(%)",
    ]
    rows = []
    for r in data.rows:
        row = [r.name]
        for c in COLUMNS:
            row += [r.stages[c].count, r.stages[c].amount]
        row += [r.pool.count, r.pool.amount, r.target.count, r.target.amount,
                r.count_rate, r.amount_rate]  # fmt: skip
        rows.append(row)
    money = [2 + 2 * i for i in range(len(COLUMNS))] + [2 + 2 * len(COLUMNS), 4 + 2 * len(COLUMNS)]
    data_bytes = workbook.table(
        title=f"项目谋划储备情况（截至{resolved.as_of:%Y年%m月%d日}）",
        sheet="谋划储备", headers=headers, rows=rows, money_columns=money,
    )  # fmt: skip
    return xlsx_response(data_bytes, "项目谋划储备")


@role_required()
def targets_page(request):
    if not is_city_level(request.user):
        raise PermissionDenied("只有市级审核员可以设置谋划储备目标")
    raw = request.GET.get("year") or str(timezone.localdate().year)
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise BadRequest("年度：请填写2000—2100之间的年份")
    year = int(raw)
    counties = list(visible_regions(request.user).filter(level=RegionLevel.COUNTY).order_by("code"))
    band_list = bands()
    targets = {(t.region_id, t.band_id): t for t in PipelineTarget.objects.filter(year=year)}
    data = request.POST if request.method == "POST" else None
    form = TargetForm(data, counties=counties, bands=band_list, targets=targets)
    if request.method == "POST" and form.is_valid():
        changed = targets_save(year=year, values=form.values(), user=request.user)
        messages.success(request, f"{year}年谋划储备目标已保存（{changed}项有变化）")
        return redirect(f"{reverse('pipeline:targets')}?year={year}")
    return render(
        request, "pipeline/targets.html", {"form": form, "bands": band_list, "year": year}
    )
