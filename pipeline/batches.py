"""集中开工 batches (SPEC §3.9): create, the generated sentence, and whether each project
really started (within 30 days of the batch, later, or not yet)."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from pipeline.choices import BatchFollow
from pipeline.models import StartBatch
from registry.choices import Category, RegionLevel, Role
from registry.models import AnnualPlan
from registry.roles import has_role
from registry.scoping import covers_whole_city, visible_projects, visible_regions

ON_TIME_DAYS = 30
TENTH = Decimal("0.1")
YI = Decimal(10000)


def visible_batches(user, queryset=None):
    """City batches for every role; a county's batch for users whose region subtree holds
    it (a unit's clerk, who has no region, sees the city's)."""
    qs = StartBatch.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    inside = Q(region__isnull=True) | Q(region__in=visible_regions(user))
    return qs.filter(inside).select_related("region")


def yi(amount: Decimal) -> Decimal:
    """万元 → 亿元 to one decimal, as bulletins print it."""
    return (Decimal(amount) / YI).quantize(TENTH, ROUND_HALF_UP)


@dataclass
class Totals:
    count: int
    total: Decimal  # 万元
    plan: Decimal  # 万元, annual plan of the batch's year
    categories: list  # labels, largest total investment first


def totals(batch: StartBatch) -> Totals:
    projects = batch.projects.all()
    agg = projects.aggregate(total=Sum("total_investment"))
    plan = AnnualPlan.objects.filter(project__in=projects, year=batch.held_on.year).aggregate(
        s=Sum("planned_investment")
    )["s"]
    by_category = (
        projects.order_by()
        .values("category")
        .annotate(s=Sum("total_investment"))
        .order_by("-s", "category")
    )
    labels = dict(Category.choices)
    return Totals(
        count=projects.count(),
        total=agg["total"] or Decimal(0),
        plan=plan or Decimal(0),
        categories=[labels.get(r["category"], r["category"]) for r in by_category],
    )


def scope_word(batch: StartBatch) -> str:
    if batch.region is None or batch.region.level == RegionLevel.CITY:
        return "全市"
    return batch.region.name


def sentence(batch: StartBatch, t: Totals | None = None) -> str:
    """ "N月N日，全市集中开工项目N项，投资总额X亿元，年度计划投资Y亿元，涵盖…等领域"."""
    t = t or totals(batch)
    text = (
        f"{batch.held_on.month}月{batch.held_on.day}日，{scope_word(batch)}集中开工项目{t.count}项，"
        f"投资总额{yi(t.total)}亿元，年度计划投资{yi(t.plan)}亿元"
    )
    if t.categories:
        text += f"，涵盖{'、'.join(t.categories)}等领域"
    return text + "。"


def follow(started_on, held_on, today) -> str:
    """按期开工 within 30 days of the batch, 延后开工 after, 尚未开工 once the 30 days are
    over without a start, 未到期 while they still run (nothing judged as of a future day)."""
    due = held_on + datetime.timedelta(days=ON_TIME_DAYS)
    if started_on and started_on <= today:
        return BatchFollow.ON_TIME if started_on <= due else BatchFollow.LATE
    return BatchFollow.PENDING if today > due else BatchFollow.WAITING


def follow_rows(batch: StartBatch, user, today=None) -> list:
    """(project, follow value) of the batch's projects the user may see."""
    today = today or timezone.localdate()
    projects = visible_projects(user, batch.projects.all()).select_related("region")
    return [(p, follow(p.started_on, batch.held_on, today)) for p in projects.order_by("code")]


def follow_counts(rows) -> dict:
    counts = {value: 0 for value in BatchFollow.values}
    for _p, value in rows:
        counts[value] += 1
    return counts


def _check_scope(user, region):
    if not has_role(user, Role.REVIEWER, Role.ADMIN):
        raise PermissionDenied("只有审核员可以组织集中开工")
    if region is None and not covers_whole_city(user):
        raise ValidationError({"region": "全市集中开工只能由市级审核员创建，请选择本县区"})
    if region is not None and not visible_regions(user).filter(pk=region.pk).exists():
        raise ValidationError({"region": "所选范围不在您的辖区内"})


@transaction.atomic
def batch_save(*, user, data: dict, projects, batch: StartBatch | None = None) -> StartBatch:
    """Create or change a batch; its projects must be on the list of the batch's year, in
    the batch's scope and visible to the user."""
    region = data.get("region")
    _check_scope(user, region)
    held_on = data["held_on"]
    allowed = visible_projects(user)
    if region is not None:
        allowed = allowed.filter(region__path__startswith=region.path)
    chosen = list(projects)
    ok = set(
        allowed.filter(pk__in=[p.pk for p in chosen], annual_plans__year=held_on.year).values_list(
            "pk", flat=True
        )
    )
    outside = [p.name for p in chosen if p.pk not in ok]
    if outside:
        raise ValidationError(
            {"projects": f"不在本批次范围或{held_on.year}年名单内：{'、'.join(outside[:5])}"}
        )
    batch = batch or StartBatch(created_by=user)
    for key in ("name", "held_on", "region", "note"):
        if key in data:
            setattr(batch, key, data[key])
    batch.full_clean()
    batch._history_user = user
    batch.save()
    batch.projects.set(chosen)
    return batch


def latest_batch(user):
    """The latest batch the user may see, with its sentence and follow-up counts, for the
    dashboard; None when there is none."""
    batch = visible_batches(user).filter(held_on__lte=timezone.localdate()).first()
    if batch is None:
        return None
    rows = follow_rows(batch, user)
    return {"batch": batch, "sentence": sentence(batch), "counts": follow_counts(rows)}
