"""A hand-computed 观摩评比: seven evaluators, two groups (towns; city departments).

Sheet: 建设进度 (60) + 现场组织 (40). Every evaluator's total for a project is given below and
split as (total − 35, 35). Evaluator 1 is a reporter of 甲县 (may not score 甲县's projects),
evaluator 2 the clerk of 市交通局 (may not score its project); 3–7 are city-level.

乡镇组 (participants are towns):
  p1 甲县城关镇  e2..e7  80 85 90 70 95 75   → drop 70, 95 → (75+80+85+90)/4 = 82.50
  p2 甲县城关镇  e2..e7  60 62 64 66 68 90   → drop 60, 90 → (62+64+66+68)/4 = 65.00
  p3 甲县新安镇  e2..e7  88 88 90 92 50 91   → drop 50, 92 → (88+88+90+91)/4 = 89.25
  p4 乙区东湖街道 e1..e7 70 71 72 73 74 75 76 → drop 70, 76 → 365/5 = 73.00
  p5 丙县城关镇  e1..e4  81 83 85 87.5 (e5 scored one line only: not counted) → 4 < 5, no
                 drop → 336.5/4 = 84.125 → 84.13
  甲县城关镇 (82.50+65.00)/2 = 73.75; ranks: 新安镇 89.25 红榜, 丙县城关镇 84.13, 甲县城关镇
  73.75, 东湖街道 73.00 黑榜. Group mean (82.50+65+89.25+73+84.13)/5 = 78.776 → 78.78.

市直部门组 (participants are the responsible units):
  p6 市交通局 (乙区) e1,e3..e7 90 80 85 95 70 75 → drop 70, 95 → 82.50   红榜
  p7 市住建局 (丙县) e1..e7 60 65 70 75 80 85 90 → drop 60, 90 → 75.00
  p8 市水利局 (甲县) e2..e7 50 55 60 65 70 95 → drop 50, 95 → 62.50     黑榜
  Group mean (82.50+75+62.50)/3 = 73.33.
"""

import datetime
from decimal import Decimal

from evaluations import services
from evaluations.choices import ParticipantKind
from registry.choices import RegionLevel, Role, UnitKind
from registry.tests.factories import (
    AnnualPlanFactory,
    ProjectFactory,
    RegionFactory,
    UnitFactory,
    make_user,
)

START = datetime.date(2026, 6, 18)
TOTALS = {
    "p1": {2: 80, 3: 85, 4: 90, 5: 70, 6: 95, 7: 75},
    "p2": {2: 60, 3: 62, 4: 64, 5: 66, 6: 68, 7: 90},
    "p3": {2: 88, 3: 88, 4: 90, 5: 92, 6: 50, 7: 91},
    "p4": {1: 70, 2: 71, 3: 72, 4: 73, 5: 74, 6: 75, 7: 76},
    "p5": {1: 81, 2: 83, 3: 85, 4: Decimal("87.5")},
    "p6": {1: 90, 3: 80, 4: 85, 5: 95, 6: 70, 7: 75},
    "p7": {1: 60, 2: 65, 3: 70, 4: 75, 5: 80, 6: 85, 7: 90},
    "p8": {2: 50, 3: 55, 4: 60, 5: 65, 6: 70, 7: 95},
}


class World:
    pass


def _places(w):
    w.city = RegionFactory(name="示例市", code="370100", level=RegionLevel.CITY)
    county = {}
    for key, name, code in (
        ("a", "甲县", "370102"),
        ("b", "乙区", "370103"),
        ("c", "丙县", "370104"),
    ):
        county[key] = RegionFactory(name=name, code=code, level=RegionLevel.COUNTY, parent=w.city)
    w.county = county

    def town(name, code, parent):
        return RegionFactory(name=name, code=code, level=RegionLevel.TOWN, parent=parent)

    w.a1 = town("甲县城关镇", "370102001", county["a"])
    w.a2 = town("甲县新安镇", "370102002", county["a"])
    w.b1 = town("乙区东湖街道", "370103001", county["b"])
    w.c1 = town("丙县城关镇", "370104001", county["c"])
    dept = UnitKind.DEPARTMENT
    w.traffic = UnitFactory(name="市交通局", region=w.city, kind=dept)
    w.housing = UnitFactory(name="市住建局", region=w.city, kind=dept)
    w.water = UnitFactory(name="市水利局", region=w.city, kind=dept)
    w.county_unit = {k: UnitFactory(name=f"{c.name}发改局", region=c) for k, c in county.items()}


def _projects(w):
    specs = {
        "p1": (w.a1, w.county_unit["a"]), "p2": (w.a1, w.county_unit["a"]),
        "p3": (w.a2, w.county_unit["a"]), "p4": (w.b1, w.county_unit["b"]),
        "p5": (w.c1, w.county_unit["c"]), "p6": (w.county["b"], w.traffic),
        "p7": (w.county["c"], w.housing), "p8": (w.county["a"], w.water),
    }  # fmt: skip
    w.p = {}
    for i, (key, (region, unit)) in enumerate(specs.items(), start=1):
        w.p[key] = ProjectFactory(
            code=f"GM-{i:02d}", name=f"观摩项目{key}", region=region, unit=unit
        )
        AnnualPlanFactory(project=w.p[key])


def _people(w):
    w.reviewer = make_user("gm_reviewer", Role.REVIEWER, region=w.city)
    w.e = {
        1: make_user("gm_e1", Role.REPORTER, region=w.county["a"]),
        2: make_user("gm_e2", Role.REPORTER, unit=w.traffic),
    }
    for i in range(3, 8):
        role = Role.LEADER if i % 2 else Role.REVIEWER
        w.e[i] = make_user(f"gm_e{i}", role, region=w.city)


def build(*, score=True):
    w = World()
    _places(w)
    _projects(w)
    _people(w)
    ev = services.event_create(
        name="2026年上半年观摩评比", year=2026, starts_on=START,
        ends_on=START + datetime.timedelta(days=1), user=w.reviewer,
    )  # fmt: skip
    for c in list(ev.criteria.all()):
        services.criterion_delete(event=ev, criterion=c)
    w.progress = services.criterion_save(event=ev, criterion=None, name="建设进度", max_points="60")
    w.organise = services.criterion_save(event=ev, criterion=None, name="现场组织", max_points="40")
    w.towns = services.group_add(event=ev, name="乡镇组")
    w.depts = services.group_add(event=ev, name="市直部门组")
    w.east = services.route_add(event=ev, name="东线")
    w.west = services.route_add(event=ev, name="西线")
    w.stop = {}
    for key, project in w.p.items():
        by_unit = key in ("p6", "p7", "p8")
        w.stop[key] = services.stop_add(
            event=ev, project_id=project.pk, group=w.depts if by_unit else w.towns,
            route=w.east if key in ("p1", "p2", "p3", "p6") else w.west,
            participant_kind=ParticipantKind.UNIT if by_unit else ParticipantKind.REGION,
        )  # fmt: skip
    for user in w.e.values():
        services.evaluator_add(event=ev, user=user)
    w.event = ev
    if score:
        score_all(w)
    return w


def give(w, who, key, total):
    """Evaluator `who` gives project `key` a total, split (total − 35, 35)."""
    total = Decimal(total)
    for criterion, points in ((w.progress, total - 35), (w.organise, Decimal(35))):
        services.score_save(
            event=w.event, user=w.e[who], stop_id=w.stop[key].pk,
            criterion_id=criterion.pk, points=str(points),
        )  # fmt: skip


def score_all(w):
    for key, totals in TOTALS.items():
        for who, total in totals.items():
            give(w, who, key, total)
    # evaluator 5 scores one line of p5 only: an incomplete sheet is not counted
    services.score_save(
        event=w.event, user=w.e[5], stop_id=w.stop["p5"].pk, criterion_id=w.progress.pk,
        points="60",
    )  # fmt: skip
