"""The rules of an 观摩评比 (SPEC §3.10), pure: no database.

- An evaluator's score of a project is the sum of their points over the scoring sheet; only a
  complete sheet (every criterion scored) counts.
- A project's score is the mean of its evaluators' scores; with five or more, the highest and
  the lowest are dropped first (one of each).
- A participant's (a region's or a unit's) score is the mean of its projects' scores, and a
  group's is the mean of its projects'.
- Participants are ranked within their group by score (ties by name); the first and the last
  go on the 红榜/黑榜 by assessments.scoring.boards (three or more ranked, never one on both).
- Nobody scores a project of their own region or unit.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from assessments.scoring import boards

CENT = Decimal("0.01")
TRIM_FROM = 5  # with this many scores or more, the highest and the lowest are dropped


def mean(values) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, ROUND_HALF_UP)


def project_score(totals: list[Decimal]) -> tuple[Decimal | None, list[Decimal]]:
    """(score, the totals it counted) of one project from its evaluators' totals."""
    counted = sorted(totals)
    if len(counted) >= TRIM_FROM:
        counted = counted[1:-1]
    return mean(counted), counted


@dataclass
class ProjectResult:
    stop_id: int
    project_id: int
    participant: str  # participant key
    totals: list = field(default_factory=list)  # complete sheets' totals, by evaluator
    counted: list = field(default_factory=list)
    score: Decimal | None = None


@dataclass
class ParticipantRow:
    key: str
    name: str
    projects: list = field(default_factory=list)
    score: Decimal | None = None
    completion_rate: None = None  # what scoring.boards compares after the score
    rank: int = 0
    board: str = ""


@dataclass
class GroupResult:
    group_id: int
    name: str
    mean: Decimal | None = None
    rows: list = field(default_factory=list)  # ParticipantRow, ranked first


def rank_group(group_id: int, name: str, projects: list[ProjectResult], names: dict) -> GroupResult:
    """One group's participants, scored and ranked, with the 红榜/黑榜 marked."""
    rows: dict[str, ParticipantRow] = {}
    for p in projects:
        rows.setdefault(p.participant, ParticipantRow(p.participant, names[p.participant]))
        rows[p.participant].projects.append(p)
    for row in rows.values():
        row.score = mean(p.score for p in row.projects if p.score is not None)
    ranked = sorted(
        (r for r in rows.values() if r.score is not None), key=lambda r: (-r.score, r.name)
    )
    for i, row in enumerate(ranked, start=1):
        row.rank = i
    boards(ranked)
    unranked = sorted((r for r in rows.values() if r.score is None), key=lambda r: r.name)
    group_mean = mean(p.score for p in projects if p.score is not None)
    return GroupResult(group_id, name, group_mean, ranked + unranked)


def conflict(profile_region, profile_unit_id, project_region_path: str, project_unit_id,
             participant_unit_id=None) -> str | None:  # fmt: skip
    """Why an evaluator may not score a project, or None. A city-level account (its region
    the root of the tree) has no region of its own among those compared."""
    if profile_unit_id and profile_unit_id in (project_unit_id, participant_unit_id):
        return "不能为本单位的项目评分"
    if (
        profile_region is not None
        and profile_region.parent_id is not None
        and project_region_path.startswith(profile_region.path)
    ):
        return f"不能为本地区（{profile_region.name}）的项目评分"
    return None
