"""Demo statuses: `seed_demo` assesses every past month of the year after the reports exist."""

import datetime

from assessments.services import assess_month


def seed(*, seed: int, year: int, today: datetime.date, stdout) -> None:
    last_month = today.month - 1 if today.year == year else 12
    for month in range(1, last_month + 1):
        result = assess_month(year=year, month=month)
    if last_month >= 1:
        counts = "，".join(f"{k} {v}" for k, v in _labelled(result["counts"]))
        stdout.write(f"评价：1-{last_month}月已计算项目状态（{last_month}月：{counts}）")


def _labelled(counts):
    from assessments.choices import Status

    labels = dict(Status.choices)
    return [(labels[s], n) for s, n in counts.items()]
