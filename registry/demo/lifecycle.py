"""One consistent lifecycle per demo project, so the judgements have a story to stand on.

What `seed_registry` (and, through the stored dates, `milestones/demo.py`) keeps true,
checked by tests/test_demo_story.py:
- a 续建 project started in an earlier year; about a quarter finish this year, and those
  whose finish month has passed are 竣工 (industry: 投产 a few weeks later) with their dates;
  they report up to their finish month and no longer;
- a 新开工 project starts around its planned start this year; every one whose planned start
  has passed has started, except a few left 应开未开 (about 5 per 120 projects);
- a 前期 project starts next year;
- the monthly schedule of the annual plan runs from the planned start month (新开工) to the
  finish month (finishing this year), so time progress is zero before a planned start and
  full at a planned finish;
- every 在建 project has a start date, every 前期 project none.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from registry.choices import Stage

CENT = Decimal("0.01")
# 应开未开 projects left in the demo: 5 per 120 projects, as the README's demo story says.
UNSTARTED_PER_120 = 5


@dataclass
class Lifecycle:
    planned_start: datetime.date
    planned_finish: datetime.date
    stage: str
    started_on: datetime.date | None = None
    completed_on: datetime.date | None = None
    operating_on: datetime.date | None = None
    first_month: int = 1  # months of this year the schedule spreads the plan over
    last_month: int = 12
    plan_start: bool = False
    plan_finish: bool = False


def continuing(rng, year: int, today: datetime.date, industry: bool) -> Lifecycle:
    planned_start = datetime.date(year - rng.choice([1, 1, 2]), rng.randint(1, 12), 1)
    started_on = planned_start + datetime.timedelta(days=rng.randint(0, 40))
    if rng.random() >= 0.25:
        finish = datetime.date(year + rng.choice([1, 1, 2]), rng.randint(1, 12), 28)
        return Lifecycle(planned_start, finish, Stage.BUILDING, started_on=started_on)
    month = rng.randint(1, 12)
    life = Lifecycle(
        planned_start,
        datetime.date(year, month, 28),
        Stage.BUILDING,
        started_on=started_on,
        last_month=month,
        plan_finish=True,
    )
    if (year, month) < (today.year, today.month):  # its finish month is over: finished
        life.completed_on = datetime.date(year, month, rng.randint(5, 25))
        life.stage = Stage.COMPLETED
        operating = life.completed_on + datetime.timedelta(days=rng.randint(20, 60))
        if industry and operating < today:
            life.operating_on, life.stage = operating, Stage.OPERATING
    return life


def new_start(rng, year: int, today: datetime.date) -> Lifecycle:
    planned_start = datetime.date(year, rng.randint(2, 10), rng.choice([1, 10, 20]))
    started_on = None
    if planned_start <= today:
        started_on = min(today, planned_start + datetime.timedelta(days=rng.randint(-10, 25)))
    finish = datetime.date(year + rng.choice([1, 2, 3]), rng.randint(1, 12), 28)
    return Lifecycle(
        planned_start,
        finish,
        Stage.BUILDING if started_on else Stage.PREPARATORY,
        started_on=started_on,
        first_month=planned_start.month,
        plan_start=True,
    )


def preparatory(rng, year: int) -> Lifecycle:
    planned_start = datetime.date(year + 1, rng.randint(1, 6), 1)
    finish = datetime.date(planned_start.year + rng.choice([1, 2, 3]), rng.randint(1, 12), 28)
    return Lifecycle(planned_start, finish, Stage.PREPARATORY)


def leave_unstarted(rng, lives: list[Lifecycle], today: datetime.date, n: int) -> None:
    """Keep a few 新开工 projects whose planned start has passed from starting (应开未开)."""
    due = [life for life in lives if life.plan_start and life.planned_start < today]
    wanted = min(len(due), max(1, round(n * UNSTARTED_PER_120 / 120)))
    for life in rng.sample(due, k=wanted):
        life.started_on, life.stage = None, Stage.PREPARATORY


def invested_before_year(rng, life: Lifecycle, year: int, total: Decimal, plan: Decimal):
    """至上年底累计: a 续建 project's earlier years, leaving room for this year's plan."""
    if life.started_on is None or life.started_on.year >= year:
        return Decimal("0.00")
    if life.plan_finish:  # finishing this year: what is left of the total is this year's plan
        return max(Decimal("0.00"), total - plan)
    share = Decimal(str(rng.uniform(0.15, 0.5)))
    return money(min(total * share, (total - plan) * Decimal("0.9")))


def schedule(rng, plan: Decimal, first: int = 1, last: int = 12) -> list[Decimal]:
    """Cumulative monthly plan from `first` to `last`: a slow start after the Spring Festival,
    then steady; nothing before `first`, the whole plan from `last` on."""
    weights = [0.4, 0.5, 0.8, 1.0, 1.1, 1.1, 1.0, 1.0, 1.1, 1.1, 1.0, 0.9]
    weights = [
        w * rng.uniform(0.8, 1.2) if first <= m <= last else 0.0
        for m, w in enumerate(weights, start=1)
    ]
    total = sum(weights)
    cum, out = 0.0, []
    for w in weights:
        cum += w
        out.append(money(plan * Decimal(str(round(cum / total, 6)))))
    for i in range(last - 1, 12):
        out[i] = plan
    for i in range(1, 12):  # rounding must never make the curve drop
        out[i] = max(out[i], out[i - 1])
    return out


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)
