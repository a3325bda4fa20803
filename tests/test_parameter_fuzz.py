"""Every query parameter a person can type into a URL, on every GET route: never a 5xx.

Generated from the URL configuration like the permission matrix (and on its world,
tests/permission_world.py): each GET route's parameters come from its FilterSet (pages and
API lists) or, for function views, from PARAMS below; a route that reads none is listed in
NO_PARAMS. Each parameter gets hostile values (malformed ids, NUL, quotes, markup, very long
text, out-of-range periods, unknown sort keys, far pages) and, for id parameters, the ids of
another county's region, unit, leader and project, as each role of the demo (admin, drc,
drc_lj, leader, leader_lj, tb_lj, tb_jt). The answer may be a 200, a redirect, a 400 with a
message, a 403 or a 404, never a 5xx; an answer to an out-of-scope id never names the other
county's region, unit, leader or projects.

The figure cache is switched on (tests run without it): an empty scope must get a cache key.
To stay fast, each (route, parameter) pair gets SAMPLE of its values, the roles and values
rotating across pairs so that every value meets every role somewhere; PARAM_FUZZ_FULL=1 in
the environment sends every value as every role (minutes).
"""

import itertools
import os

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from assessments.filtersets import JudgementFilterSet, LedgerStatusFilterSet
from milestones.filtersets import ProblemFilterSet
from pipeline.filtersets import PipelineFilterSet
from registry.filtersets import ProjectFilterSet
from tests.test_permission_matrix import (  # noqa: F401  (world: the shared fixture)
    EXPECT,
    ROUTES,
    body_text,
    url_for,
    url_params,
    world,
)

pytestmark = pytest.mark.django_db

# The demo's roles, as the matrix world's principals.
ROLES = {
    "admin": "admin",
    "drc": "reviewer",
    "drc_lj": "reviewer_a",
    "leader": "leader_city",
    "leader_lj": "leader_a",
    "tb_lj": "reporter_a",
    "tb_jt": "unit_clerk",
}
# Roles whose scope leaves something out, and the county whose objects they must not see.
OUTSIDE_OF = {"drc_lj": "b", "leader_lj": "b", "tb_lj": "b", "tb_jt": "a"}

LONG = "长" * 3000
HOSTILE = ["abc", "-1", "0", "99999999999999999999", "\x00", "a\x00b\x07", "'", "<script>", LONG]
SPECIFIC = {
    "year": ["2031", "1900", "2026.5"],
    "month": ["13", "0"],
    "quarter": ["5"],
    "period": ["2026-Q9", "2026-13", "1900-01", "2026-01..13", "2026-02..05"],
    "ordering": ["project__unit__name", "-nonexistent,code", "code,"],
    "page": ["999", "1.5"],
    "page_size": ["100000"],
    "kind": ["quarterly", "annual", "decade", "ytd"],
    "by": ["leader", "region"],
}
ID_PARAMS = ("region", "unit", "leader", "project", "parent", "problem")

PROJECT_FILTERS = list(ProjectFilterSet.base_filters)
# Every page with figures reads the period picker's parameters (milestones.periods.resolve).
JUDGEMENT = [*PROJECT_FILTERS, "month", "period"]
SCORE_PERIOD = ["period", "kind", "year", "month", "quarter"]
# Function views: the parameters each reads (besides the path).
PARAMS = {
    "portal:home": JUDGEMENT,
    "portal:ledger_export": list(LedgerStatusFilterSet.base_filters),
    "evaluations:score": ["route"],
    "registry:ledger_template": ["year"],
    "milestones:progress_template": ["year"],
    "registry:factor_edit": ["year"],
    "portal:notices": ["page"],
    "registry:import_list": ["page"],
    "portal:dashboard": JUDGEMENT,
    "portal:dashboard_screen": JUDGEMENT,
    "assessments:list": [*JudgementFilterSet.base_filters, "period", "page"],
    "assessments:export": [*JudgementFilterSet.base_filters, "period"],
    "assessments:scores": [*PROJECT_FILTERS, *SCORE_PERIOD, "by"],
    "assessments:score_export": [*PROJECT_FILTERS, *SCORE_PERIOD, "by"],
    "assessments:records": [*JUDGEMENT, "by"],
    "assessments:negative_export": [*JUDGEMENT, "by"],
    "assessments:forecast": [*JUDGEMENT, "page"],
    "assessments:forecast_export": JUDGEMENT,
    "api:dashboard": JUDGEMENT,
    "api:dashboard_charts": JUDGEMENT,
    "api:dashboard_map": JUDGEMENT,
    "api:scores": [*PROJECT_FILTERS, *SCORE_PERIOD, "by"],
    "api:forecast": JUDGEMENT,
    "api:forecast_projects": [*JUDGEMENT, "page", "page_size"],
    "api:forecast_at_risk": [*JUDGEMENT, "page", "page_size"],
    "bulletin:page": ["kind", "period", "year", "month", "quarter", "region"],
    "milestones:todo": ["year", "month", "show", "page"],
    "milestones:report_new": ["project", "year", "month"],
    "milestones:problem_export": list(ProblemFilterSet.base_filters),
    "milestones:problem_create": ["project"],
    "milestones:letter_create": ["project", "problem"],
    "instructions:create": ["project", "problem"],
    "reports:list": ["kind", "page"],
    "pipeline:overview": ["period", "year", "month", "region"],
    "pipeline:overview_export": ["period", "year", "month", "region"],
    "pipeline:targets": ["year"],
    "pipeline:export": list(PipelineFilterSet.base_filters),
    "api:startbatch-list": ["ordering", "page", "page_size"],
}
# GET routes that read no query parameter (detail pages, files, forms, API details).
NO_PARAMS = {
    "evaluations:list",
    "evaluations:create",
    "evaluations:detail",
    "evaluations:photo",
    "evaluations:bulletin",
    "evaluations:export",
    "evaluations:lookback",
    "favicon",
    "healthz",
    "login",
    "password_change",
    "password_change_done",
    "schema",
    "api-docs",
    "api:api-root",
    "milestones:progress_import",
    "milestones:report_detail",
    "milestones:report_edit",
    "milestones:photo",
    "milestones:photo_delete",
    "milestones:pending_photo",
    "milestones:photo_thumbnail",
    "milestones:project_photos",
    "bulletin:version",
    "bulletin:download",
    "milestones:windows",
    "milestones:problem_edit",
    "milestones:letter_detail",
    "instructions:detail",
    "instructions:attachment",
    "instructions:project_panel",
    "instructions:leader_summary",
    "milestones:milestone_edit",
    "milestones:suspension_request",
    "assessments:project_strip",
    "assessments:rule_list",
    "assessments:rule_create",
    "assessments:rule_edit",
    "reports:status",
    "reports:download",
    "registry:project_detail",
    "registry:project_edit",
    "registry:project_create",
    "registry:project_pool",
    "registry:years",
    "year_cycle:next",
    "registry:document",
    "registry:ledger_upload",
    "registry:import_detail",
    "registry:import_status",
    "registry:import_file",
    "portal:export_list",
    "portal:export_detail",
    "portal:export_status",
    "portal:export_file",
    "pipeline:create",
    "pipeline:detail",
    "pipeline:edit",
    "pipeline:document",
    "pipeline:import",
    "pipeline:import_template",
    "pipeline:batch_list",
    "pipeline:batch_create",
    "pipeline:batch_detail",
    "pipeline:batch_edit",
    "pipeline:batch_export",
}
SAMPLE = 3
FULL = bool(os.environ.get("PARAM_FUZZ_FULL"))


def _view_class(pattern):
    callback = pattern.callback
    return getattr(callback, "view_class", None) or getattr(callback, "cls", None)


def route_params(name, pattern) -> list[str] | None:
    """The query parameters of a GET route: its FilterSet's, else PARAMS; None if unknown."""
    cls = _view_class(pattern)
    actions = getattr(pattern.callback, "actions", None) or {}
    if actions and actions.get("get") != "list":
        return []  # an API detail: the object, no filters
    if cls is not None and getattr(cls, "filterset_class", None) is not None:
        names = list(cls.filterset_class.base_filters)
    elif cls is not None and getattr(cls, "filterset_fields", None) and actions:
        names = list(cls.filterset_fields)
    elif name in PARAMS:
        return PARAMS[name]
    elif name in NO_PARAMS:
        return []
    else:
        return None
    if actions:  # DRF: the ordering backend and pagination
        names += ["ordering", "page", "page_size"]
    else:
        names += ["page"]
    return list(dict.fromkeys(names))


def get_routes():
    """(name, pattern) of every GET route, once per name (the .json twins are the same
    view), with its parameters."""
    found, seen = [], set()
    for _route, name, pattern in ROUTES:
        if name in seen or "format" in url_params(pattern):
            continue
        if EXPECT.get(name, {}).get("GET", "").strip() == "405":
            continue
        seen.add(name)
        found.append((name, pattern, route_params(name, pattern)))
    return found


GET_ROUTES = get_routes()


def test_every_get_route_declares_its_parameters():
    missing = [name for name, _p, params in GET_ROUTES if params is None]
    assert not missing, (
        f"GET routes whose query parameters the fuzz test does not know: {missing}. Give the "
        "view a FilterSet, or list its parameters in PARAMS (or the route in NO_PARAMS) in "
        "tests/test_parameter_fuzz.py."
    )


@pytest.fixture(scope="module")
def fuzz_world(world):  # noqa: F811  (the imported fixture)
    # Distinct names, so that "the other county's leader is not named" is a substring check.
    for project, name in ((world.pa, "甲县李副县长"), (world.pb, "乙区王副区长")):
        project.leader.name = name
        project.leader.save()
    world.outside = {
        side: {
            "region": county,
            "unit": unit,
            "leader": project.leader,
            "project": project,
            "parent": county,
            "problem": world.objects["problem"][index],
        }
        for side, county, unit, project, index in (
            ("a", world.county_a, world.unit_a, world.pa, 0),
            ("b", world.county_b, world.unit_b, world.pb, 1),
        )
    }
    with override_settings(ASSESS_CACHE_SECONDS=60):
        cache.clear()
        yield world
    cache.clear()


def _names(obj) -> list[str]:
    return [t for t in (getattr(obj, "name", ""), getattr(obj, "code", "")) if t]


def request(w, role, url, params, *, hidden=()):
    """One GET in a savepoint that is rolled back; the problems found (none: fine)."""
    principal = ROLES[role]
    client = w.clients[principal]
    where = f"{role} GET {url}?{ {k: str(v)[:40] for k, v in params.items()} }"
    try:
        with transaction.atomic():
            response = client.get(url, params)
            transaction.set_rollback(True)
    except Exception as exc:  # the test client re-raises what would be a 500
        return [f"{where}: 500 ({type(exc).__name__}: {str(exc)[:200]})"]
    if response.status_code >= 500:
        return [f"{where}: {response.status_code}"]
    if response.status_code != 200 or not hidden:
        return []
    text = body_text(response)
    leaked = [t for t in (*w.forbidden[principal], *hidden) if t in text]
    return [f"{where}: names out-of-scope {leaked}"] if leaked else []


def cases(name, params, offset):
    """(role, parameter, value, hidden names) to send for one route."""
    roles = list(ROLES)
    counter = itertools.count(offset)
    for param in params:
        values = [*SPECIFIC.get(param, []), *HOSTILE]
        if FULL:
            picked = [(r, v) for r in roles for v in values]
        else:
            start = next(counter)
            picked = [
                (roles[(start + i) % len(roles)], values[(start * SAMPLE + i) % len(values)])
                for i in range(SAMPLE)
            ]
        for role, value in picked:
            yield role, param, value, ()
        if param in ID_PARAMS:
            for role, side in OUTSIDE_OF.items():
                yield role, param, "outside:" + side, ()


@pytest.mark.parametrize(
    "name,pattern,params",
    [r for r in GET_ROUTES if r[2]],
    ids=[r[0] for r in GET_ROUTES if r[2]],
)
def test_no_server_error_for_any_parameter(fuzz_world, name, pattern, params):
    w = fuzz_world
    row = EXPECT[name]
    obj = w.objects[row["obj"]][0] if row.get("obj") else None
    url = url_for(w, name, pattern, obj, row)
    base = row["params"](w, obj) if "params" in row else {}
    offset = sum(map(ord, name))
    problems = []
    for role, param, value, _hidden in cases(name, params, offset):
        hidden = ()
        if value.startswith("outside:"):
            target = w.outside[value.split(":")[1]][param]
            value, hidden = str(target.pk), tuple(_names(target))
        problems += request(w, role, url, {**base, param: value}, hidden=hidden)
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


def test_fuzz_covers_the_reported_routes():
    # The routes the 500s were seen on are all fuzzed, with the parameters that broke them.
    fuzzed = {name: set(params) for name, _p, params in GET_ROUTES if params}
    for name in (
        "portal:project_list",
        "portal:home",
        "portal:ledger_export",
        "portal:dashboard",
        "portal:dashboard_screen",
        "assessments:scores",
        "assessments:forecast",
        "assessments:list",
        "api:dashboard",
        "api:dashboard_charts",
        "api:dashboard_map",
        "api:scores",
        "api:forecast",
    ):
        assert {"region", "unit", "leader", "q", "year"} <= fuzzed[name], name
    assert "ordering" in fuzzed["portal:project_list"]
    assert reverse("portal:project_list") == "/projects/"


# Every place that reads a year from the query string reads it with the one period parser
# (core.periods): a bad year is a 400 that says what was wrong, on pages, exports and
# the API alike; never a 404 for some, a silent default for others, or a 500.
YEAR_READERS = (
    "portal:home",
    "portal:project_list",
    "portal:ledger_export",
    "portal:dashboard",
    "portal:dashboard_screen",
    "registry:ledger_template",
    "milestones:progress_template",
    "registry:factor_edit",
    "milestones:todo",
    "milestones:report_new",
    "milestones:review_queue",
    "assessments:list",
    "assessments:scores",
    "bulletin:page",
    "api:annualplan-list",
    "api:progressreport-list",
    "api:projectstatus-list",
    "api:dashboard",
)
BAD_YEARS = {"2026.5": "年度格式不正确", "abc": "年度格式不正确", "1900": "年度超出范围"}


@pytest.mark.parametrize("name", YEAR_READERS)
def test_a_bad_year_is_refused_alike_everywhere(fuzz_world, name):
    w = fuzz_world
    pattern = next(p for _route, n, p in ROUTES if n == name)
    row = EXPECT[name]
    obj = w.objects[row["obj"]][0] if row.get("obj") else None
    url = url_for(w, name, pattern, obj, row)
    base = row["params"](w, obj) if "params" in row else {}
    base.pop("period", None)  # a period, where a page takes one, comes before the year
    for bad, said in BAD_YEARS.items():
        response = w.clients["admin"].get(url, {**base, "year": bad})
        assert response.status_code == 400, (name, bad, response.status_code)
        text = response.content.decode()
        if "json" in response.get("Content-Type", ""):
            text = str(response.json())
        assert said in text, (name, bad, text[:300])
