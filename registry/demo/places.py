"""The demo's places and people: regions, units, leaders, programs and the demo accounts.

One city (江州市) by default; with `cities > 1` a province (江右省) above ten cities, the first
of which is 江州市 as in the one-city demo, for measuring at province scale.
"""

import hashlib
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from registry.choices import LeaderLevel, RegionLevel, Role, UnitKind
from registry.demo.names import (
    CITIES,
    CITY,
    CITY_LEADERS,
    CITY_UNITS,
    COUNTIES,
    COUNTY_POSTS,
    COUNTY_UNIT_KINDS,
    DEMO_PASSWORD,
    OTHER_COUNTIES,
    PROVINCE,
    TOWN_SUFFIXES,
    person,
)
from registry.models import Leader, Profile, Region, Unit


@dataclass
class County:
    """A 县区 with what its projects draw from: its towns, units and leaders, and its city's."""

    region: Region
    abbr: str
    index: int  # its place in the city, for the demo map
    towns: list = field(default_factory=list)
    units: list = field(default_factory=list)
    leaders: list = field(default_factory=list)
    city_units: list = field(default_factory=list)
    city_leaders: list = field(default_factory=list)


@dataclass
class Places:
    root: Region  # the city, or the province above the cities
    city: Region  # 江州市: the demo accounts' city
    counties: list  # County, in project order (round robin over them)
    city_units: list
    city_leaders: list


def build_places(rng, cities: int = 1) -> Places:
    """Regions, units and leaders, get-or-create (a second run finds them). The random
    stream is drawn in the one-city demo's order first, so the city is the same either way."""
    province = None
    if cities > 1:
        province = _region(PROVINCE[1], PROVINCE[0], RegionLevel.PROVINCE, None)
    first = _city(rng, CITY, COUNTIES, province)
    counties = list(first.counties)
    for spec in CITIES[: cities - 1]:
        counties += _city(rng, spec, _other_counties(spec), province).counties
    return Places(
        root=province or first.city,
        city=first.city,
        counties=counties,
        city_units=first.city_units,
        city_leaders=first.city_leaders,
    )


def _other_counties(city_spec):
    name, code, abbr = city_spec
    stem = name.removesuffix("市")
    return [
        (f"{stem}{suffix}", f"{code[:4]}{i:02d}", f"{abbr}{i}")
        for i, suffix in enumerate(OTHER_COUNTIES, start=1)
    ]


@dataclass
class _City:
    city: Region
    counties: list
    city_units: list
    city_leaders: list


def _city(rng, spec, county_specs, parent) -> _City:
    """One city, created in the one-city demo's order (regions with their towns, units,
    leaders), so its rows keep their ids and names."""
    name, code, _abbr = spec
    city = _region(code, name, RegionLevel.CITY, parent)
    counties = []
    for i, (c_name, c_code, abbr) in enumerate(county_specs):
        county = _region(c_code, c_name, RegionLevel.COUNTY, city)
        counties.append(County(county, abbr, i, towns=_towns(county)))
    prefix = "" if parent is None or code == CITY[1] else name
    city_units = [
        Unit.objects.get_or_create(
            name=prefix + n, region=city, defaults={"kind": UnitKind.DEPARTMENT}
        )[0]
        for n in CITY_UNITS
    ]
    for county in counties:
        county.units = _county_units(county.region)
    city_leaders = _city_leaders(city, prefix)
    for ci, county in enumerate(counties):
        county.leaders = _county_leaders(rng, ci, county.region)
        county.city_units, county.city_leaders = city_units, city_leaders
    return _City(city, counties, city_units, city_leaders)


def _region(code, name, level, parent):
    return Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )[0]


def _towns(county):
    stem = county.name.removesuffix("县").removesuffix("区")
    return [
        _region(f"{county.code}{i:03d}", stem + suffix, RegionLevel.TOWN, county)
        for i, suffix in enumerate(TOWN_SUFFIXES, start=1)
    ]


def _county_units(county):
    return [
        Unit.objects.get_or_create(
            name=pattern.format(c=county.name), region=county, defaults={"kind": kind}
        )[0]
        for pattern, kind in COUNTY_UNIT_KINDS
    ]


def _city_leaders(city, prefix):
    return [
        Leader.objects.get_or_create(
            name=name,
            region=city,
            defaults={
                "post": prefix + post,
                "level": LeaderLevel.CITY,
                "phone": f"0791-8{i:03d}1001",
            },
        )[0]
        for i, (name, post) in enumerate(CITY_LEADERS)
    ]


def _county_leaders(rng, ci, county):
    people = []
    for pi, post in enumerate(COUNTY_POSTS):
        # Names are drawn from the rng; the same seed gives the same names.
        name = person(rng)
        post_text = post.replace("县（区）", county.name[-1] if county.name[-1] in "县区" else "区")
        people.append(
            Leader.objects.get_or_create(
                name=name,
                region=county,
                defaults={
                    "post": county.name + post_text,
                    "level": LeaderLevel.COUNTY,
                    "phone": f"139{ci:02d}{pi:02d}{rng.randrange(10000):04d}",
                },
            )[0]
        )
    return people


def build_users(places: Places) -> list:
    """The demo accounts (one shared password); city-wide ones see the whole root region."""
    root, counties = places.root, [c.region for c in places.counties]
    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    specs = [
        ("admin", "系统管理员", Role.ADMIN, root, None),
        ("drc", "市发改委审核员", Role.REVIEWER, root, None),
        ("drc_lj", "临江县发改局审核员", Role.REVIEWER, counties[2], None),
        ("leader", "市领导", Role.LEADER, root, None),
        ("leader_lj", "临江县领导", Role.LEADER, counties[2], None),
        ("tb_lj", "临江县填报员", Role.REPORTER, counties[2], None),
        ("tb_yf", "永丰县填报员", Role.REPORTER, counties[3], None),
        ("tb_jt", "市交通运输局填报员", Role.REPORTER, None, places.city_units[1]),
    ]
    user_model = get_user_model()
    # One hash for the shared demo password: hashing it eight times (PBKDF2, ~0.3 s each)
    # was a tenth of a small seed's time, for accounts whose password is printed anyway.
    demo_hash = make_password(DEMO_PASSWORD)
    out = []
    for username, full_name, role, region, unit in specs:
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"first_name": full_name}
        )
        if created:
            user.password = demo_hash
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.save()
            user.groups.add(groups[role])
        Profile.objects.get_or_create(user=user, defaults={"region": region, "unit": unit})
        out.append((username, DEMO_PASSWORD, role.label, full_name))
    # The city leader account is linked to the mayor so "my projects" works.
    Leader.objects.filter(pk=places.city_leaders[0].pk, user__isnull=True).update(
        user=user_model.objects.get(username="leader")
    )
    return out


# The demo map (static/vendor/geo/jiangzhou.geojson): each 县区 a sector of an irregular
# outline around this centre, in the order of COUNTIES.
MAP_CENTRE = (115.0, 27.5)


def demo_position(county_index: int, code: str) -> tuple[Decimal, Decimal]:
    """A project's (lng, lat) inside its 县区's sector of the demo map, from its code alone
    (the seed's random stream is left untouched, so every other demo figure stays the same)."""
    digest = hashlib.sha256(code.encode()).digest()
    u, v = digest[0] / 255, digest[1] / 255
    step = 2 * math.pi / len(COUNTIES)
    angle = county_index * step + 0.3 + step * (0.15 + 0.7 * u)
    edge = 0.55 + 0.08 * math.sin(3 * angle) + 0.05 * math.cos(5 * angle + 1)
    radius = edge * (0.2 + 0.7 * v)
    lng = MAP_CENTRE[0] + radius * math.cos(angle) * 1.1
    lat = MAP_CENTRE[1] + radius * math.sin(angle)
    return Decimal(f"{lng:.6f}"), Decimal(f"{lat:.6f}")
