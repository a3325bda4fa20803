"""Projects, reports and problems are never hard-deleted through the UI, the admin or the API
(data safety): even a superuser gets a refusal and the rows stay."""

import pytest
from django.contrib.auth import get_user_model

from milestones.models import Problem, ProgressReport
from milestones.tests.factories import ProblemFactory, ProgressReportFactory
from registry.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(city, users):
    report = ProgressReportFactory(project=city.project_a)
    problem = ProblemFactory(project=city.project_a)
    return {"project": city.project_a, "report": report, "problem": problem}


def test_admin_site_offers_no_delete(client, rows):
    # given a superuser in the Django admin
    root = get_user_model().objects.create_superuser("root", "root@example.cn", "x")
    client.force_login(root)
    pages = {
        "project": f"/admin/registry/project/{rows['project'].pk}/delete/",
        "report": f"/admin/milestones/progressreport/{rows['report'].pk}/delete/",
        "problem": f"/admin/milestones/problem/{rows['problem'].pk}/delete/",
    }
    for url in pages.values():
        # when they open the delete page, then it is refused
        assert client.get(url).status_code == 403
        assert client.post(url, {"post": "yes"}).status_code == 403
    # and the bulk "delete selected" action is not offered on the lists
    for url in ("/admin/registry/project/", "/admin/milestones/progressreport/",
                "/admin/milestones/problem/"):  # fmt: skip
        assert "delete_selected" not in client.get(url).content.decode()
    # and every row is still there
    assert Project.all_objects.filter(pk=rows["project"].pk).exists()
    assert ProgressReport.objects.filter(pk=rows["report"].pk).exists()
    assert Problem.objects.filter(pk=rows["problem"].pk).exists()


def test_api_refuses_delete(client, users, rows):
    client.force_login(users.admin)
    for path in (f"/api/projects/{rows['project'].pk}/",
                 f"/api/progress-reports/{rows['report'].pk}/",
                 f"/api/problems/{rows['problem'].pk}/"):  # fmt: skip
        assert client.delete(path).status_code in (403, 405), path
    assert Project.all_objects.filter(pk=rows["project"].pk).exists()
    assert ProgressReport.objects.filter(pk=rows["report"].pk).count() == 1
    assert Problem.objects.filter(pk=rows["problem"].pk).count() == 1
