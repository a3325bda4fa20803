"""An API token stops working with its account: locked out after wrong passwords, or
deactivated — refused with a Chinese reason, and works again once the lock-out is lifted."""

import pytest
from axes.utils import reset
from django.test import override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ADDR = "10.1.2.3"


def token_client(user):
    client = APIClient(REMOTE_ADDR=ADDR)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@override_settings(AXES_ENABLED=True)
def test_a_locked_accounts_token_is_refused(client, city, users):
    api = token_client(users.reviewer)
    assert api.get("/api/projects/").status_code == 200

    # when five wrong passwords lock the account at the token's address
    for _ in range(5):
        client.post(reverse("login"), {"username": "reviewer", "password": "x"}, REMOTE_ADDR=ADDR)

    # then its token is refused there, in Chinese
    response = api.get("/api/projects/")
    assert response.status_code in (401, 403)
    assert "账号已暂时锁定" in response.json()["detail"]

    # and works again once the lock-out is lifted
    reset(username="reviewer")
    assert api.get("/api/projects/").status_code == 200


def test_a_deactivated_accounts_token_is_refused_in_chinese(city, users):
    api = token_client(users.reviewer)
    users.reviewer.is_active = False
    users.reviewer.save()
    response = api.get("/api/projects/")
    assert response.status_code in (401, 403)
    assert response.json()["detail"] == "账号已停用，API 令牌不可用"
