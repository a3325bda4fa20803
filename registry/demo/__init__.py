"""The demo city (江州市): deterministic, idempotent, fast enough for 20,000 projects.

`seed_registry()` builds regions, units, leaders, programs, users and projects with all their
factors; with `cities=10` a province above ten cities (for measuring at province scale).
Other apps add their own demo data in `<app>/demo.py` (see the seed_demo command).

- names: the city's names and sizes; places: regions, units, leaders, accounts;
- projects: this year's projects as unsaved rows; factors: their insertion with every factor;
- packages: 打包项目; lifecycle: one consistent life per project; last_year: the closed year.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction

from core.bulk import fast_insert
from registry.demo import last_year
from registry.demo.factors import create_projects
from registry.demo.names import DEMO_PASSWORD, PROGRAMS
from registry.demo.packages import create_packages
from registry.demo.places import build_places, build_users, demo_position
from registry.demo.projects import project_rows
from registry.models import AnnualPlan, Program, Project

__all__ = ["DEMO_PASSWORD", "SeedResult", "demo_position", "seed_registry"]


@dataclass
class SeedResult:
    created_projects: int
    total_projects: int
    users: list


@transaction.atomic
def seed_registry(*, projects: int = 120, seed: int = 2026, today=None, stdout=None, cities=1):
    today = today or datetime.date.today()
    year = today.year
    rng = random.Random(seed)
    places = build_places(rng, cities)
    programs = [Program.objects.get_or_create(name=n)[0] for n in PROGRAMS]
    users = build_users(places)
    existing = set(Project.all_objects.filter(year=year).values_list("code", flat=True))
    rows = project_rows(rng, projects, year, today, places.counties)
    new_rows = [r for r in rows if r["project"].code not in existing]
    if new_rows:
        create_projects(rng, new_rows, year, programs)
        abbr = {c.region.code: c.abbr for c in places.counties}
        create_packages(year, [r["project"] for r in new_rows], existing, abbr)
        fast_insert(AnnualPlan, last_year.carried_over_plans(rng, new_rows, year))
    done = last_year.existing_codes(year)
    finished = [
        r
        for r in last_year.finished_rows(rng, rows, year, projects)
        if r["project"].code not in done
    ]
    if finished:  # last year's list: the projects that finished then
        create_projects(rng, finished, year - 1, programs)
    last_year.list_years(year)
    return SeedResult(
        created_projects=len(new_rows),
        total_projects=Project.objects.filter(year=year).count(),
        users=users,
    )
