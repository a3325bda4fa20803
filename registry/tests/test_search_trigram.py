"""The keyword search (`q`) on the ledger list and the API: the same projects on SQLite and
PostgreSQL as a plain case-insensitive substring match over name, code, owner and scope; on
PostgreSQL it is answered from the trigram indexes."""

import pytest
from django.db import connection

from conftest import login
from registry.models import Project
from registry.models.search import SEARCHED_FIELDS, search_condition
from registry.tests.factories import AnnualPlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db

ROWS = [
    ("2026-LJX-0001", "临江国道改建工程", "临江县交通投资有限公司", "新建公路12公里"),
    ("2026-LJX-0002", "Alpha新材料项目", "alpha实业有限公司", "建设生产车间"),
    ("2026-YFX-0001", "永丰县乡公路提质工程", "永丰县城市建设投资有限公司", "道路管网"),
    ("2026-YFX-0002", "永丰人民医院新院区", "ALPHA医疗投资有限公司", "主体工程"),
    ("2026-AB-0003", "污水处理厂提标", "清河实业有限公司", "配套设施及附属工程"),
]
QUERIES = ["公路", "公路提", "alpha", "ALP", "Al", "ljx", "2026-YF", "有限公司", "医", "不存在的词"]


@pytest.fixture
def ledger(city):
    for code, name, owner, scope in ROWS:
        p = ProjectFactory(
            code=code, name=name, owner=owner, scope=scope, region=city.county_a, unit=city.unit_a
        )
        AnnualPlanFactory(project=p)


def expected(value):
    """Python's answer: a case-insensitive substring of any searched field."""
    v = value.lower()
    return sorted(
        code
        for code, *texts in [(r[0], *r) for r in ROWS]
        if any(v in str(t).lower() for t in texts)
    )


@pytest.mark.parametrize("value", QUERIES)
def test_search_condition_finds_what_a_substring_match_finds(ledger, value):
    found = Project.objects.filter(code__in=[r[0] for r in ROWS]).filter(search_condition(value))
    assert sorted(found.values_list("code", flat=True)) == expected(value)


@pytest.mark.parametrize("value", ["公路", "alpha", "2026-YF"])
def test_ledger_page_and_api_list_the_same_projects(client, ledger, users, value):
    login(client, users.admin)
    page = client.get("/projects/", {"q": value, "year": 2026})
    assert page.status_code == 200
    html = page.content.decode()
    for code in expected(value):
        assert code in html
    for code in sorted({r[0] for r in ROWS} - set(expected(value))):
        assert code not in html
    api = client.get("/api/projects/", {"q": value})
    assert api.status_code == 200
    body = api.json()
    results = body["results"] if isinstance(body, dict) else body
    assert sorted(p["code"] for p in results) == expected(value)


def test_uncased_short_words_skip_upper_casing_others_keep_it():
    """What decides the SQL shape: only a pattern without trigrams and without case."""
    assert "contains" in str(search_condition("公路"))
    assert "icontains" not in str(search_condition("公路"))
    for value in ("公路提", "Al", "ab", "2026-YF"):
        assert "icontains" in str(search_condition(value))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm exists on PostgreSQL only")
def test_postgres_answers_the_search_from_the_trigram_indexes(ledger):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'registry_project' "
            "AND indexdef LIKE '%%gin_trgm_ops%%'"
        )
        names = {row[0] for row in cursor.fetchall()}
        assert names == {f"project_{f}_trgm" for f in SEARCHED_FIELDS}
        cursor.execute("SET LOCAL enable_seqscan = off")  # five rows: force the index's way
        plan = Project.objects.filter(search_condition("公路提质")).order_by().explain()
    assert "project_name_trgm" in plan and "project_scope_trgm" in plan
