"""Demo data of the milestones app, called by `manage.py seed_demo` after the registry.

For every month of `year` before today's month: reporting windows and monthly reports in a
realistic spread (most approved on time, a few late, submitted or returned, a few missing
in the last closed month; most projects near their schedule, some 10–20 points behind, a few
more than 20 behind, a few ahead); milestones with some overdue; problems (some 督办, some
overdue, some resolved) and a few supervision letters.

The story follows the ledger's lifecycle (registry/demo/lifecycle.py): a project reports
from its start (or its planned start, when it is 应开未开) to its finish month, invests
nothing before its start month, and its 开工/竣工/投产 milestones carry the ledger's dates.

Deterministic (one `random.Random` per project, seeded from `seed` and the project code),
idempotent (projects that already have reports or milestones are skipped) and vectorised
(plain multi-row inserts, no per-row queries) so 20,000 projects take seconds.
"""

import datetime
import functools
import random
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.bulk import fast_insert, insert_history_from
from milestones.choices import ProblemStatus, ReportStatus
from milestones.models import (
    FUND_FIELDS,
    Milestone,
    Problem,
    ProgressReport,
    ReportingWindow,
    SupervisionLetter,
    default_deadline,
)
from registry.choices import Category, Pool
from registry.models import MONTH_FIELDS, AnnualPlan, Project

CENT = Decimal("0.01")
PROGRESS_TEXTS = [
    "基础施工完成{p}%，桩基全部完成",
    "主体结构施工至{n}层",
    "钢结构吊装完成{p}%",
    "设备基础浇筑完成，正在进行设备采购",
    "道路路基完成{p}%，管网铺设同步推进",
    "二次结构砌筑及机电安装同步施工",
    "室外配套工程施工，完成{p}%",
    "场地平整完成，临建设施搭设完毕",
]
# 措施 by problem category (no random draw: the rest of the demo stays as it was).
MEASURES = {
    "land": "由县区自然资源局牵头，加快用地组卷报批，市发改委跟踪调度",
    "funding": "由县区财政局牵头，协调专项债资金拨付并对接政策性银行",
    "relocation": "由属地乡镇（街道）牵头，一户一策推进征迁，限期交地",
    "approval": "由审批部门开辟绿色通道，并联办理前期手续",
    "environment": "由生态环境部门指导完善环评，落实整改措施",
    "other": "由责任单位制定专项方案，专班推进",
}
PROBLEMS = {
    "land": ["用地指标尚未下达，影响二期开工", "土地组卷报批进度滞后", "林地使用手续未办结"],
    "funding": ["专项债资金未按计划拨付到位", "银行贷款审批周期长，资金缺口较大"],
    "relocation": ["剩余{n}户征迁未完成，影响施工进场", "管线迁改协调难度大"],
    "approval": ["施工许可证尚未办理", "环评批复待省厅审查", "规划方案调整需重新审批"],
    "environment": ["施工扬尘整改要求停工整改", "污水排放指标需重新核定"],
    "other": ["施工用电容量不足，需新建专线", "原材料价格上涨，施工单位进度放缓"],
}
NO_FUNDS = {name: Decimal(0) for name, _s in FUND_FIELDS}  # copied per report (225,000 at 20k)
PEOPLE = ["张伟", "王芳", "李强", "刘洋", "陈静", "杨磊", "赵敏", "黄涛", "周杰", "吴娟"]


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def _local(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@functools.cache
def _aware(day: datetime.date, hour: int):
    """A local time; cached because the seed reuses a few thousand of them."""
    return _local(day, hour)


def _profile(rng, p) -> str:
    """How a project runs this year against its schedule (its lifecycle comes from the ledger:
    an unstarted project invests nothing, a finished one finished on plan)."""
    x = rng.random()
    if p["started_on"] is None:
        return "not_started"
    if p["completed_on"] is not None:
        return "finished"
    if x < 0.08:
        return "far_behind"  # more than 20 points behind
    if x < 0.24:
        return "behind"  # 10–20 points behind
    if x < 0.40:
        return "ahead"
    return "near"


def _report_months(p, year: int, last_month: int) -> tuple[int, int, int]:
    """(first, last, start): the months a project reports, and the first one it may invest in.

    A project reports once it has started or its planned start has come (应开未开 ones report
    that they have not started), up to its finish month; it invests from its start month on.
    """

    def month_of(day):
        if day is None or day.year > year:
            return 13
        return 1 if day.year < year else day.month

    start = month_of(p["started_on"])
    first = min(start, month_of(p["planned_start"]))
    last = min(last_month, month_of(p["completed_on"]) if p["completed_on"] else 12)
    return first, last, start


def _ratio(rng, kind: str, time_rate: Decimal) -> Decimal:
    """Multiplier of the cumulative plan giving the wanted gap G = R − T at the last month."""
    if kind == "not_started":
        return Decimal(0)
    if kind in ("finished", "closed"):
        return Decimal(1)
    t = max(time_rate, Decimal("1"))  # in percent
    gap = {
        "far_behind": -rng.uniform(22, 35),
        "behind": -rng.uniform(11, 19),
        "ahead": rng.uniform(11, 18),
        "near": rng.uniform(-6, 6),
    }[kind]
    return max(Decimal(0), 1 + Decimal(str(gap)) / t)


PROJECT_FIELDS = [
    "id",
    "code",
    "year",
    "unit_id",
    "nature",
    "category",
    "invested_before_year",
    "planned_start",
    "planned_finish",
    "started_on",
    "completed_on",
    "operating_on",
]


def seed(*, seed: int, year: int, today: datetime.date, stdout) -> None:
    """Last year (closed: every month reported and approved) and this year up to last month."""
    last_month = today.month - 1 if today.year == year else 12
    users = {
        u.username: u.pk for u in get_user_model().objects.filter(username__in=["drc", "tb_lj"])
    }
    with transaction.atomic():
        lines = []
        for y, last in [(year - 1, 12), (year, last_month)]:
            _windows(y, last, today)
            lines.append(_seed_year(seed, y, last, today, year, users))
        _initial_history(year)
        _letters(seed, year, today, users.get("drc"))
    for line in lines:
        stdout.write(line)


def _seed_year(seed, y, last_month, today, year, users) -> str:
    """Reports of list year `y` (projects with a plan for `y`); milestones and problems once
    per project. Projects that already have them are skipped, so a second run adds nothing."""
    listed = (
        Project.objects.filter(annual_plans__year=y, is_package=False)
        .exclude(pool__in=[Pool.RESERVE, Pool.WITHDRAWN])
        .order_by("code")
    )
    reported = set(
        ProgressReport.objects.filter(year=y, project__in=listed).values_list(
            "project_id", flat=True
        )
    )
    with_milestones = set(
        Milestone.objects.filter(project__in=listed).values_list("project_id", flat=True)
    )
    plans = {
        p["project_id"]: p
        for p in AnnualPlan.objects.filter(year=y, project__in=listed).values(
            "project_id", "planned_investment", *MONTH_FIELDS
        )
    }
    closed = y < year
    reporter, reviewer = users.get("tb_lj"), users.get("drc")
    reports, milestones, problems, unstarted, seen = [], [], [], 0, 0
    for p in listed.values(*PROJECT_FIELDS):
        todo_reports = p["id"] not in reported and last_month >= 1
        # Milestones and problems come with the project's own list year (this year's
        # profile for a carried-over project, so its milestones fit this year's story).
        todo_milestones = p["id"] not in with_milestones and (p["year"] == y or not closed)
        if not (todo_reports or todo_milestones):
            continue
        seen += 1
        rng = random.Random(f"{seed}-{p['code']}" + (f"-{y}" if closed else ""))
        kind = "closed" if closed else _profile(rng, p)
        if kind == "not_started" and p["planned_start"] and p["planned_start"] < today:
            unstarted += 1
        plan = plans[p["id"]]
        if p["year"] != y:
            # The closed year completed its plan: 至上年底累计 then was today's minus that plan.
            p = dict(p, invested_before_year=p["invested_before_year"] - plan["planned_investment"])
        if todo_reports:
            reports += _reports(rng, p, plan, kind, y, last_month, today, reporter, reviewer)
        if todo_milestones:
            milestones += _milestones(rng, p, today, kind)
            problems += _problems(rng, p, today, kind)
    if not seen:
        return f"{y}年月报：无新增项目，跳过"
    fast_insert(ProgressReport, reports)
    fast_insert(Milestone, milestones)
    fast_insert(Problem, problems)
    months = f"1-{last_month}月" if last_month else "无已结束月份"
    return (
        f"{y}年月报：{len(reports)} 份（{seen} 个项目，{months}）；"
        f"节点 {len(milestones)} 个；问题 {len(problems)} 个"
        + ("" if closed else f"；应开未开 {unstarted} 个")
    )


def _windows(year: int, last_month: int, today: datetime.date):
    """Closed windows for past months (the last one open until its deadline) and an open
    window for the current month so that the demo reporters can submit."""
    existing = set(ReportingWindow.objects.filter(year=year).values_list("month", flat=True))
    months = list(range(1, last_month + 1))
    if today.year == year:
        months.append(today.month)
    rows = []
    for month in months:
        if month in existing:
            continue
        deadline = default_deadline(year, month)
        opens = min(datetime.date(year, month, 25), today)
        current = month == today.month and today.year == year
        is_open = current or (month == last_month and today <= deadline)
        rows.append(
            ReportingWindow(
                year=year,
                month=month,
                opens_on=opens,
                deadline=deadline,
                is_open=is_open,
                opened_at=_local(opens, 9),
                closed_at=None if is_open else _local(deadline, 18),
            )
        )
    ReportingWindow.objects.bulk_create(rows)


def _latest_status(rng):
    """The last closed month, weeks after its deadline: most approved, a few still in review
    or returned, a few drafts, and a few not reported at all (None). Only approved reports
    are judged (SPEC §3.6), so every one not approved is 未报 on the dashboards: a share a
    DRC would recognise, not half the list."""
    x = rng.random()
    for share, status in [
        (0.82, ReportStatus.APPROVED),
        (0.90, ReportStatus.SUBMITTED),
        (0.94, ReportStatus.RETURNED),
        (0.96, ReportStatus.DRAFT),
    ]:
        if x < share:
            return status
    return None


def _reports(rng, p, plan, kind, year, last_month, today, reporter, reviewer):
    first, last, start = _report_months(p, year, last_month)
    if first > last:
        return []
    annual = plan["planned_investment"] or Decimal(0)
    cum = [
        plan[f] if plan[f] is not None else _money(annual * m / 12)
        for m, f in enumerate(MONTH_FIELDS, start=1)
    ]
    time_rate = cum[last - 1] * 100 / annual if annual else Decimal(0)
    ratio = _ratio(rng, kind, time_rate)
    rows, prev_ytd = [], Decimal(0)
    for month in range(first, last + 1):
        # Nothing is invested before the start month; the start month catches up.
        ytd = max(prev_ytd, _money(cum[month - 1] * ratio)) if month >= start else prev_ytd
        this_month, prev_ytd = ytd - prev_ytd, ytd
        latest = month == last_month and kind != "closed"
        status = _latest_status(rng) if latest else ReportStatus.APPROVED
        if status is None:
            continue
        text = "前期手续办理中，尚未开工" if month < start else "施工有序推进"
        if this_month:
            text = rng.choice(PROGRESS_TEXTS).format(p=rng.randint(20, 95), n=rng.randint(2, 18))
        if p["completed_on"] is not None and month == p["completed_on"].month:
            text = "项目已完成竣工验收"
        row = _report_row(rng, p, year, month, status, today, (this_month, ytd), text)
        row["is_started"] = month == start and p["started_on"].year == year
        # A project under construction since an earlier year resumes after the winter break:
        # its first report of the year says so (开复工率, SPEC §3.4).
        row["is_resumed"] = (
            month == first and p["started_on"] is not None and p["started_on"].year < year
        )
        row["created_by_id"] = reporter
        row["submitted_by_id"] = reporter if row["submitted_at"] else None
        row["reviewed_by_id"] = reviewer if row["reviewed_at"] else None
        rows.append(row)
    return rows


def _report_row(rng, p, year, month, status, today, amounts, text):
    """One month's report; the caller adds who did what."""
    this_month, ytd = amounts
    deadline = default_deadline(year, month)
    late = status != ReportStatus.DRAFT and rng.random() < 0.08
    submit_day = (
        deadline + datetime.timedelta(days=rng.randint(1, 9))
        if late
        else (deadline - datetime.timedelta(days=rng.randint(0, 8)))
    )
    submit_day = min(submit_day, today)
    submitted = None if status == ReportStatus.DRAFT else _aware(submit_day, rng.randint(8, 17))
    reviewed = (
        _aware(min(submit_day + datetime.timedelta(days=rng.randint(0, 3)), today), 16)
        if status in (ReportStatus.APPROVED, ReportStatus.RETURNED)
        else None
    )
    funds = dict(NO_FUNDS)
    if this_month:
        name = rng.choice(FUND_FIELDS)[0]
        funds[name] = _money(this_month * Decimal(str(rng.uniform(0.6, 1.1))))
    workers = rng.randint(30, 400) if this_month else 0
    return dict(
        project_id=p["id"],
        year=year,
        month=month,
        status=status,
        invested_month=this_month,
        invested_ytd=ytd,
        invested_total=p["invested_before_year"] + ytd,
        workers_planned=workers,
        workers_actual=int(workers * rng.uniform(0.7, 1.05)),
        is_resumed=False,
        progress_text=text,
        difficulties="",
        milestone_updates={},
        reviewer_comment="形象进度描述过于简单，请补充现场照片"
        if status == ReportStatus.RETURNED
        else "",
        reviewed_at=reviewed,
        submitted_at=submitted,
        first_submitted_at=submitted,
        is_late=late,
        version=1,
        **funds,
    )


# Chance that a milestone due by today was missed, by profile: the projects on or ahead of
# schedule keep (nearly) all their milestones, so 较快 and 正常 exist beside 预警 and 滞后.
MISS_CHANCE = {"ahead": 0.0, "near": 0.03, "behind": 0.3, "far_behind": 0.5}


def _milestones(rng, p, today, kind):
    """Milestones that agree with the ledger: 开工/竣工/投产 actual dates are the project's
    started/completed/operating dates; nothing is done before the start or after the finish."""
    start, finish = p["planned_start"], p["planned_finish"]
    if not start or not finish:
        return []
    plan = [("start", "开工", start)]
    for days, k, name in [(75, "ground_zero", "正负零"), (200, "topping", "主体封顶")]:
        day = start + datetime.timedelta(days=days)
        if day < finish:
            plan.append((k, name, day))
    if p["category"] == Category.INDUSTRY:
        plan.append(("equipment", "设备安装", max(start, finish - datetime.timedelta(days=90))))
    plan.append(("completion", "竣工", finish))
    if p["category"] == Category.INDUSTRY:
        plan.append(("operation", "投产", finish + datetime.timedelta(days=60)))
    lifecycle = {
        "start": p["started_on"],
        "completion": p["completed_on"],
        "operation": p["operating_on"],
    }
    started, done_by = p["started_on"], p["completed_on"] or today
    rows = []
    for k, name, day in plan:
        if k in lifecycle:
            actual = lifecycle[k]
        elif started is None or day > done_by:
            actual = None
        elif p["completed_on"] is None and rng.random() < MISS_CHANCE.get(kind, 0.0):
            actual = None  # missed: overdue since `day`
        else:
            actual = day + datetime.timedelta(days=rng.randint(-10, 25))
            actual = min(done_by, max(started, actual))
        rows.append(
            dict(project_id=p["id"], kind=k, name=name, planned_on=day, actual_on=actual, note="")
        )
    return rows


def _problems(rng, p, today, kind):
    """Problems; only lagging projects carry overdue open ones (nothing overdue is part of
    what 较快 and 正常 mean)."""
    rows = []
    count = rng.choices([0, 1, 2], weights=[65, 25, 10])[0]
    for _ in range(count):
        category = rng.choice(list(PROBLEMS))
        text = rng.choice(PROBLEMS[category]).format(n=rng.randint(3, 40))
        deadline = today + datetime.timedelta(days=rng.randint(-60, 75))
        x = rng.random()
        status = (
            ProblemStatus.RESOLVED
            if x < 0.3
            else ProblemStatus.IN_PROGRESS
            if x < 0.7
            else ProblemStatus.OPEN
        )
        if kind in ("closed", "finished"):  # a finished project's problems were solved
            status = ProblemStatus.RESOLVED
        resolved = status == ProblemStatus.RESOLVED
        if not resolved and deadline < today and kind not in ("behind", "far_behind"):
            deadline = today + datetime.timedelta(days=rng.randint(5, 75))
        rows.append(
            dict(
                project_id=p["id"],
                category=category,
                description=text,
                coordination_level=rng.choice(["county", "county", "city", "province"]),
                responsible_unit_id=p["unit_id"],
                responsible_person=rng.choice(PEOPLE),
                deadline=deadline,
                status=status,
                is_supervised=rng.random() < 0.2,
                measures=MEASURES[category],
                progress_note="已召开专题协调会，正在推进" if status != ProblemStatus.OPEN else "",
                resolution="已协调解决" if resolved else "",
                resolved_on=min(today, deadline) if resolved else None,
                version=1,
            )
        )
    return rows


def _initial_history(year):
    """A "created" history row for every seeded report and problem, so that the first real
    edit shows its change (simple-history diffs each record against the one before)."""
    now = timezone.now()
    for model, rows in [
        (ProgressReport, ProgressReport.objects.filter(year__gte=year - 1)),
        (Problem, Problem.objects.filter(project__year__gte=year - 1)),
    ]:
        new = rows.exclude(pk__in=model.history.values("id"))
        insert_history_from(new, reason="示例数据", now=now)


def _letters(seed, year, today, reviewer):
    """A 督办函 for a few supervised, overdue problems (numbers continue the year's series)."""
    prefix = f"发改督办〔{year}〕"
    start = SupervisionLetter.objects.filter(number__startswith=prefix).count()
    problems = list(
        Problem.objects.filter(
            is_supervised=True, deadline__lt=today, letters__isnull=True, project__year=year
        )
        .exclude(status=ProblemStatus.RESOLVED)
        .select_related("project")
        .order_by("id")[:20]
    )
    rows = []
    for i, problem in enumerate(problems, start=start + 1):
        issued = max(problem.deadline, today - datetime.timedelta(days=20))
        rows.append(
            SupervisionLetter(
                kind="supervision",
                number=f"{prefix}{i}号",
                project=problem.project,
                problem=problem,
                recipient_id=problem.responsible_unit_id or problem.project.unit_id,
                body=f"关于“{problem.project.name}”{problem.description}的问题，已超过解决时限，请限期办结并书面回复。",
                issued_on=issued,
                reply_deadline=issued + datetime.timedelta(days=10),
                issued_by_id=reviewer,
            )
        )
    SupervisionLetter.objects.bulk_create(rows)
