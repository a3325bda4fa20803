"""Reads shared by pages, exports, API and reports."""

from decimal import Decimal

from django.db.models import Case, F, Q, When
from django.http import QueryDict

from registry import years
from registry.choices import Pool, Role
from registry.models import AnnualPlan, Land, Project
from registry.scoping import visible_projects


def money(value) -> Decimal:
    """Sums come back with driver-specific precision (SQLite); money has two places."""
    return (value or Decimal("0")).quantize(Decimal("0.01"))


def year_list(year, queryset=None, as_of=None):
    """Projects on year `year`'s list (SPEC §3.5, §3.8): the ONE membership rule.

    A project belongs to year Y's list iff it has an AnnualPlan for Y and is not
    soft-deleted; the plan row is its membership, dated. With `as_of` (a period's last day:
    month, quarter or year end) the list as it stood that day: admitted on or before it
    (`listed_on`, empty for 正式 from the list's start) and not withdrawn on or before it
    (`withdrawn_on`): a project withdrawn on 3 December still counts for November, one added
    on 3 December does not. Without `as_of`, the list as it stands now: pool not 退库.
    A deletion is not dated: a soft-deleted project leaves every period (it is a correction,
    never a list change). `Project.year` is only the year the project first entered the
    list; carried-over projects get an AnnualPlan for each later year they stay on it.
    A package (打包项目) has no plan of its own (its figures are the sums of its
    sub-projects, SPEC §3.1), so it is on the list iff one of its sub-projects is.
    Callers that sum money or progress restrict to leaves (`is_package=False`).
    """
    qs = Project.objects.all() if queryset is None else queryset
    plans = AnnualPlan.objects.filter(year=year)
    if as_of is not None:
        # Two date columns of the plan row itself: the subquery stays one scan of the
        # year's plans, as cheap as the undated one.
        plans = plans.filter(
            Q(listed_on__isnull=True) | Q(listed_on__lte=as_of),
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=as_of),
        )
    # A sub-project counts for its package only while it is itself on the list.
    live_children = plans.filter(project__package__isnull=False, project__is_deleted=False)
    if as_of is None:
        live_children = live_children.exclude(project__pool=Pool.WITHDRAWN)
    else:
        live_children = live_children.exclude(
            project__pool=Pool.WITHDRAWN, withdrawn_on__isnull=True
        )
    qs = qs.filter(
        # The project's own deletion and pool are checked below, on the outer row: joining
        # them again inside this subquery made PostgreSQL hash the whole city's plans with
        # their projects for every scoped list (35 ms of a county page at 20,000 projects).
        Q(pk__in=plans.values("project_id"))
        | Q(is_package=True, pk__in=live_children.values("project__package_id")),
        is_deleted=False,
    )
    if as_of is None:
        return qs.exclude(pool=Pool.WITHDRAWN)
    # A 退库 counts from its date; one without a date (made before dates were kept, or
    # written around the services) counts from the list's start, as it always did.
    return qs.filter(
        ~Q(pool=Pool.WITHDRAWN)
        | Q(pk__in=plans.filter(withdrawn_on__isnull=False).values("project_id"))
        | Q(
            is_package=True,
            pk__in=live_children.filter(withdrawn_on__isnull=False).values("project__package_id"),
        )
    )


def membership_between(year, since, until, queryset=None):
    """Projects on year `year`'s list on at least one day from `since` to `until` (a
    membership is one interval, so: admitted by `until`, not withdrawn by `since`): what
    judging several months at once loads before narrowing each month (`on_list`). Leaves
    only (packages are not judged); an undated 退库 counts from the start, as in year_list."""
    qs = Project.objects.all() if queryset is None else queryset
    plans = AnnualPlan.objects.filter(
        Q(listed_on__isnull=True) | Q(listed_on__lte=until),
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=since),
        year=year,
    )
    undated_out = Q(pool=Pool.WITHDRAWN) & ~Q(
        pk__in=plans.filter(withdrawn_on__isnull=False).values("project_id")
    )
    return qs.filter(pk__in=plans.values("project_id"), is_deleted=False).exclude(undated_out)


def on_list(listed_on, withdrawn_on, as_of) -> bool:
    """year_list's dated rule for one plan row already loaded (no query)."""
    return (listed_on is None or listed_on <= as_of) and (
        withdrawn_on is None or withdrawn_on > as_of
    )


# What a 待完善 project (imported from the published plan) still lacks: field, label.
COMPLETION_FIELDS = (("unit", "责任单位"), ("sector", "产业类别"))


def incomplete_projects(queryset=None):
    """Projects still to be completed on the web (待完善): no 责任单位 or no 产业类别."""
    qs = Project.objects.all() if queryset is None else queryset
    return qs.filter(Q(unit__isnull=True) | Q(sector=""))


def missing_fields(project) -> list[str]:
    """'责任单位', '产业类别' … that `project` still lacks (no query)."""
    if project.is_package:
        return []
    return [
        label
        for name, label in COMPLETION_FIELDS
        if not getattr(project, "unit_id" if name == "unit" else name)
    ]


def ledger_query(data, *, default_year: int | None = None):
    """The ledger list's and export's query: without a `year`, `default_year`'s list (the
    caller's period; by default the default period's year, SPEC §3.5); `year=` (empty)
    means all years."""
    query = data.copy() if data is not None else QueryDict(mutable=True)
    if "year" not in query:
        query["year"] = str(years.default_year() if default_year is None else default_year)
    return query


def project_list(*, user, year=None):
    """Visible projects with what list pages and exports show, in a fixed number of queries."""
    qs = visible_projects(user).select_related(
        "region", "region__parent", "unit", "leader", "package"
    )
    if year:
        qs = qs.filter(year=year)
    return qs.prefetch_related("programs")


def ledger_factors(projects):
    """The planned investments ({(project id, year): 万元}) and land areas ({project id: 亩})
    of the `projects` queryset (already scoped), in two queries at any size: the projects are
    a subquery, not a list of ids (which took a query per 900 projects to stay under SQLite's
    bound-parameter limit)."""
    ids = projects.values("pk")
    # order_by(): AnnualPlan's Meta.ordering would add a join to projects and a sort.
    plans = AnnualPlan.objects.filter(project__in=ids).order_by()
    lands = Land.objects.filter(project__in=ids).order_by()
    return (
        {(p, y): v for p, y, v in plans.values_list("project_id", "year", "planned_investment")},
        dict(lands.values_list("project_id", "required_area")),
    )


def project_detail(*, user):
    return (
        visible_projects(user)
        .select_related(
            "region", "region__parent", "unit", "leader", "package", "land", "relocation"
        )
        .prefetch_related(
            "programs",
            "fundings",
            "approvals",
            "documents",
            "annual_plans",
            "team_members",
            "assignments__leader",
            "assignments__unit",
            "sub_projects",
        )
    )


def county_of(prefix="region"):
    """Expression: the 县区 a row's region belongs to (a town rolls up to its county)."""
    return Case(
        When(**{f"{prefix}__level": "town"}, then=F(f"{prefix}__parent_id")),
        default=F(f"{prefix}_id"),
    )


def leader_projects(*, user, year):
    """ "My projects": the ones the user contracts as a 分包领导 (within their scope)."""
    leader = getattr(user, "leader", None) if user.is_authenticated else None
    try:
        leader_id = user.leader.pk if leader is not None else None
    except Exception:  # no linked Leader row
        leader_id = None
    if leader_id is None:
        return Project.objects.none()
    return (
        year_list(year, visible_projects(user))
        .filter(leader_id=leader_id)
        .select_related("region", "unit")
        .order_by("code")
    )


MY_PROJECTS_SHOWN = 50  # the home page lists this many; the ledger list has them all


def leader_home_projects(*, user, year) -> dict:
    """The leader's 我包保的项目 card: the first rows, the count, where to see them all."""
    from registry.roles import has_role

    projects = leader_projects(user=user, year=year)
    leader_id = (
        getattr(getattr(user, "leader", None), "pk", None) if user.is_authenticated else None
    )
    return {
        "rows": list(projects[:MY_PROJECTS_SHOWN]),
        "count": projects.count(),
        "leader_id": leader_id,
        "is_leader": has_role(user, Role.LEADER),
    }


def pool_history(project) -> list[dict]:
    """The project's pool changes (项目库: 正式/增补/退库), newest first: when, who, from, to and
    the reason, read from its audited versions (simple-history); the first version is how it
    entered the list."""
    from registry.choices import Pool
    from registry.roles import person_name

    labels = dict(Pool.choices)
    # Insertion order: a clock moved back (tests, imports dated by their run) cannot reorder it.
    versions = project.history.order_by("history_id").select_related("history_user")
    rows, before = [], None
    for v in versions:
        if v.history_type == "+" or (before is not None and v.pool != before):
            rows.append(
                {
                    "when": v.history_date,
                    "who": person_name(v.history_user) if v.history_user else "系统",
                    "from": labels.get(before, "") if v.history_type != "+" else "",
                    "to": labels.get(v.pool, v.pool),
                    "reason": (v.pool_reason if v.pool != Pool.LISTED else "")
                    or v.history_change_reason
                    or "",
                }
            )
        before = v.pool
    return rows[::-1]
