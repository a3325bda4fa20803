"""Build one report run's workbook: pick the scope and period, write the sheets to a file.

Every figure comes from assessments; this module only decides which projects (the run's
region, or the whole city, on the period's year list) and which month.
"""

import os
import tempfile
from dataclasses import dataclass, field

from assessments import metrics, summary
from assessments.scoring import scores, subject
from core.excel.workbook import Workbook
from core.periods import Period, as_of, month_end, parse_period
from registry.models import Project, Region
from registry.selectors import year_list
from reports.models import ReportKind, ReportRun
from reports.sheets.four_compare import write_four_compare
from reports.sheets.monthly import write_monthly
from reports.sheets.ranking import write_scores
from reports.sheets.yearly import write_yearly

PERIOD_KIND = {
    ReportKind.MONTHLY: ("month",),
    ReportKind.QUARTERLY: ("quarter",),
    ReportKind.YEARLY: ("year",),
}


def city_name() -> str:
    city = Region.objects.filter(parent__isnull=True).order_by("code").first()
    return city.name if city else ""


def scope_projects(region: Region | None, year: int, month: int | None = None):
    """The year's list as it stood at `month`'s end (SPEC §3.8; without a month, as it
    stands now), within `region` (its towns included) or the whole city."""
    base = Project.objects.all()
    if region is not None:
        base = base.filter(region__path__startswith=region.path)
    return year_list(year, base, as_of=month_end(year, month) if month else None)


@dataclass
class Context:
    run: ReportRun
    period: Period
    place: str
    projects: object
    year: int
    month: int
    dash: metrics.Dashboard = None
    leaves: list = field(default_factory=list)
    summary_text: str = ""
    ranking_text: str = ""

    @property
    def as_of(self):
        return as_of(self.year, self.month)  # today, while the month runs (SPEC §3.8)

    def title(self, sheet: str) -> str:
        name = self.run.get_kind_display()
        return f"{self.place}重点建设项目{name}（{self.period.label}）— {sheet}"


def make_context(run: ReportRun) -> Context:
    period = parse_period(run.period, allow=PERIOD_KIND[run.kind])
    year, month = period.year, period.last_month
    place = run.region.name if run.region_id else city_name()
    projects = scope_projects(run.region, year, month)
    ctx = Context(run, period, place, projects, year, month)
    ctx.leaves = metrics.load_leaves(projects, year, month)
    ctx.dash = metrics.dashboard(projects, year, month)
    ctx.summary_text = summary.bulletin_text(
        projects, year, month, last_year_projects=scope_projects(run.region, year - 1, month)
    ).text
    if run.kind != ReportKind.MONTHLY:
        rows = scores(projects, period, by="region")
        what = subject(projects, period, "region")
        ctx.ranking_text = "".join(summary.ranking_sentences(rows, period.label, what))
    return ctx


def file_name(run: ReportRun, place: str) -> str:
    return f"{place}重点项目{run.get_kind_display()}_{run.period}.xlsx"


def build_workbook(run: ReportRun) -> tuple[str, str]:
    """Write the run's workbook to a temporary file; returns (path, download name)."""
    ctx = make_context(run)
    fd, path = tempfile.mkstemp(prefix="report-", suffix=".xlsx")
    os.close(fd)
    try:
        wb = Workbook(path)
        if run.kind == ReportKind.YEARLY:
            write_yearly(wb, ctx)
        else:
            write_monthly(wb, ctx)
            if run.kind == ReportKind.QUARTERLY:
                write_scores(wb, ctx, "排名")
                write_four_compare(wb, ctx)
        wb.close()
    except BaseException:
        os.unlink(path)  # the caller only cleans up a path it was given
        raise
    return path, file_name(run, ctx.place)
