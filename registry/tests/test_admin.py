"""Django admin: every registry model is registered and its pages open in Chinese."""

import pytest
from django.contrib import admin
from django.urls import reverse

from registry import models

pytestmark = pytest.mark.django_db

MODELS = [
    models.Region,
    models.Unit,
    models.Leader,
    models.Program,
    models.Profile,
    models.Project,
    models.AnnualPlan,
    models.Funding,
    models.Land,
    models.Relocation,
    models.Approval,
    models.Document,
    models.WorkTeamMember,
    models.ContractAssignment,
    models.ImportBatch,
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_has_a_chinese_admin(admin_client, city, model):
    assert admin.site.is_registered(model)
    info = (model._meta.app_label, model._meta.model_name)
    resp = admin_client.get(reverse("admin:{}_{}_changelist".format(*info)))
    assert resp.status_code == 200
    assert str(model._meta.verbose_name_plural) in resp.text


def test_project_change_page_has_factor_inlines(admin_client, city):
    resp = admin_client.get(reverse("admin:registry_project_change", args=[city.project_a.pk]))
    for label in [
        "年度计划",
        "资金",
        "用地",
        "征迁",
        "前期手续",
        "工作班子成员",
        "包保责任变更记录",
    ]:
        assert label in resp.text


def test_user_admin_edits_profile_region(admin_client, users):
    resp = admin_client.get(reverse("admin:auth_user_change", args=[users.reporter_a.pk]))
    assert "所属地区" in resp.text


def test_non_staff_cannot_open_admin(client, users):
    client.force_login(users.reviewer)
    resp = client.get(reverse("admin:index"))
    assert resp.status_code == 302


def test_admin_edit_of_a_plan_is_in_its_history(admin_client, admin_user, city):
    plan = city.project_a.annual_plans.get()
    url = reverse("admin:registry_annualplan_change", args=[plan.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(project=plan.project_id, planned_investment="1500.00")
    resp = admin_client.post(url, data)
    assert resp.status_code == 302
    latest = plan.history.first()
    assert latest.planned_investment == 1500 and latest.history_user == admin_user
    history = admin_client.get(reverse("admin:registry_annualplan_history", args=[plan.pk]))
    assert history.status_code == 200
