"""Demo 领导批示, called by `manage.py seed_demo` after the milestones app.

Five 批示 on 临江县 projects (so the demo reporter tb_lj answers them): the mayor's (the
`leader` account) on projects they contract where there are some, one of 临江县's leader on
a problem. Two answered (one on time with an attachment, one late), one overdue without 反馈,
two still within their deadline. Dates are relative to today; nothing is judged as of a day
to come. Deterministic (fixed choices by project code) and idempotent: a 批示 already there
(same project and text) is left as it is.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from instructions.choices import InstructionStatus
from instructions.models import Attachment, Feedback, Instruction
from instructions.services import signature
from milestones.models import Problem
from registry.models import Project

DEMO_PDF = b"%PDF-1.4\n% demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# (who, issued days ago, deadline days after issue, answered days ago or None, text, feedback)
PLAN = [
    (
        "leader",
        24,
        10,
        16,
        "请县政府主要负责同志牵头，十日内解决项目用地报批问题，确保按期开工。",
        "已召开专题协调会，用地报批材料已报省厅，预计下月获批。",
        True,
    ),
    (
        "leader",
        20,
        7,
        10,
        "该项目投资进度滞后，请责任单位分析原因，制定赶超措施并按周报送进展。",
        "已制定赶超计划，增加作业面两个，本月完成投资可达计划的90%。",
        False,
    ),
    ("leader", 15, 7, None, "请抓紧协调解决施工用电问题，反馈解决时限。", "", False),
    ("leader", 3, 10, None, "请加快设备采购招标，确保年内安装调试。", "", False),
    ("leader_lj", 2, 7, None, "请县自然资源局、住建局会同乡镇现场办公，限期解决。", "", False),
]


def _projects(today):
    """临江县 projects of this year's list, the mayor's contracted ones first, by code."""
    qs = Project.objects.filter(
        year=today.year, region__name="临江县", is_package=False, unit__isnull=False
    ).order_by("code")
    mine = list(qs.filter(leader__user__username="leader")[:4])
    rest = [p for p in qs[:8] if p not in mine]
    return (mine + rest)[: len(PLAN)]


def seed(*, seed: int, year: int, today: datetime.date, stdout) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["leader", "leader_lj", "tb_lj"])}  # fmt: skip
    projects = _projects(today)
    if "tb_lj" not in users or not projects:
        return
    made = 0
    with transaction.atomic():
        # A small demo city may have fewer 临江县 projects than 批示: they take turns.
        for n, row in enumerate(PLAN):
            made += _one(projects[n % len(projects)], row, users, today)
    stdout.write(f"领导批示：新建 {made} 条")


def _one(project, row, users, today) -> int:
    who, ago, days, answered_ago, text, reply, attach = row
    leader = users.get(who)
    if leader is None or Instruction.objects.filter(project=project, text=text).exists():
        return 0
    issued = today - datetime.timedelta(days=ago)
    problem = None
    if who == "leader_lj":
        problem = Problem.objects.filter(project=project).order_by("id").first()
    instruction = Instruction(
        project=project, problem=problem, text=text, issued_on=issued,
        deadline=issued + datetime.timedelta(days=days), issued_by=leader,
        signed_as=signature(leader),
        unit=(problem.responsible_unit if problem and problem.responsible_unit_id else None)
        or project.unit,
    )  # fmt: skip
    instruction._history_user = leader
    instruction._change_reason = "领导批示"
    instruction.save()
    if answered_ago is not None:
        _answer(
            instruction, reply, attach, users["tb_lj"], today - datetime.timedelta(answered_ago)
        )
    return 1


def _answer(instruction, reply, attach, reporter, day):
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 30)))
    feedback = Feedback(instruction=instruction, text=reply, author=reporter, created_at=at)
    feedback._history_user = reporter
    feedback.save()
    if attach:
        attachment = Attachment(
            feedback=feedback, original_name="办理情况报告.pdf", size=len(DEMO_PDF)
        )
        attachment.file.save("feedback.pdf", ContentFile(DEMO_PDF), save=False)
        attachment._history_user = reporter
        attachment.save()
    instruction.status = InstructionStatus.ANSWERED
    instruction.answered_at = at
    instruction.version += 1
    instruction._history_user = reporter
    instruction._change_reason = "反馈"
    instruction.save()
