"""Demo statuses: `seed_demo` assesses every past month of the year after the reports exist."""

import datetime

from django.db import transaction

from assessments.project_months import rebuild
from assessments.services import assess_months


def seed(*, seed: int, year: int, today: datetime.date, stdout) -> None:
    last_month = today.month - 1 if today.year == year else 12
    with transaction.atomic():
        # The fact table from scratch (the seed bypasses save signals), then the statuses
        # judged from it and copied into it.
        rows = rebuild()
        if last_month >= 1:
            counts = assess_months(year=year, months=range(1, last_month + 1))[last_month]
    stdout.write(f"评价：月度事实表{rows}行")
    if last_month < 1:
        return
    text = "，".join(f"{k} {v}" for k, v in _labelled(counts))
    stdout.write(f"评价：1-{last_month}月已计算项目状态（{last_month}月：{text}）")


def _labelled(counts):
    from assessments.choices import Status

    labels = dict(Status.choices)
    return [(labels[s], n) for s, n in counts.items()]
