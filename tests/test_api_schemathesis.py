"""Property-based API check: schemathesis drives every endpoint of the OpenAPI schema — reads
and writes, as a city reviewer — against a live server started by the test, and no request may
get a server error or a response that breaks the schema.

Generated values stay inside the schema, so a second test sends explicit out-of-range values
a person can type into a URL (malformed ids, NUL, far pages, out-of-range periods, unknown sort
keys, another county's ids) to every query parameter of every read, as a county reviewer."""

import pytest
import schemathesis
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from milestones.tests.factories import (
    MilestoneFactory,
    ProblemFactory,
    ProgressReportFactory,
    ReportingWindowFactory,
    SupervisionLetterFactory,
)

AUTH = {}


@pytest.fixture
def api_schema(live_server, city, users):
    # Objects for the generated ids to hit now and then, besides the 404s.
    ReportingWindowFactory(year=2026, month=3)
    for project in (city.project_a, city.project_b):
        ProgressReportFactory(project=project, month=3, status="submitted")
        MilestoneFactory(project=project)
        SupervisionLetterFactory(project=project, problem=ProblemFactory(project=project))
    token = Token.objects.create(user=users.reviewer)
    AUTH["Authorization"] = f"Token {token.key}"
    return schemathesis.openapi.from_url(f"{live_server.url}/api/schema/", headers=dict(AUTH))


CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def run_operation(operation):
    @given(case=operation.as_strategy())
    @settings(
        max_examples=12,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate(headers=dict(AUTH), checks=CHECKS)

    check()


# Explicit values per query parameter name (and, for any other parameter, per type).
OUT_OF_RANGE = {
    "year": ["2031", "1900", "0", "abc", "99999999999999999999"],
    "month": ["13", "0", "-1", "abc"],
    "period": ["2026-Q9", "2026-13", "1900-01", "abc"],
    "ordering": ["project__unit__name", "-nonexistent", "code,,name"],
    "page": ["999", "0", "-1", "abc"],
    "page_size": ["0", "-1", "99999999999999999999"],
    "q": ["\x00", "a\x00b\x1f", "'", "<script>", "长" * 3000],
}
BY_TYPE = {
    "integer": ["abc", "-1", "0", "99999999999999999999", "1.5", "\x00"],
    "string": ["\x00", "'", "<script>", "x" * 3000],
}
OTHER_COUNTY = ("region", "unit", "leader", "project", "parent")


def out_of_range_values(parameter, other_county):
    name = parameter["name"]
    kind = (parameter.get("schema") or {}).get("type", "string")
    values = list(OUT_OF_RANGE.get(name, BY_TYPE.get(kind, BY_TYPE["string"])))
    if name in other_county:
        values.append(str(other_county[name]))
    return values


@pytest.mark.e2e
@override_settings(ASSESS_CACHE_SECONDS=60)  # the figure cache too
def test_api_answers_out_of_range_parameters_without_server_errors(api_schema, city, users):
    token = Token.objects.create(user=users.reviewer_a)  # county A's reviewer
    headers = {"Authorization": f"Token {token.key}"}
    other_county = {
        "region": city.county_b.pk,
        "unit": city.unit_b.pk,
        "leader": city.project_b.leader_id,
        "project": city.project_b.pk,
        "parent": city.county_b.pk,
    }
    sent, failures = 0, []
    for operation in (result.ok() for result in api_schema.get_all_operations()):
        if operation.method.upper() != "GET" or "{" in operation.path:
            continue
        for parameter in operation.definition.raw.get("parameters", []):
            if parameter.get("in") != "query":
                continue
            for value in out_of_range_values(parameter, other_county):
                case = api_schema.make_case(operation=operation, query={parameter["name"]: value})
                sent += 1
                where = f"GET {operation.path}?{parameter['name']}={value[:30]!r}"
                response = case.call(headers=headers)
                if response.status_code >= 500:
                    failures.append(f"{where}: {response.status_code}")
                elif (
                    parameter["name"] in OTHER_COUNTY
                    and response.status_code == 200
                    and "乙区" in response.text
                ):
                    failures.append(f"{where}: names county B")
    assert sent >= 200  # every list's filters, the dashboard's and the forecast's
    assert not failures, "\n".join(failures)


@pytest.mark.e2e
def test_api_never_fails_and_keeps_its_schema(api_schema):
    # (schemathesis' own pytest plugin cannot take a live-server fixture under pytest 9, so
    # the operations are driven here, each as a Hypothesis test of its own.)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 20  # the walk really covers the API, reads and writes
    failures = []
    for operation in operations:
        try:
            run_operation(operation)
        except Exception as exc:  # collect every operation's failure, not only the first
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)
