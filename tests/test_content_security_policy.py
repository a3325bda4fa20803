"""Content-Security-Policy: every HTML page forbids inline script.

The policy is the second wall behind escaping: if a name ever reaches the DOM unescaped, the
browser still refuses to run it. So every route's HTML carries the header, and no template of
ours needs inline script (the header would break it).
"""

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import login
from milestones.tests.factories import (
    MilestoneFactory,
    ProblemFactory,
    ProgressReportFactory,
    SupervisionLetterFactory,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
REQUIRED_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "img-src": "'self' data: blob:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def directives(header):
    parts = (p.strip().split(None, 1) for p in header.split(";") if p.strip())
    return {p[0]: (p[1] if len(p) > 1 else "") for p in parts}


def routes(resolver=None, prefix="", namespace=""):
    """(name, pattern string, converters) of every route, admin's own pages excepted."""
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if pattern.startswith("admin/"):
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routes(entry, pattern, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            # path() routes name their converters; the API router's regex routes their groups
            # (the ".json" format-suffix twins are the same views and are skipped).
            params = list(entry.pattern.converters) or list(
                getattr(entry.pattern, "regex", None).groupindex
            )
            if "format" in params:
                continue
            yield f"{namespace}{entry.name}", pattern, params


@pytest.fixture
def objects(city):
    project = city.project_a
    return {
        "report": ProgressReportFactory(project=project).pk,
        "problem": ProblemFactory(project=project).pk,
        "letter": SupervisionLetterFactory(project=project).pk,
        "milestone": MilestoneFactory(project=project).pk,
        "project": project.pk,
    }


def url_for(name, converters, objects):
    if not converters:
        return reverse(name)
    # A pk that means something for the route where we have one; otherwise a 404 page,
    # which is HTML too and needs the header as much as any other page.
    kind = next((k for k in ("report", "problem", "letter", "milestone") if k in name), None)
    if kind is None and ("project" in name or "milestone" in name or "suspension_r" in name):
        kind = "project"
    return reverse(name, kwargs={arg: objects.get(kind, 999999) for arg in converters})


@pytest.mark.parametrize("username", ["reviewer", "reporter_a"])
def test_every_html_response_carries_the_policy(client, users, objects, username):
    # given a city reviewer or a county reporter, and one object of each kind
    login(client, getattr(users, username))
    seen_ok = 0
    # when every route is requested
    for name, _pattern, converters in routes():
        url = url_for(name, converters, objects)
        resp = client.get(url)
        if not resp.get("Content-Type", "").startswith("text/html"):
            continue
        # then each HTML answer, whatever its status, has the policy with no inline script
        assert "Content-Security-Policy" in resp, f"{url} ({resp.status_code}) 缺少 CSP"
        found = directives(resp["Content-Security-Policy"])
        for directive, value in REQUIRED_DIRECTIVES.items():
            assert found.get(directive) == value, (url, directive, found.get(directive))
        assert not inline_scripts(resp.text), url
        seen_ok += resp.status_code == 200
    assert seen_ok >= 10  # the walk really reached the pages, not only refusals and 404s


@pytest.mark.parametrize(
    "path", ["/login/", "/", "/no-such-page/", "/admin/login/", "/projects/999999/"]
)
def test_anonymous_and_error_pages_carry_the_policy(client, path):
    resp = client.get(path, follow=True)
    assert "script-src 'self'" in resp["Content-Security-Policy"]


def test_admin_pages_carry_the_policy(client, users):
    users.admin.is_staff = users.admin.is_superuser = True
    users.admin.save()
    login(client, users.admin)
    for url in ("/admin/", "/admin/registry/project/", "/admin/registry/project/add/"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert "script-src 'self'" in resp["Content-Security-Policy"], url
        assert not inline_scripts(resp.text), url


def inline_scripts(html):
    """<script> elements without src, other than data blocks (json_script)."""
    found = []
    for tag in re.findall(r"<script\b[^>]*>", html, flags=re.I):
        if re.search(r"\bsrc\s*=", tag, flags=re.I):
            continue
        if re.search(r'type\s*=\s*"application/(ld\+)?json"', tag, flags=re.I):
            continue
        found.append(tag)
    return found


INLINE_HANDLER = re.compile(r"<[^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I)


@pytest.mark.parametrize(
    "template", sorted((ROOT / "templates").rglob("*.html")), ids=lambda p: p.name
)
def test_templates_need_no_inline_script(template):
    # The policy refuses inline script, so a template that has some would be broken.
    text = template.read_text(encoding="utf-8")
    assert not inline_scripts(text), template
    assert not INLINE_HANDLER.search(text), template


def test_api_docs_load_swagger_from_our_static_files(client, users):
    login(client, users.reviewer)
    resp = client.get(reverse("api-docs"))
    assert resp.status_code == 200
    assert not inline_scripts(resp.text)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in resp.text
    assert "cdn.jsdelivr.net" not in resp.text
    script = client.get(reverse("api-docs") + "?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
