"""The demo's 批示: answered (on time with an attachment, late), overdue, pending — the same
ones on every run, and a second run adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from instructions import rules
from instructions.models import Instruction

pytestmark = pytest.mark.django_db


def _rows():
    return sorted(
        (i.project.code, i.text, i.issued_on, i.deadline, rules.state(i).value,
         i.feedback.count(), sum(f.attachments.count() for f in i.feedback.all()))
        for i in Instruction.objects.select_related("project")
    )  # fmt: skip


def test_demo_instructions_are_deterministic_and_idempotent(private_media):
    call_command("seed_demo", "--projects", "30", stdout=StringIO())
    first = _rows()
    out = StringIO()
    call_command("seed_demo", "--projects", "30", stdout=out)
    assert _rows() == first and "领导批示：新建 0 条" in out.getvalue()
    states = [row[4] for row in first]
    assert sorted(set(states)) == ["answered", "answered_late", "overdue", "pending"]
    assert sum(row[6] for row in first) == 1  # one 反馈 carries an attachment
    assert all(i.project.region.name == "临江县" for i in Instruction.objects.all())
