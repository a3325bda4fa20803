"""Inserting the demo's projects with their factors (plan, funding, land, relocation,
approvals, work team, assignment, programs) through the bulk module's COPY.

Draws per project come in the order plan, funding, land, relocation, approvals, team, as
they always did: the same seed gives the same rows.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from core.bulk import fast_insert, insert_history_from
from registry.choices import (
    ApprovalItem,
    ApprovalStatus,
    FundingSource,
    LandSupply,
    Nature,
    RelocationStatus,
    TeamRole,
)
from registry.demo import lifecycle
from registry.demo.names import money, person
from registry.models import (
    MONTH_FIELDS,
    AnnualPlan,
    Approval,
    ContractAssignment,
    Funding,
    Land,
    Project,
    Relocation,
    WorkTeamMember,
)
from registry.project_bulk import insert_project_history, insert_projects

AUDITED = (AnnualPlan, Funding, Land, Relocation, Approval)


def insert_with_history(projects):
    """New projects plus their "created" history rows, without per-row model work."""
    now = timezone.now()
    insert_projects(projects, now)
    insert_project_history(projects, user=None, reason="示例数据", now=now)
    return projects


def create_projects(rng, rows, year, programs):
    """Insert the rows' projects and every factor table, one COPY per table."""
    projects = insert_with_history([r["project"] for r in rows])
    tables = {model: [] for model in (*AUDITED, WorkTeamMember, ContractAssignment)}
    links = []
    for row, project in zip(rows, projects, strict=True):
        for model, objs in _factors(rng, row, project, year).items():
            tables[model] += objs
        links += [dict(project_id=project.pk, program_id=programs[k].pk) for k in row["programs"]]
    for model, objs in tables.items():
        fast_insert(model, objs)
    fast_insert(Project.programs.through, links)
    _audit_baselines(year)


def _factors(rng, row, project, year) -> dict:
    pk = project.pk
    return {
        AnnualPlan: [_plan(rng, row, project, year)],
        Funding: _funding(rng, project),
        Land: [_land(rng, pk)],
        Relocation: [_relocation(rng, pk, year)],
        Approval: _approvals(rng, project),
        WorkTeamMember: _team(rng, project),
        ContractAssignment: [
            dict(
                project_id=pk,
                leader_id=project.leader_id,
                unit_id=project.unit_id,
                start_on=datetime.date(year, 1, 1),
                reason="年度重点项目计划下达",
            )
        ],
    }


def _plan(rng, row, project, year) -> dict:
    plan_value, life = row["plan"], row["life"]
    sched = (
        lifecycle.schedule(rng, plan_value, life.first_month, life.last_month)
        if row["schedule"] and project.nature != Nature.PREPARATORY
        else [None] * 12
    )
    return dict(
        project_id=project.pk,
        year=year,
        planned_investment=plan_value,
        plan_start=life.plan_start,
        target_start=project.planned_start if life.plan_start else None,
        plan_finish=life.plan_finish,
        target_finish=project.planned_finish if life.plan_finish else None,
        **dict(zip(MONTH_FIELDS, sched, strict=True)),
    )


def _funding(rng, project) -> list[dict]:
    out = []
    for source in rng.sample(list(FundingSource), k=rng.choice([1, 2, 3])):
        planned = money(project.total_investment * Decimal(str(rng.uniform(0.1, 0.4))))
        in_place = money(planned * Decimal(str(rng.uniform(0.2, 1.0))))
        out.append(dict(project_id=project.pk, source=source, planned=planned, in_place=in_place))
    return out


def _land(rng, pk) -> dict:
    area = money(rng.uniform(20, 600))
    return dict(
        project_id=pk,
        required_area=area,
        farmland_conversion=money(area * Decimal(str(rng.uniform(0, 0.6)))),
        indicator_secured=money(area * Decimal(str(rng.uniform(0.3, 1.0)))),
        approved_area=money(area * Decimal(str(rng.uniform(0, 1.0)))),
        supply_status=rng.choice(list(LandSupply)),
    )


def _relocation(rng, pk, year) -> dict:
    households = rng.choice([0, 0, 0, 12, 35, 80, 150])
    return dict(
        project_id=pk,
        households_total=households,
        households_done=rng.randint(0, households),
        area_total=money(households * 0.6),
        area_done=money(households * 0.6 * rng.random()),
        deadline=datetime.date(year, rng.randint(3, 12), 30) if households else None,
        status=RelocationStatus.IN_PROGRESS if households else RelocationStatus.NOT_NEEDED,
    )


def _approvals(rng, project) -> list[dict]:
    started = project.started_on is not None
    out = []
    for item in ApprovalItem:
        status = (
            ApprovalStatus.DONE
            if started or rng.random() < 0.5
            else rng.choice([ApprovalStatus.IN_PROGRESS, ApprovalStatus.PENDING])
        )
        done_on = project.filed_on if status == ApprovalStatus.DONE else None
        out.append(dict(project_id=project.pk, item=item, status=status, done_on=done_on))
    return out


def _team(rng, project) -> list[dict]:
    pk, leader, unit_name = project.pk, project.leader, project.unit.name
    head = leader.name if leader else person(rng)
    return [
        dict(project_id=pk, name=head, post=leader.post if leader else "", role=TeamRole.HEAD),
        dict(project_id=pk, name=person(rng), post="局长", unit_name=unit_name,
             role=TeamRole.DEPUTY),
        dict(project_id=pk, name=person(rng), post="科长", unit_name=unit_name,
             phone=f"138{rng.randrange(10**8):08d}", role=TeamRole.LIAISON),
    ]  # fmt: skip


def _audit_baselines(year):
    """Audited factors get their "created" row, so that a first edit on the web shows its
    diff (one INSERT … SELECT per table)."""
    now = timezone.now()
    for model in AUDITED:
        if hasattr(model, "history"):
            rows = model.objects.filter(project__year=year)
            insert_history_from(
                rows.exclude(pk__in=model.history.values("id")), reason="示例数据", now=now
            )
