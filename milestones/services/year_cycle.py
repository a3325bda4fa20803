"""Starting next year's list from this year's (年度滚动, SPEC §3.5): preview, then apply.

Continuing projects (not yet 竣工/投产/达产) carry over with their identity, 五个一, factors,
milestones, problems and history: they get an AnnualPlan for the new year (its amount 0
until the new ledger is imported or the plan entered on the web) whose 至上年底累计完成投资 is
the cumulative approved at the end of the old year: the old year's 至上年底累计 plus the
old year's approved year-to-date (milestones.selectors.approved_ytd, which the figures use). Finished and
withdrawn projects get no new plan: they leave the new list and stay searchable.
A package carries over when one of its sub-projects does (it has no plan of its own).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.signals import batched_changes
from milestones.completeness import missing_for_year
from milestones.selectors import approved_ytd
from registry.choices import Nature, Pool, Stage
from registry.confirmations import ConfirmationNeededError
from registry.models import AnnualPlan, ListYear, Project
from registry.scoping import is_city_level, visible_projects
from registry.selectors import year_list

FINISHED = (Stage.COMPLETED, Stage.OPERATING, Stage.CAPACITY)
ZERO = Decimal("0.00")


@dataclass
class Carried:
    project: Project
    before_old: Decimal  # 至上年底累计 of the old year
    ytd: Decimal  # approved year-to-date at the old year's end
    before_new: Decimal  # 至上年底累计 of the new year
    old_plan: AnnualPlan | None = None

    @property
    def nature_after(self) -> str:
        # A project that started is 续建 in any later list.
        if self.project.started_on and self.project.nature != Nature.CONTINUING:
            return Nature.CONTINUING
        return self.project.nature


@dataclass
class Leaving:
    project: Project
    reason: str


@dataclass
class CyclePreview:
    from_year: int
    to_year: int
    carried: list[Carried] = field(default_factory=list)
    leaving: list[Leaving] = field(default_factory=list)
    packages: list[Project] = field(default_factory=list)  # packages carried over
    already: bool = False  # the new year's list has been started before

    @property
    def before_total(self) -> Decimal:
        return sum((c.before_new for c in self.carried), ZERO)


def missing(year: int) -> list[str]:
    """Chinese lines naming what `year` still lacks (unclosed months, unreported projects)."""
    return missing_for_year(year)


def _check_authority(user):
    if not is_city_level(user):
        raise ValidationError("只有市级审核员或系统管理员可以生成新年度名单")


def _finished(project: Project, year: int) -> str:
    if project.stage in FINISHED:
        return f"已{project.get_stage_display()}"
    if project.completed_on and project.completed_on <= datetime.date(year, 12, 31):
        return f"{project.completed_on:%Y-%m-%d}竣工"
    return ""


def preview(*, from_year: int, user) -> CyclePreview:
    """What starting `from_year + 1` would do; writes nothing."""
    _check_authority(user)
    result = CyclePreview(from_year=from_year, to_year=from_year + 1)
    result.already = ListYear.objects.filter(year=result.to_year, started_at__isnull=False).exists()
    listed = year_list(from_year, visible_projects(user))
    leaves = listed.filter(is_package=False).select_related("region", "unit", "package")
    done_by = approved_ytd(year=from_year, month=12, project_ids=leaves.values("pk"))
    plans = {a.project_id: a for a in AnnualPlan.objects.filter(year=from_year, project__in=leaves)}
    carried_packages = set()
    for p in leaves.order_by("code"):
        reason = _finished(p, from_year)
        if reason:
            result.leaving.append(Leaving(p, reason))
            continue
        plan = plans.get(p.pk)
        before = (
            plan.invested_before_year if plan and plan.invested_before_year is not None else None
        )
        before = p.invested_before_year if before is None else before
        done = done_by[p.pk].amount if p.pk in done_by else ZERO
        result.carried.append(Carried(p, before, done, before + done, plan))
        if p.package_id:
            carried_packages.add(p.package_id)
    withdrawn = visible_projects(user).filter(
        pool=Pool.WITHDRAWN, annual_plans__year=from_year, is_package=False
    )
    for p in withdrawn.select_related("region", "unit").order_by("code"):
        result.leaving.append(Leaving(p, f"退库：{p.pool_reason}"))
    result.packages = list(Project.objects.filter(pk__in=carried_packages).order_by("code"))
    return result


@transaction.atomic
def apply(*, from_year: int, user, confirmed: bool = False) -> CyclePreview:
    """Start `from_year + 1`'s list as `preview` shows it. Refused when already started;
    ConfirmationNeededError while `from_year` has unclosed or unreported months, unless confirmed."""
    with batched_changes():  # one refresh of the figures' rows, not one per project saved
        return _apply(from_year=from_year, user=user, confirmed=confirmed)


def _apply(*, from_year: int, user, confirmed: bool) -> CyclePreview:
    _check_authority(user)
    if not confirmed:
        lines = missing(from_year)
        if lines:
            raise ConfirmationNeededError(lines, f"生成{from_year + 1}年度名单")
    to_year = from_year + 1
    row, _ = ListYear.objects.select_for_update().get_or_create(year=to_year)
    if row.started_at is not None:
        raise ValidationError(
            f"{to_year}年度名单已于{timezone.localtime(row.started_at):%Y-%m-%d}生成，不能重复生成"
        )
    result = preview(from_year=from_year, user=user)
    existing = set(AnnualPlan.objects.filter(year=to_year).values_list("project_id", flat=True))
    new_plans = []
    for c in result.carried:
        p = c.project
        if p.pk not in existing:
            new_plans.append(
                AnnualPlan(
                    project=p,
                    year=to_year,
                    planned_investment=ZERO,
                    invested_before_year=c.before_new,
                )
            )
        _carry_project(p, c, user=user, to_year=to_year)
    _save_plans(new_plans, user=user)
    # The old year keeps its own 至上年底累计 (its December reports may still come in).
    pinned = []
    for c in result.carried:
        if c.old_plan is not None and c.old_plan.invested_before_year is None:
            c.old_plan.invested_before_year = c.before_old
            pinned.append(c.old_plan)
    AnnualPlan.objects.bulk_update(pinned, ["invested_before_year"])
    row.started_from, row.started_by, row.started_at = from_year, user, timezone.now()
    row.save()
    return result


def _carry_project(project: Project, carried: Carried, *, user, to_year: int):
    """The project's own 至上年底累计 and nature now speak of the new year (audited)."""
    changed = []
    if project.invested_before_year != carried.before_new:
        project.invested_before_year = carried.before_new
        changed.append("invested_before_year")
    if carried.nature_after != project.nature:
        project.nature = carried.nature_after
        changed.append("nature")
    if project.pool == Pool.ADDED:
        project.pool = Pool.LISTED  # 增补 last year, on the list from the start this year
        changed.append("pool")
    if not changed:
        return
    project.version += 1
    project._history_user = user
    project._change_reason = f"{to_year}年度名单生成（年度滚动）"
    project.save(update_fields=[*changed, "version", "updated_at"])


def _save_plans(plans, *, user):
    for plan in plans:
        plan._history_user = user
        plan._change_reason = "年度滚动：新年度计划待填报"
        plan.save()
