"""Project status for a month (SPEC §3.3): plain functions over `ProjectFacts` and a rule set.

No ORM here: `assessments.facts.load_facts` loads the facts, `assessments.services` stores
the results. The rule set is read through attributes only, so an unsaved `RuleSet()` (the
SPEC defaults) works as well as a stored one.

Numbers are compared as exact fractions so the boundaries (G exactly −10, R÷T exactly 80%)
fall where the table says, whatever the rounding of the displayed figures.
"""

import calendar
import functools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from assessments.choices import GapForm, RuleMode, Status
from core.periods import time_fraction
from milestones.choices import ReportStatus

LAG, WARN, AHEAD = "lag", "warn", "ahead"
REPORT_LABELS = dict(ReportStatus.choices)


@dataclass
class Judgement:
    status: str
    r: Decimal | None = None  # percent
    t: Decimal | None = None  # percent
    g: Decimal | None = None  # percentage points
    unstarted_days: int = 0
    milestone_overdue_days: int = 0
    reasons: list[str] = field(default_factory=list)
    lights: dict = field(default_factory=dict)


# Decimal → Fraction is the costliest step of a judgement (seed_demo makes 220,000): rule
# thresholds and annual plans repeat, so each distinct value is converted once. Equal
# Decimals (5, 5.00) give equal Fractions, so sharing an entry changes no comparison.
_fraction = functools.lru_cache(maxsize=65536)(Fraction)


def _pct(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) * 100 / Decimal(value.denominator)).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )


def _num(value: Decimal) -> str:
    """A threshold as written: -20.00 → "-20", 12.50 → "12.5"."""
    return format(value.normalize(), "f")


def _signed(value: Decimal) -> str:
    return f"+{value}" if value > 0 else str(value)


def completion_rate(f) -> Fraction | None:
    """R = year-to-date completed ÷ annual plan."""
    if not f.plan or f.ytd is None:
        return None
    return Fraction(f.ytd) / _fraction(f.plan)


def time_progress(f) -> Fraction | None:
    """T = cumulative monthly schedule ÷ annual plan if a schedule exists, else month/12;
    in a month still running, only its days gone by count (SPEC §3.8: never a future day)."""
    share = time_fraction(f.year, f.month, f.as_of)
    if f.planned_cum is None or not f.plan:
        return share
    end = Fraction(f.planned_cum) / _fraction(f.plan)
    gone = min(max(share * 12 - (f.month - 1), Fraction(0)), Fraction(1))
    if gone == 1:
        return end
    before = Fraction(f.planned_prev or 0) / _fraction(f.plan)
    return before + (end - before) * gone


def unstarted_days(f) -> int:
    """Days since the planned start passed without a start (应开未开), 0 if not."""
    if f.started_on is not None or f.planned_start is None or f.planned_start >= f.as_of:
        return 0
    return (f.as_of - f.planned_start).days


def unstarted_months(f) -> int:
    """Month-ends (up to this one) at which the project was already 应开未开."""
    if not unstarted_days(f):
        return 0
    ps = f.planned_start
    first = ps.year * 12 + ps.month
    if ps.day == _last_day(ps):  # due at this month's end: counts from the next one
        first += 1
    return f.year * 12 + f.month - first + 1


def _last_day(day) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def is_due(f) -> bool:
    """Investment progress is judged once a project has started or was due to start."""
    return f.started_on is not None or (f.planned_start is not None and f.planned_start < f.as_of)


def gap_level(r: Fraction, t: Fraction, rules) -> tuple[str | None, str]:
    """(LAG / WARN / AHEAD / None, reason) for the investment gap in the rule set's form."""
    if rules.gap_form == GapForm.RATIO:
        if not t:
            return None, ""
        q = r / t
        text = f"R÷T={_pct(q)}%"
        if q < _fraction(rules.lag_ratio) / 100:
            return LAG, f"{text}（低于{_num(rules.lag_ratio)}%，滞后）"
        if q < _fraction(rules.warn_ratio) / 100:
            return WARN, f"{text}（低于{_num(rules.warn_ratio)}%，预警）"
        if q >= _fraction(rules.ahead_ratio) / 100:
            return AHEAD, f"{text}（不低于{_num(rules.ahead_ratio)}%）"
        return None, text
    g = (r - t) * 100
    text = f"G={_signed(_pct(g / 100))}个百分点"
    if g <= _fraction(rules.lag_points):
        return LAG, f"{text}（≤{_num(rules.lag_points)}，滞后）"
    if g <= _fraction(rules.warn_points):
        return WARN, f"{text}（≤{_num(rules.warn_points)}，预警）"
    if g >= _fraction(rules.ahead_points):
        return AHEAD, f"{text}（≥+{_num(rules.ahead_points)}）"
    return None, text


def _unreported(f) -> Judgement:
    if f.report_status is None:
        why = f"{f.month}月月报未报送"
    else:
        why = f"{f.month}月月报未审核通过（当前：{REPORT_LABELS.get(f.report_status, '')}）"
    return Judgement(Status.UNREPORTED, reasons=[why], unstarted_days=unstarted_days(f))


def finished_reason(f) -> str:
    """What a project finished before the month says instead of a judgement."""
    d = f.finished_on
    return f"已于{d.year}年{d.month}月{f.finished_as or '竣工'}，不再填报"


def _finished(f) -> Judgement:
    return Judgement(Status.NORMAL, reasons=[finished_reason(f)])


def _findings(f, rules) -> tuple[list, list, list, dict]:
    """Lagging reasons, warning reasons, informational reasons, and the numbers."""
    lag, warn, info = [], [], []
    r, t = completion_rate(f), time_progress(f)
    nums = {"r": _pct(r), "t": _pct(t), "g": None, "ahead": False}
    if r is None and f.plan:
        info.append(f"无{f.month}月已审核累计完成数，不判定投资进度")
    elif r is None:
        info.append("无年度计划投资，不判定投资进度")
    elif not is_due(f):
        info.append(f"R={nums['r']}%，尚未到计划开工时间，不判定投资进度")
    else:
        nums["g"] = _pct(r - t)
        level, text = gap_level(r, t, rules)
        text = f"投资完成率R={nums['r']}%，时间进度T={nums['t']}%，{text}"
        {LAG: lag, WARN: warn}.get(level, info).append(text)
        nums["ahead"] = level == AHEAD
    days = unstarted_days(f)
    if days:
        text = f"应开未开{days}天（计划开工{f.planned_start:%Y-%m-%d}）"
        (lag if days > rules.unstarted_lag_days else warn).append(text)
    for ms in f.milestones:
        text = f"节点“{ms.name}”逾期{ms.days}天（计划{ms.due:%Y-%m-%d}）"
        (lag if ms.days >= rules.milestone_lag_days else warn).append(text)
    for pb in f.problems:
        text = f"{'督办' if pb.supervised else ''}问题“{pb.name}”逾期{pb.days}天（时限{pb.due:%Y-%m-%d}）"
        (warn if pb.supervised and rules.supervised_problem_warns else info).append(text)
    return lag, warn, info, nums


def judge(f, rules) -> Judgement:
    """The status of one project for one month; first match wins (SPEC §3.3 table). A
    project finished before the month is not judged: it says when it finished."""
    if f.finished_on:
        return _finished(f)
    if f.should_report and not f.approved:
        return _unreported(f)
    if rules.mode == RuleMode.LIGHTS:
        return judge_lights(f, rules)
    lag, warn, info, nums = _findings(f, rules)
    overdue = bool(f.milestones or f.problems or unstarted_days(f))
    if lag:
        status = Status.LAGGING
    elif warn:
        status = Status.WARNING
    elif nums["ahead"] and not overdue:
        status = Status.AHEAD
    else:
        status = Status.NORMAL
    if status == Status.NORMAL and nums["ahead"]:
        info.append("虽超前于时间进度，但有逾期事项，不评为较快")
    return Judgement(
        status,
        r=nums["r"],
        t=nums["t"],
        g=nums["g"],
        unstarted_days=unstarted_days(f),
        milestone_overdue_days=max((m.days for m in f.milestones), default=0),
        reasons=lag + warn + info,
    )


def judge_lights(f, rules) -> Judgement:
    """银川 form: a light per dimension (开工, 进度, 资金到位); the worst light decides."""
    lag, warn, info, nums = _findings(f, rules)
    days, running = unstarted_days(f), unstarted_months(f)
    # The 开工 dimension replaces the day-count rule of the overall form.
    lag = [x for x in lag if not x.startswith("应开未开")]
    warn = [x for x in warn if not x.startswith("应开未开")]
    progress_light = "red" if lag else "yellow" if warn else "green"
    start_light = "green"
    if days:
        start_light = "red" if running >= rules.start_red_months else "yellow"
        text = f"开工灯：应开未开已连续{running}个月（计划开工{f.planned_start:%Y-%m-%d}）"
        (lag if start_light == "red" else warn).append(text)
    funds_light = "green"
    if f.funds_planned:
        rate = Fraction(f.funds_in_place) / Fraction(f.funds_planned)
        text = f"资金到位率{_pct(rate)}%"
        if rate < _fraction(rules.funds_lag_ratio) / 100:
            funds_light = "red"
            lag.append(f"资金到位灯：{text}（低于{_num(rules.funds_lag_ratio)}%）")
        elif rate < _fraction(rules.funds_warn_ratio) / 100:
            funds_light = "yellow"
            warn.append(f"资金到位灯：{text}（低于{_num(rules.funds_warn_ratio)}%）")
    lights = {"开工": start_light, "进度": progress_light, "资金到位": funds_light}
    if lag:
        status = Status.LAGGING
    elif warn:
        status = Status.WARNING
    elif nums["ahead"] and not (f.milestones or f.problems):
        status = Status.AHEAD
    else:
        status = Status.NORMAL
    return Judgement(
        status,
        r=nums["r"],
        t=nums["t"],
        g=nums["g"],
        unstarted_days=days,
        milestone_overdue_days=max((m.days for m in f.milestones), default=0),
        reasons=lag + warn + info,
        lights=lights,
    )


def months_running(statuses: list[str], wanted: str) -> int:
    """How many of the latest months (oldest first in `statuses`) have status `wanted`."""
    n = 0
    for s in reversed(statuses):
        if s != wanted:
            break
        n += 1
    return n
