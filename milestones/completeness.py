"""What a year still lacks (SPEC §3.8): months whose 调度期 has not closed, and projects that
have not reported a closed month. The yearly appraisal and starting next year's list ask for
a confirmation naming these ("2026年12月尚未截止；永丰县11月有3个项目未报").

Here because the reports and the reporting windows are this app's data; the year cycle
(milestones/services/year_cycle.py) and the yearly appraisal and reports call it.
"""

from django.db.models import Count
from django.utils import timezone

from milestones.models import ProgressReport
from milestones.periods import closed_months
from milestones.selectors import OWED_STATUSES
from registry.models import Project, Region
from registry.selectors import year_list

MAX_LINES = 12


def _spans(months: list[int]) -> list[str]:
    """[7, 8, 9, 12] → ["7-9月", "12月"]."""
    out, start = [], None
    for i, m in enumerate(months):
        start = m if start is None else start
        if i + 1 == len(months) or months[i + 1] != m + 1:
            out.append(f"{start}月" if start == m else f"{start}-{m}月")
            start = None
    return out


def _county_names() -> dict[str, str]:
    """Region path → the name of the 县区 it lies in (a town's county; the city itself)."""
    regions = list(Region.objects.only("path", "name", "parent_id"))
    by_path = {r.path: r for r in regions}
    names = {}
    for r in regions:
        parts = r.path.strip("/").split("/")
        top = "/" + "/".join(parts[:2]) + "/" if len(parts) >= 2 else r.path
        names[r.path] = by_path[top].name if top in by_path else r.name
    return names


def unreported(year: int, month: int) -> list[tuple[str, int]]:
    """(县区, number of projects) that have not submitted `month`'s report, by county."""
    leaves = year_list(year, Project.objects.all()).filter(is_package=False)
    done = ProgressReport.objects.filter(year=year, month=month).exclude(status__in=OWED_STATUSES)
    rows = (
        leaves.exclude(pk__in=done.values("project_id"))
        .order_by()
        .values("region__path")
        .annotate(n=Count("pk"))
    )
    names, counts = _county_names(), {}
    for row in rows:
        name = names.get(row["region__path"], "")
        counts[name] = counts.get(name, 0) + row["n"]
    return sorted(counts.items())


def missing_for_year(year: int, through_month: int = 12, today=None) -> list[str]:
    """What January to `through_month` of `year` still lack, one line each, in Chinese;
    an empty list when every month is closed and reported."""
    today = today or timezone.localdate()
    months = range(1, through_month + 1)
    closed = closed_months(year, today)  # the one period rule (milestones.periods)
    open_months = [m for m in months if m not in closed]
    lines = [f"{year}年{span}尚未截止" for span in _spans(open_months)]
    for month in months:
        if month in open_months:
            continue
        lines += [f"{county}{month}月有{n}个项目未报" for county, n in unreported(year, month)]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES] + [f"……（共{len(lines)}处）"]
    return lines
