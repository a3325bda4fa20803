"""The monthly fact table (ProjectMonth): built, refreshed for some projects, rebuilt.

One row per leaf project, list year (its AnnualPlan) and month, holding what every figure
reads, so a city's figures are one scan of one month's rows and a trend one GROUP BY. The
same function builds the rows of a few projects (a service changed them) and of the whole
city (the rebuild, the seed): a fixed number of queries either way, then one COPY.

Refreshing is "delete the projects' rows, insert them again": no row is patched in place,
so a maintained table can only differ from a rebuilt one if a write path forgot to call
`refresh` (the randomised test in assessments/tests/test_project_months.py checks that).
"""

from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from assessments.models import ProjectMonth, ProjectMonthStatus
from core.bulk import fast_insert
from milestones.choices import ReportStatus
from milestones.models import ProgressReport
from registry.models import MONTH_FIELDS, AnnualPlan, Project
from registry.selectors import county_of

ZERO = Decimal("0.00")
MONTHS = range(1, 13)

_PROJECT_FIELDS = (
    "pk", "package_id", "package__level", "package__nature", "package__region_id",
    "package_county_id", "region_id", "county_id", "unit_id", "leader_id", "nature", "level",
    "category", "total_investment", "planned_start", "started_on", "completed_on",
)  # fmt: skip
_PLAN_FIELDS = (
    "project_id", "year", "planned_investment", "plan_start", "plan_finish", "target_start",
    "listed_on", "withdrawn_on", *MONTH_FIELDS,
)  # fmt: skip


def _narrow(qs, field, ids):
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def _load(project_ids, years):
    """The inputs of the rows of `project_ids` (None: every leaf) for `years` (None: all)."""
    plans = AnnualPlan.objects.filter(project__is_package=False)
    plans = _narrow(_narrow(plans, "project_id", project_ids), "year", years)
    plan_rows = list(plans.order_by("project_id", "year").values(*_PLAN_FIELDS))
    ids = plans.values("project_id")
    projects = {
        p["pk"]: p
        for p in Project.all_objects.filter(pk__in=ids)
        .annotate(county_id=county_of(), package_county_id=county_of("package__region"))
        .values(*_PROJECT_FIELDS)
    }
    reports = defaultdict(dict)
    for r in _narrow(ProgressReport.objects.filter(project_id__in=ids), "year", years).values_list(
        "project_id", "year", "month", "status", "invested_ytd", "invested_month", "is_resumed"
    ):
        reports[r[0], r[1]][r[2]] = r[3:]
    statuses = {}
    judged = _narrow(ProjectMonthStatus.objects.filter(project_id__in=ids), "year", years)
    for s in judged.values_list("project_id", "year", "month", "status"):
        statuses[s[:3]] = s[3]
    return plan_rows, projects, reports, statuses


def _rows(plan_rows, projects, reports, statuses):
    """Twelve dicts per plan row (no query: it may feed a COPY)."""
    for a in plan_rows:
        p = projects[a["project_id"]]
        key = (a["project_id"], a["year"])
        base = _base(p, a)
        filed = reports.get(key, {})
        ytd, ytd_month, resumed = ZERO, 0, False
        for month in MONTHS:
            report = filed.get(month)
            # Only finally approved data counts (SPEC §3.6): the latest approved figure.
            approved = report is not None and report[0] == ReportStatus.APPROVED
            if approved:
                ytd, ytd_month, resumed = report[1], month, resumed or report[3]
            yield base | {
                "month": month,
                "plan_cum": a[MONTH_FIELDS[month - 1]],
                "plan_prev": a[MONTH_FIELDS[month - 2]] if month > 1 else ZERO,
                "report_status": report[0] if report is not None else "",
                "ytd": ytd,
                "ytd_month": ytd_month,
                "this_month": report[2] if approved else None,
                "resumed": resumed,
                "status": statuses.get((*key, month), ""),
            }


def _base(p, a) -> dict:
    return {
        "project_id": p["pk"],
        "year": a["year"],
        "top_id": p["package_id"] or p["pk"],
        "region_id": p["region_id"],
        "county_id": p["county_id"],
        "top_region_id": p["package__region_id"] or p["region_id"],
        "top_county_id": p["package_county_id"] or p["county_id"],
        "unit_id": p["unit_id"],
        "leader_id": p["leader_id"],
        "level": p["level"],
        "top_level": p["package__level"] or p["level"],
        "nature": p["nature"],
        "top_nature": p["package__nature"] or p["nature"],
        "category": p["category"],
        "total_investment": p["total_investment"],
        "plan": a["planned_investment"],
        "plan_start": a["plan_start"],
        "plan_finish": a["plan_finish"],
        # The year's target start date, when the plan gives one, is what "due" means.
        "due_start": a["target_start"] or p["planned_start"],
        "listed_on": a["listed_on"],
        "withdrawn_on": a["withdrawn_on"],
        "started_on": p["started_on"],
        "completed_on": p["completed_on"],
    }


@transaction.atomic
def refresh(project_ids=None, years=None) -> int:
    """Rebuild the rows of `project_ids` (a package's id stands for its sub-projects) for
    `years`; None: all. Returns the number of rows written."""
    if project_ids is not None:
        project_ids = set(project_ids)
        if not project_ids:
            return 0
        project_ids |= set(
            Project.all_objects.filter(package_id__in=project_ids).values_list("pk", flat=True)
        )
        project_ids = sorted(project_ids)
    stale = _narrow(_narrow(ProjectMonth.objects.all(), "project_id", project_ids), "year", years)
    stale.delete()  # nothing refers to these rows: one DELETE
    # The queries run before the COPY below holds the connection.
    loaded = _load(project_ids, years)
    return fast_insert(ProjectMonth, _rows(*loaded))


def rebuild() -> int:
    """The whole table from scratch (then its statistics, for the planner's sake: a fresh
    table without them is read with plans tens of times slower)."""
    rows = refresh()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {ProjectMonth._meta.db_table}")
    return rows


def copy_statuses(year: int, months, project_ids=None) -> None:
    """The stored judgements of `months` (ProjectMonthStatus, just written by assess) into
    their fact rows: two UPDATEs for a whole month (a city's 20,000 rows each), or one
    correlated UPDATE for a few projects."""
    months = list(months)
    rows = ProjectMonth.objects.filter(year=year, month__in=months)
    if project_ids is not None:
        judged = ProjectMonthStatus.objects.filter(
            project_id=OuterRef("project_id"), year=OuterRef("year"), month=OuterRef("month")
        ).values("status")[:1]
        rows.filter(project_id__in=project_ids).update(status=Coalesce(Subquery(judged), Value("")))
        return
    rows.update(status="")
    pm, pms = ProjectMonth._meta.db_table, ProjectMonthStatus._meta.db_table
    marks = ", ".join(["%s"] * len(months))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {pm} SET status = s.status FROM {pms} s "  # noqa: S608 - table names
            f"WHERE s.project_id = {pm}.project_id AND s.year = {pm}.year "
            f"AND s.month = {pm}.month AND {pm}.year = %s AND {pm}.month IN ({marks})",
            [year, *months],
        )


def differences(limit=20) -> list:
    """Rows in which the table differs from a fresh build (empty when they agree): what the
    rebuild command's --check and the tests compare."""
    fields = [f.attname for f in ProjectMonth._meta.concrete_fields if not f.primary_key]
    have = set(ProjectMonth.objects.values_list(*fields))
    want = {tuple(row[f] for f in fields) for row in _rows(*_load(None, None))}
    return sorted(have ^ want, key=repr)[:limit]


def in_scope(projects, year: int) -> Q:
    """Rows of `projects`' leaves for `year`."""
    return Q(year=year, project_id__in=projects.filter(is_package=False).values("pk"))
