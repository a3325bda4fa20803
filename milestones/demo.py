"""Demo data of the milestones app, called by `manage.py seed_demo` after the registry.

For every month of `year` before today's month: reporting windows and monthly reports in a
realistic spread (most approved on time, a few late, submitted or returned; most projects
near their schedule, some 10–20 points behind, a few more than 20 behind, a few ahead);
milestones with some overdue; a few planned starts passed without a start; problems (some
督办, some overdue, some resolved) and a few supervision letters.

Deterministic (one `random.Random` per project, seeded from `seed` and the project code),
idempotent (projects that already have reports of the year are skipped) and vectorised
(plain multi-row inserts, no per-row queries) so 20,000 projects take seconds.
"""

import datetime
import functools
import random
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

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
from registry.bulk import fast_insert
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
PROBLEMS = {
    "land": ["用地指标尚未下达，影响二期开工", "土地组卷报批进度滞后", "林地使用手续未办结"],
    "funding": ["专项债资金未按计划拨付到位", "银行贷款审批周期长，资金缺口较大"],
    "relocation": ["剩余{n}户征迁未完成，影响施工进场", "管线迁改协调难度大"],
    "approval": ["施工许可证尚未办理", "环评批复待省厅审查", "规划方案调整需重新审批"],
    "environment": ["施工扬尘整改要求停工整改", "污水排放指标需重新核定"],
    "other": ["施工用电容量不足，需新建专线", "原材料价格上涨，施工单位进度放缓"],
}
PEOPLE = ["张伟", "王芳", "李强", "刘洋", "陈静", "杨磊", "赵敏", "黄涛", "周杰", "吴娟"]


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def _local(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@functools.cache
def _aware(day: datetime.date, hour: int):
    """A local time; cached because the seed reuses a few thousand of them."""
    return _local(day, hour)


def _profile(rng) -> str:
    """How a project runs this year against its schedule."""
    x = rng.random()
    if x < 0.06:
        return "not_started"
    if x < 0.14:
        return "far_behind"  # more than 20 points behind
    if x < 0.30:
        return "behind"  # 10–20 points behind
    if x < 0.40:
        return "ahead"
    return "near"


def _ratio(rng, kind: str, time_rate: Decimal) -> Decimal:
    """Multiplier of the cumulative plan giving the wanted gap G = R − T at the last month."""
    if kind == "not_started":
        return Decimal(0)
    t = max(time_rate, Decimal("1"))  # in percent
    gap = {
        "far_behind": -rng.uniform(22, 35),
        "behind": -rng.uniform(11, 19),
        "ahead": rng.uniform(11, 18),
        "near": rng.uniform(-6, 6),
    }[kind]
    return max(Decimal(0), 1 + Decimal(str(gap)) / t)


def seed(*, seed: int, year: int, today: datetime.date, stdout) -> None:
    last_month = today.month - 1 if today.year == year else 12
    with transaction.atomic():
        _windows(year, last_month, today)
        projects = list(
            Project.objects.filter(year=year, is_package=False)
            .exclude(pool__in=[Pool.RESERVE, Pool.WITHDRAWN])
            .exclude(progress_reports__year=year)
            .order_by("code")
            .values(
                "id",
                "code",
                "unit_id",
                "nature",
                "category",
                "invested_before_year",
                "planned_start",
                "planned_finish",
                "started_on",
            )
        )
        if not projects:
            stdout.write("月报：无新增项目，跳过")
            return
        plans = {
            p["project_id"]: p
            for p in AnnualPlan.objects.filter(
                year=year, project_id__in=[p["id"] for p in projects]
            ).values("project_id", "planned_investment", *MONTH_FIELDS)
        }
        users = {
            u.username: u.pk for u in get_user_model().objects.filter(username__in=["drc", "tb_lj"])
        }
        reporter, reviewer = users.get("tb_lj"), users.get("drc")
        reports, milestones, problems, unstart = [], [], [], []
        for p in projects:
            rng = random.Random(f"{seed}-{p['code']}")
            kind = _profile(rng)
            plan = plans.get(p["id"])
            if kind == "not_started" and p["planned_start"] and p["planned_start"] < today:
                unstart.append(p["id"])
                p["started_on"] = None
            if last_month >= 1 and plan:
                reports += _reports(rng, p, plan, kind, year, last_month, today, reporter, reviewer)
            milestones += _milestones(rng, p, today, kind)
            problems += _problems(rng, p, today)
        if unstart:
            Project.objects.filter(pk__in=unstart).update(started_on=None)
        fast_insert(ProgressReport, reports)
        fast_insert(Milestone, milestones)
        fast_insert(Problem, problems)
        _letters(seed, year, today, reviewer)
    stdout.write(
        f"月报：{len(reports)} 份（{len(projects)} 个项目，1-{last_month}月）；"
        f"节点 {len(milestones)} 个；问题 {len(problems)} 个；应开未开 {len(unstart)} 个"
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


def _reports(rng, p, plan, kind, year, last_month, today, reporter, reviewer):
    annual = plan["planned_investment"] or Decimal(0)
    cum = [
        plan[f] if plan[f] is not None else _money(annual * m / 12)
        for m, f in enumerate(MONTH_FIELDS, start=1)
    ]
    time_rate = cum[last_month - 1] * 100 / annual if annual else Decimal(0)
    ratio = _ratio(rng, kind, time_rate)
    rows, prev_ytd = [], Decimal(0)
    started = p["started_on"] is not None
    for month in range(1, last_month + 1):
        ytd = max(prev_ytd, _money(cum[month - 1] * ratio))
        this_month = ytd - prev_ytd
        prev_ytd = ytd
        deadline = default_deadline(year, month)
        latest = month == last_month
        x = rng.random()
        if latest:
            status = (
                ReportStatus.APPROVED
                if x < 0.6
                else ReportStatus.SUBMITTED
                if x < 0.85
                else ReportStatus.RETURNED
                if x < 0.93
                else ReportStatus.DRAFT
            )
        else:
            status = ReportStatus.APPROVED
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
        funds = {name: Decimal(0) for name, _s in FUND_FIELDS}
        if this_month:
            name = rng.choice(FUND_FIELDS)[0]
            funds[name] = _money(this_month * Decimal(str(rng.uniform(0.6, 1.1))))
        workers = rng.randint(30, 400) if this_month else 0
        rows.append(
            dict(
                project_id=p["id"],
                year=year,
                month=month,
                status=status,
                invested_month=this_month,
                invested_ytd=ytd,
                invested_total=p["invested_before_year"] + ytd,
                workers_planned=workers,
                workers_actual=int(workers * rng.uniform(0.7, 1.05)),
                is_started=started
                and p["started_on"].year == year
                and p["started_on"].month == month,
                is_resumed=False,
                progress_text=(
                    rng.choice(PROGRESS_TEXTS).format(p=rng.randint(20, 95), n=rng.randint(2, 18))
                    if this_month
                    else "前期手续办理中，尚未开工"
                ),
                difficulties="",
                milestone_updates={},
                reviewer_comment="形象进度描述过于简单，请补充现场照片"
                if status == ReportStatus.RETURNED
                else "",
                reviewed_by_id=reviewer if reviewed else None,
                reviewed_at=reviewed,
                submitted_by_id=reporter if submitted else None,
                submitted_at=submitted,
                first_submitted_at=submitted,
                is_late=late,
                created_by_id=reporter,
                version=1,
                **funds,
            )
        )
    return rows


def _milestones(rng, p, today, kind):
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
    rows = []
    for k, name, day in plan:
        actual = None
        if k == "start":
            actual = p["started_on"]
        elif day <= today and kind != "not_started" and rng.random() < 0.85:
            actual = min(today, day + datetime.timedelta(days=rng.randint(-10, 25)))
        rows.append(
            dict(project_id=p["id"], kind=k, name=name, planned_on=day, actual_on=actual, note="")
        )
    return rows


def _problems(rng, p, today):
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
        resolved = status == ProblemStatus.RESOLVED
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
                progress_note="已召开专题协调会，正在推进" if status != ProblemStatus.OPEN else "",
                resolution="已协调解决" if resolved else "",
                resolved_on=min(today, deadline) if resolved else None,
                version=1,
            )
        )
    return rows


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
