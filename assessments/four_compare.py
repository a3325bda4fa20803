"""四比四看 scorecard per county for a period (SPEC §3.9), each part from the data, weighted
by the rule set:

- 比谋划看储备: the pipeline on the period's as-of day against the county's targets — the mean
  of min(1, projects ÷ target) and min(1, amount ÷ target) (no target: full marks);
- 比招引看投资: half the contract amount signed this year relative to the best county, half
  the funds in place ÷ the contract amount of signed projects;
- 比开工看进度: the mean of the start rate of projects due to start and min(1, R ÷ T), from
  the same tallies as the scores page;
- 比服务看实效: the mean of problems resolved by their deadline and approvals (前期手续) done of
  the county's listed projects.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from assessments.scoring import scores
from assessments.services import active_rules
from core.periods import Period, as_of
from pipeline.selectors import county_pipelines
from registry.choices import ApprovalStatus
from registry.models import Approval, Region

CENT = Decimal("0.01")
PARTS = [
    ("plan", "比谋划看储备"),
    ("invest", "比招引看投资"),
    ("start", "比开工看进度"),
    ("service", "比服务看实效"),
]


@dataclass
class FourRow:
    key: int
    name: str
    parts: dict = field(default_factory=dict)  # part → points
    score: Decimal = Decimal(0)
    rank: int = 0


def _cap(part, whole) -> Fraction:
    """min(1, part ÷ whole); full marks when nothing was asked."""
    if not whole:
        return Fraction(1)
    return min(Fraction(1), Fraction(part) / Fraction(whole))


def _dec(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, ROUND_HALF_UP)


def _approvals(projects, day) -> dict:
    """County id → (done, total) over the approvals of `projects`."""
    out = {}
    rows = Approval.objects.filter(project__in=projects.order_by().values("pk")).exclude(
        status=ApprovalStatus.NOT_NEEDED
    )
    for r in rows.order_by().values("project__region__path", "status", "done_on"):
        parts = r["project__region__path"].strip("/").split("/")
        code = parts[1] if len(parts) > 1 else ""
        done, total = out.get(code, (0, 0))
        is_done = r["status"] == ApprovalStatus.DONE and (
            r["done_on"] is None or r["done_on"] <= day
        )
        out[code] = (done + is_done, total + 1)
    return out


def four_compare(projects, period: Period) -> list[FourRow]:
    """Scorecard rows of the counties of `projects`, best first."""
    rules = active_rules(period.year)
    day = as_of(period.year, period.last_month)
    time = Fraction(period.last_month, 12)
    tallies = scores(projects, period, by="region")
    pipes = county_pipelines(day)
    approvals = _approvals(projects, day)
    best_signed = max((p.signed for p in pipes.values()), default=Decimal(0))
    codes = dict(Region.objects.filter(pk__in=[r.key for r in tallies]).values_list("pk", "code"))
    rows = []
    for row in tallies:
        t, pipe = row.tally, pipes.get(row.key)
        plan = invest = Fraction(0)
        if pipe is not None:
            plan = (
                _cap(pipe.pool.count, pipe.target.count)
                + _cap(pipe.pool.amount, pipe.target.amount)
            ) / 2
            signed = Fraction(pipe.signed) / Fraction(best_signed) if best_signed else Fraction(0)
            funds = Fraction(pipe.funds) / Fraction(pipe.contract) if pipe.contract else Fraction(0)
            invest = (signed + min(Fraction(1), funds)) / 2
        r = Fraction(t.ytd) / Fraction(t.plan) if t.plan else None
        progress = Fraction(1) if r is None else min(Fraction(1), r / time)
        start = (_cap(t.started, t.due_starts) + progress) / 2
        done, total = approvals.get(codes.get(row.key, ""), (0, 0))
        service = (_cap(t.problems_on_time, t.problems_due) + _cap(done, total)) / 2
        shares = {"plan": plan, "invest": invest, "start": start, "service": service}
        weights = {"plan": rules.four_plan_weight, "invest": rules.four_invest_weight,
                   "start": rules.four_start_weight, "service": rules.four_service_weight}  # fmt: skip
        parts = {k: Fraction(weights[k]) * v for k, v in shares.items()}
        rows.append(FourRow(row.key, row.name, {k: _dec(v) for k, v in parts.items()},
                            _dec(sum(parts.values()))))  # fmt: skip
    rows.sort(key=lambda x: (-x.score, x.name))
    for i, row in enumerate(rows, start=1):
        row.rank = i
    return rows
