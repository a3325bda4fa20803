"""Last year's list of the demo city (closed), so the year cycle (SPEC §3.5) can be seen.

A project is in year Y's list iff it has an AnnualPlan for Y (not soft-deleted, not 退库):
- carried over: every project of this year's list that started before this year also has a
  plan for last year. The demo's closed year completed exactly its plan, so last year's
  至上年底累计 is this year's minus last year's plan, and this year's 至上年底累计 equals the
  cumulative approved at the end of last year (milestones/demo.py reports it so);
- finished last year: about four projects in ten of this year's count, 竣工 (industry: 投产)
  during last year, with only last year's plan; they left this year's list.

So last year's list is about this year's size (a real list renews a third to a half of itself
every year) and its money of the same order: its 同比 reads like a real bulletin's, not as a
list a quarter the size (SPEC §3.8 adds 同口径 only where the sizes differ by a fifth).
"""

import datetime
from decimal import Decimal

from registry.choices import Category, Nature, Pool, Stage
from registry.demo import lifecycle
from registry.models import MONTH_FIELDS, Project

FINISHED_SHARE = Decimal("0.4")


def carried_over_plans(rng, rows, year: int) -> list[dict]:
    """Last year's AnnualPlan rows of this year's projects that started before this year."""
    last = year - 1
    out = []
    for row in rows:
        p = row["project"]
        if p.started_on is None or p.started_on.year >= year or not p.invested_before_year:
            continue
        if p.started_on.year == last:  # started last year: all it did before is last year's
            amount = p.invested_before_year
        else:
            amount = lifecycle.money(p.invested_before_year * Decimal(str(rng.uniform(0.4, 0.7))))
        new_last_year = p.planned_start.year == last
        first = p.planned_start.month if new_last_year else 1
        out.append(
            dict(
                project_id=p.pk,
                year=last,
                planned_investment=amount,
                # The closed year completed exactly its plan (see above).
                invested_before_year=p.invested_before_year - amount,
                plan_start=new_last_year,
                target_start=p.planned_start if new_last_year else None,
                **dict(zip(MONTH_FIELDS, lifecycle.schedule(rng, amount, first), strict=True)),
            )
        )
    return out


def list_years(year: int) -> None:
    """Last year's list closed, this year's started from it (as the year cycle leaves them)."""
    from django.utils import timezone

    from registry.models import ListYear

    now = timezone.now()
    ListYear.objects.get_or_create(year=year - 1, defaults={"closed": True, "closed_at": now})
    ListYear.objects.get_or_create(
        year=year, defaults={"started_from": year - 1, "started_at": now}
    )


def _finished_life(rng, last: int, model) -> lifecycle.Lifecycle:
    """The dates of a project that finished in year `last` (an industrial one then operates)."""
    month = rng.randint(1, 12)
    completed = datetime.date(last, month, rng.randint(5, 25))
    planned_start = datetime.date(last - rng.choice([1, 2]), rng.randint(1, 12), 1)
    life = lifecycle.Lifecycle(
        planned_start,
        datetime.date(last, month, 28),
        Stage.COMPLETED,
        started_on=planned_start + datetime.timedelta(days=rng.randint(0, 40)),
        completed_on=completed,
        last_month=month,
        plan_finish=True,
    )
    operating = completed + datetime.timedelta(days=rng.randint(20, 60))
    if model.category == Category.INDUSTRY:
        life.operating_on, life.stage = operating, Stage.OPERATING
    return life


def finished_rows(rng, rows, year: int, n: int) -> list[dict]:
    """Projects that finished last year, modelled on this year's (same region, unit, leader)."""
    last = year - 1
    count = int((Decimal(n) * FINISHED_SHARE).to_integral_value())
    counters: dict[str, int] = {}
    out = []
    for k in range(count):
        model = rows[(k * 7) % len(rows)]["project"]
        abbr = model.code.split("-")[1]
        counters[abbr] = counters.get(abbr, 0) + 1
        total = lifecycle.money(model.total_investment * Decimal(str(rng.uniform(0.8, 1.4))))
        # A finishing year carries most of a project's money (its last big works).
        plan = lifecycle.money(total * Decimal(str(rng.uniform(0.6, 0.9))))
        life = _finished_life(rng, last, model)
        planned_start = life.planned_start
        project = Project(
            code=f"{last}-{abbr}-{counters[abbr]:04d}",
            name=f"{model.name.removesuffix('项目').removesuffix('工程')}（一期）",
            year=last,
            level=model.level,
            category=model.category,
            sector=model.sector,
            nature=Nature.CONTINUING,
            region=model.region,
            unit=model.unit,
            leader=model.leader,
            owner=model.owner,
            contact=model.contact,
            phone=model.phone,
            scope=model.scope,
            location=model.location,
            total_investment=total,
            invested_before_year=total - plan,
            planned_start=life.planned_start,
            planned_finish=life.planned_finish,
            stage=life.stage,
            filed_on=planned_start - datetime.timedelta(days=rng.randint(30, 200)),
            started_on=life.started_on,
            completed_on=life.completed_on,
            operating_on=life.operating_on,
            approval_code=f"{last - 2}-{model.region.code[:6]}-{rng.randint(10, 99)}-01-"
            f"{rng.randrange(10**6):06d}",
            pool=Pool.LISTED,
        )
        out.append(
            {"project": project, "plan": plan, "life": life, "schedule": True, "programs": []}
        )
    return out


def existing_codes(year: int) -> set[str]:
    return set(Project.all_objects.filter(year=year - 1).values_list("code", flat=True))
