"""绩效库 and 负面清单 (SPEC §3.3): per leader and unit, per year.

A unit or leader goes on the negative list for each of its projects that was 滞后 for the
rule set's N months running (default 3), or still 应开未开 at the year's end (December's
stored status). The record lists its projects, the month-by-month status counts, the
year-to-date score and the negative-list entries.

Other judgements (an 观摩评比 event's ranking, SPEC §3.10) write stored entries through
`record_entries_replace`, naming their source; the records show them beside the computed ones.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from assessments.choices import Status
from assessments.models import ProjectMonthStatus, RecordEntry
from assessments.scoring import scores
from assessments.services import active_rules
from core.cache import bump, cached
from core.periods import Period, month_end
from registry.models import Leader, Unit


@dataclass
class Entry:
    project_code: str
    project_name: str
    reason: str


@dataclass
class Record:
    key: int
    name: str
    projects: int = 0
    monthly: dict = field(default_factory=dict)  # month → {status: count}
    score: object = None
    rank: int = 0
    negatives: list = field(default_factory=list)
    entries: list = field(default_factory=list)  # stored 绩效库 entries of other judgements


def _runs(months: dict, up_to: int, wanted: str) -> list[tuple[int, int]]:
    """(first, last) month of each run of `wanted` statuses, consecutive months only."""
    runs, start = [], None
    for m in range(1, up_to + 2):
        hit = m <= up_to and months.get(m) == wanted
        if hit and start is None:
            start = m
        elif not hit and start is not None:
            runs.append((start, m - 1))
            start = None
    return runs


def negative_entries(statuses: dict, up_to: int, n: int, december_unstarted: bool) -> list[str]:
    """Pure: the negative-list reasons of one project from its stored statuses by month."""
    out = [
        f"连续{last - first + 1}个月滞后（{first}-{last}月）"
        for first, last in _runs(statuses, up_to, Status.LAGGING)
        if last - first + 1 >= n
    ]
    if december_unstarted:
        out.append("年底仍应开未开")
    return out


def records(projects, year: int, month: int, by: str = "unit") -> list[Record]:
    """绩效库 of units or leaders (kept in the figure cache)."""
    return cached("records", projects, year, month, _records, by=by)


def _records(projects, year: int, month: int, *, by: str) -> list[Record]:
    rules = active_rules(year)
    leaves = projects.filter(is_package=False)
    attr = "unit_id" if by == "unit" else "leader_id"
    rows = list(leaves.values("pk", "code", "name", attr))
    statuses = defaultdict(dict)
    december = set()
    for s in ProjectMonthStatus.objects.filter(
        project__in=leaves, year=year, month__lte=month
    ).values("project_id", "month", "status", "unstarted_days"):
        statuses[s["project_id"]][s["month"]] = s["status"]
        if s["month"] == 12 and s["unstarted_days"]:
            december.add(s["project_id"])
    model = Unit if by == "unit" else Leader
    out = {}
    for row in rows:
        key = row[attr]
        if key is None:
            continue
        rec = out.setdefault(key, Record(key, ""))
        rec.projects += 1
        for m, status in statuses[row["pk"]].items():
            counts = rec.monthly.setdefault(m, defaultdict(int))
            counts[status] += 1
        for reason in negative_entries(
            statuses[row["pk"]], month, rules.negative_months, row["pk"] in december
        ):
            rec.negatives.append(Entry(row["code"], row["name"], f"项目“{row['name']}”{reason}"))
    _stored_entries(out, year, month, attr)
    names = dict(model.objects.filter(pk__in=list(out)).values_list("pk", "name"))
    scored = {r.key: r for r in scores(projects, Period("ytd", year, month), by=by)}
    for rec in out.values():
        rec.name = names[rec.key]
        if rec.key in scored:
            rec.score, rec.rank = scored[rec.key].score, scored[rec.key].rank
    return sorted(out.values(), key=lambda r: (r.rank or 10**6, r.name))


def _stored_entries(out: dict, year: int, month: int, attr: str) -> None:
    """Stored entries of the records in `out` (those of the scope's units or leaders) dated
    within the period."""
    rows = RecordEntry.objects.filter(
        year=year, dated__lte=month_end(year, month), **{f"{attr}__in": list(out)}
    ).values(attr, "kind", "reason", "project__code", "project__name")
    for row in rows.order_by("source", "pk"):
        rec = out[row[attr]]
        entry = Entry(row["project__code"] or "", row["project__name"] or "", row["reason"])
        (rec.negatives if row["kind"] == RecordEntry.Kind.NEGATIVE else rec.entries).append(entry)


@transaction.atomic
def record_entries_replace(*, source: str, source_label: str, year: int, dated, entries) -> int:
    """Write the 绩效库/负面清单 entries of one judgement (`source`, e.g. "evaluation:12"),
    replacing what it wrote before: running it again never duplicates; `dated` the day they
    hold from. `entries`: dicts of
    kind, reason and unit_id and/or leader_id, optional project_id. Returns the count."""
    RecordEntry.objects.filter(source=source).delete()
    rows = [
        RecordEntry(year=year, dated=dated, source=source, source_label=source_label, **entry)
        for entry in entries
    ]
    for row in rows:
        row.full_clean(exclude=["unit", "leader", "project"])
    RecordEntry.objects.bulk_create(rows)
    bump()  # the records are cached figures
    return len(rows)
