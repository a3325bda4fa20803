"""Project codes for new projects that come without one.

A generated code follows the pattern the region already uses: when a county's projects are
coded `2026-LJX-0007`, its next new project is `2026-LJX-0008` — not `2026-XM-0001`. The
abbreviation is the most used one among the county's codes of the year, else of any year;
a county with no coded project yet falls back to `XM`. Numbers continue after the highest
one of that year and abbreviation, whichever county used it.
"""

import re
from collections import Counter, defaultdict

FALLBACK = "XM"
CODE = re.compile(r"^(?P<year>\d{4})-(?P<abbr>[A-Za-z]{1,10})-(?P<n>\d+)$")


def county_id(region_id, regions) -> int | None:
    """The county (a child of a root) holding `region_id`; `regions`: {id: Region}."""
    region = regions.get(region_id)
    while region is not None and region.parent_id is not None:
        parent = regions.get(region.parent_id)
        if parent is None or parent.parent_id is None:
            return region.pk
        region = parent
    return region.pk if region is not None else None


class CodeAllocator:
    """Next codes for `year` given every existing code and the county of its project."""

    def __init__(self, year: int, coded: list[tuple[str, int | None]]):
        self.year = year
        self.this_year = defaultdict(Counter)
        self.any_year = defaultdict(Counter)
        self.last = defaultdict(int)  # abbreviation → highest number used this year
        self.width = defaultdict(lambda: 4)  # digits the region writes (0007 or 007)
        for code, county in coded:
            m = CODE.match(code or "")
            if not m:
                continue
            abbr = m["abbr"].upper()
            self.any_year[county][abbr] += 1
            if int(m["year"]) == year:
                self.this_year[county][abbr] += 1
                self.last[abbr] = max(self.last[abbr], int(m["n"]))
                self.width[abbr] = len(m["n"])

    def abbreviation(self, county) -> str:
        for counts in (self.this_year.get(county), self.any_year.get(county)):
            if counts:
                return counts.most_common(1)[0][0]
        return FALLBACK

    def next(self, county) -> str:
        abbr = self.abbreviation(county)
        self.last[abbr] += 1
        return f"{self.year}-{abbr}-{self.last[abbr]:0{self.width[abbr]}d}"


def next_code(year: int, region_id: int) -> str:
    """The code a project of `region_id` added on its own (the web form) gets: the same
    allocation as an import's codeless rows, over every code in the database."""
    from registry.models import Project, Region

    regions = {r.pk: r for r in Region.objects.only("pk", "parent_id")}
    coded = [
        (code, county_id(rid, regions))
        for code, rid in Project.all_objects.values_list("code", "region_id")
    ]
    return CodeAllocator(year, coded).next(county_id(region_id, regions))
