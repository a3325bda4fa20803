"""Every list page's filter selects offer 全部 exactly once, first (the review
queue once showed it up to five times)."""

import re

import pytest
from django.urls import reverse

from conftest import login

pytestmark = pytest.mark.django_db

LISTS = [
    "portal:project_list",
    "milestones:review_queue",
    "milestones:problem_list",
    "milestones:letter_list",
    "milestones:suspension_list",
]


@pytest.mark.parametrize("name", LISTS)
def test_each_select_offers_all_once_and_first(client, users, name):
    login(client, users.reviewer)
    # the page is rendered twice: styling the filter form again must not add another 全部
    client.get(reverse(name))
    html = client.get(reverse(name) + "?status=&region=").content.decode()
    selects = re.findall(r'<select name="(\w+)".*?>(.*?)</select>', html, re.S)
    assert len(selects) >= 2
    for field, body in selects:
        options = re.findall(r"<option[^>]*>([^<]*)</option>", body)
        assert options.count("全部") == 1, (field, options[:4])
        assert options[0] == "全部", (field, options[:2])
        assert "---------" not in options, field
