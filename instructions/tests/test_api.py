"""/api/instructions/: 批示 with their 反馈 and attachments, scoped as the pages, read-only."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from instructions import services

pytestmark = pytest.mark.django_db


def test_list_carries_feedback_state_and_scope(client, city, users, clock, private_media):
    # given a 批示 in each county, county A's answered with a PDF
    a = services.instruction_issue(project=city.project_a, text="请推进征迁",
                                   deadline=datetime.date(2026, 4, 17), user=users.leader_city)  # fmt: skip
    services.instruction_issue(project=city.project_b, text="请解决用电",
                               deadline=datetime.date(2026, 4, 17), user=users.leader_city)  # fmt: skip
    services.feedback_add(
        instruction=a, text="已完成", version=1, user=users.reporter_a,
        uploads=[SimpleUploadedFile("协议.pdf", b"%PDF-1.4\n%%EOF\n")],
    )  # fmt: skip
    # when county A's reporter reads the API
    client.force_login(users.reporter_a)
    body = client.get("/api/instructions/").json()
    # then they get county A's only, with its feedback and a scoped download link
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["project_name"] == city.project_a.name
    assert (row["state"], row["state_label"]) == ("answered", "已反馈")
    (feedback,) = row["feedback"]
    assert feedback["text"] == "已完成" and feedback["author_name"] == "reporter_a"
    (attachment,) = feedback["attachments"]
    assert attachment["original_name"] == "协议.pdf"
    assert client.get(attachment["url"]).status_code == 200
    # the leader filters by state; a bad state is a Chinese 400; writing is refused
    client.force_login(users.leader_city)
    pending = client.get("/api/instructions/?state=pending").json()
    assert [r["project_name"] for r in pending["results"]] == [city.project_b.name]
    bad = client.get("/api/instructions/?state=later")
    assert bad.status_code == 400
    assert client.post("/api/instructions/", {"text": "x"}).status_code == 403
