"""Derived figures of monthly reports: year-to-date (本年累计) and since-start (自开工累计).

One rule, used when a report is entered (`derive_totals`) and again when an earlier month of
the same project and year changes (`recompute_later_months`):

- year-to-date = the months before (when all of them are reported) + this month; while a
  month is missing it cannot be derived, is entered, and may not be less than what is known;
  months before the project's actual start in this year have nothing to report and count as
  zero (a project that starts in October reports from October);
- since-start = 至上年底累计完成投资 + year-to-date.

When an earlier month changes (a returned report corrected, a progress sheet imported, a
missing month filled in), later months of that project and year are recomputed in the same
transaction, with a version bump and a history row naming the month that caused it. A later
month whose year-to-date was *entered* (it could not be derived then) and now disagrees is
not overwritten: it is flagged in `figures_note`, shown to reviewers (review queue filter
"累计数待核对") until the report is returned and corrected.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError

from milestones.models import ProgressReport
from registry.models import Project
from registry.models.base import ZERO
from registry.years import invested_before

MSG_DISAGREES = (
    "本年累计完成投资填报为 {entered} 万元，但{changed}月数据变更后按各月推算应为 "
    "{derived} 万元（1-{prev}月 {known} 万元 + 本月 {this} 万元），请退回核对"
)
MSG_TOO_LOW = (
    "本年累计完成投资填报为 {entered} 万元，{changed}月数据变更后已小于已报各月与本月之和 "
    "{known} 万元，请退回核对"
)


def _fmt(value) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):,}"


def earlier_months(*, project_id: int, year: int, month: int) -> dict[int, Decimal]:
    """{month: invested_month} of the project's reports before `month` in `year`."""
    rows = ProgressReport.objects.filter(project_id=project_id, year=year, month__lt=month)
    return dict(rows.values_list("month", "invested_month"))


def first_month(*, started_on, year: int, month: int, starts_now: bool = False) -> int:
    """The first month of `year` a project reports for: its start month when it started in
    `year` (or starts with this very report), else January."""
    if started_on is None:
        return month if starts_now else 1
    if started_on.year == year:
        return min(started_on.month, month)
    return month if started_on.year > year else 1


def derive_totals(*, project: Project, year: int, month: int, data: dict) -> dict:
    """Fill or check year-to-date and since-start against earlier months.

    Year-to-date = the months before (when all reported) + this month. An entered value must
    agree; when a month is missing it cannot be derived and must be entered, and may not be
    less than what is known. Since-start = cumulative to last year end + year-to-date.
    Raises ValidationError with the reason in Chinese.
    """
    errors = {}
    this_month = data.get("invested_month") or ZERO
    earlier = earlier_months(project_id=project.pk, year=year, month=month)
    known = sum(earlier.values(), ZERO)
    first = first_month(
        started_on=project.started_on,
        year=year,
        month=month,
        starts_now=bool(data.get("is_started")),
    )
    missing = [m for m in range(first, month) if m not in earlier]
    entered = data.get("invested_ytd")
    if not missing:
        derived = known + this_month
        if entered is None:
            data["invested_ytd"] = derived
        elif entered != derived:
            span = f"1-{month - 1}月已报 {_fmt(known)} 万元 + " if month > 1 else ""
            errors["invested_ytd"] = (
                f"本年累计完成投资应为 {span}本月 {_fmt(this_month)} 万元 = {_fmt(derived)} 万元，"
                f"您填写的是 {_fmt(entered)} 万元。可留空由系统推算；"
                "如以前月份数据有误，请联系审核员退回该月月报更正。"
            )
    else:
        months = "、".join(f"{m}月" for m in missing)
        if entered is None:
            errors["invested_ytd"] = (
                f"{year}年{months}没有月报，无法推算本年累计完成投资，请直接填写本年累计数"
            )
        elif entered < known + this_month:
            errors["invested_ytd"] = (
                f"本年累计完成投资 {_fmt(entered)} 万元不能小于已报各月与本月之和 "
                f"{_fmt(known + this_month)} 万元"
            )
    ytd = data.get("invested_ytd")
    if ytd is not None and "invested_ytd" not in errors:
        before = invested_before(project, year)
        expected_total = before + ytd
        total = data.get("invested_total")
        if total is None:
            data["invested_total"] = expected_total
        elif total != expected_total:
            errors["invested_total"] = (
                f"自开工累计完成投资应为 至上年底累计 {_fmt(before)} 万元 + "
                f"本年累计 {_fmt(ytd)} 万元 = {_fmt(expected_total)} 万元，"
                f"您填写的是 {_fmt(total)} 万元。可留空由系统推算。"
            )
    if errors:
        raise ValidationError(errors)
    return data


def recompute_later_months(
    *, report: ProgressReport, old_month: Decimal | None, user
) -> list[ProgressReport]:
    """After `report` was saved, bring the later months of its project and year in line.

    `old_month` is the report's monthly figure before the change (None: the report is new,
    so later months could not be derived before and their year-to-date was entered). A later
    month that was derived follows the change; an entered one that now disagrees is flagged
    (`figures_note`), never overwritten. Call inside the transaction of the change. Returns
    the later reports that were written.
    """
    later = list(
        ProgressReport.objects.select_for_update()
        .filter(project_id=report.project_id, year=report.year, month__gt=report.month)
        .order_by("month")
    )
    if not later:
        return []
    months = dict(
        ProgressReport.objects.filter(project_id=report.project_id, year=report.year).values_list(
            "month", "invested_month"
        )
    )
    delta = None if old_month is None else report.invested_month - old_month
    project = Project.all_objects.only("invested_before_year", "started_on").get(
        pk=report.project_id
    )
    before_year = invested_before(project, report.year)
    written = []
    for later_report in later:
        first = first_month(started_on=project.started_on, year=report.year, month=report.month)
        ytd, note = _checked_ytd(later_report, months, delta, changed=report.month, first=first)
        total = before_year + ytd
        current = (later_report.invested_ytd, later_report.invested_total)
        if (ytd, total, note) == (*current, later_report.figures_note):
            continue
        later_report.invested_ytd, later_report.invested_total = ytd, total
        later_report.figures_note = note[:300]
        later_report.version += 1  # a form opened before this is now stale
        later_report._history_user = user
        later_report._change_reason = f"{report.month}月数据变更，重新推算本年累计"
        later_report.save(
            update_fields=[
                "invested_ytd",
                "invested_total",
                "figures_note",
                "version",
                "updated_at",
            ]
        )
        written.append(later_report)
    return written


def _checked_ytd(report, months, delta, *, changed, first):
    """(year-to-date, flag note) of a later month under the derivation rule; months before
    `first` (the project's start) count as zero."""
    known = sum((v for m, v in months.items() if m < report.month), ZERO)
    entered = report.invested_ytd
    if any(m not in months for m in range(first, report.month)):
        if entered < known + report.invested_month:
            return entered, MSG_TOO_LOW.format(
                entered=_fmt(entered), changed=changed, known=_fmt(known + report.invested_month)
            )
        return entered, ""
    derived = known + report.invested_month
    if entered == derived:
        return derived, ""
    if delta is not None and entered == derived - delta:
        return derived, ""  # it was derived from the old figure: follow the change
    return entered, MSG_DISAGREES.format(
        entered=_fmt(entered),
        changed=changed,
        derived=_fmt(derived),
        prev=report.month - 1,
        known=_fmt(known),
        this=_fmt(report.invested_month),
    )
