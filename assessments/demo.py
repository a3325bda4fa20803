"""Demo statuses: `seed_demo` assesses every past month of the year after the reports exist."""

import datetime

from django.db import transaction

from assessments.models import ProjectMonthStatus
from assessments.services import assess_months
from core.bulk import foreign_keys_checked_at_end, indexes_built_at_end


def seed(*, seed: int, year: int, today: datetime.date, stdout) -> None:
    last_month = today.month - 1 if today.year == year else 12
    if last_month < 1:
        return
    load = (ProjectMonthStatus,)
    with transaction.atomic(), foreign_keys_checked_at_end(*load), indexes_built_at_end(*load):
        counts = assess_months(year=year, months=range(1, last_month + 1))[last_month]
    text = "，".join(f"{k} {v}" for k, v in _labelled(counts))
    stdout.write(f"评价：1-{last_month}月已计算项目状态（{last_month}月：{text}）")


def _labelled(counts):
    from assessments.choices import Status

    labels = dict(Status.choices)
    return [(labels[s], n) for s, n in counts.items()]
