"""Report runs as people meet them: the page, scoping, failures, stale and duplicate work."""

import datetime

from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from registry.choices import Role
from reports import services
from reports.choices import ReportsNotice
from reports.models import ReportRun, RunStatus
from reports.services import request_run


def test_a_county_user_sees_and_downloads_only_their_county(report_city, client):
    a = request_run(kind="monthly", period="2026-03", region=report_city.a)
    b = request_run(kind="monthly", period="2026-03", region=report_city.b)
    whole = request_run(kind="monthly", period="2026-03")
    reviewer_a = make_user("rev_east", Role.REVIEWER, region=report_city.a)
    client.force_login(reviewer_a)
    page = client.get(reverse("reports:list")).content.decode()
    assert f'id="run-{a.pk}"' in page
    assert f'id="run-{b.pk}"' not in page and f'id="run-{whole.pk}"' not in page
    ok = client.get(reverse("reports:download", args=[a.pk]))
    assert ok.status_code == 200
    assert (
        "attachment" in ok["Content-Disposition"]
        and "%E4%B8%9C%E5%8E%BF" in ok["Content-Disposition"]
    )
    for other in (b, whole):
        assert client.get(reverse("reports:download", args=[other.pk])).status_code == 404


def test_a_county_user_asks_for_their_county_only(report_city, client):
    client.force_login(make_user("rev_east", Role.REVIEWER, region=report_city.a))
    refused = client.post(reverse("reports:list"), {"kind": "monthly", "period": "2026-03",
                                                   "region": report_city.b.pk})  # fmt: skip
    assert refused.status_code == 400 and not ReportRun.objects.exists()
    asked = client.post(reverse("reports:list"), {"kind": "monthly", "period": "2026-03",
                                                 "region": report_city.a.pk}, follow=True)  # fmt: skip
    run = ReportRun.objects.get()
    assert run.region == report_city.a and run.status == RunStatus.DONE
    assert "已提交" in asked.content.decode()


def test_bad_period_on_the_page_is_a_chinese_400(report_city, client):
    client.force_login(make_user("drc_city", Role.REVIEWER, region=report_city.city))
    response = client.post(reverse("reports:list"), {"kind": "quarterly", "period": "2026-05"})
    assert response.status_code == 400
    assert "此处期间应为季度" in response.content.decode()


def test_a_row_polls_while_unfinished_and_stops_when_done(report_city, client):
    client.force_login(make_user("drc_city", Role.REVIEWER, region=report_city.city))
    run = ReportRun.objects.create(kind="monthly", period="2026-03", status=RunStatus.QUEUED)
    row = client.get(reverse("reports:status", args=[run.pk])).content.decode()
    assert "hx-get" in row and "排队" in row
    services.build(run.pk)
    row = client.get(reverse("reports:status", args=[run.pk])).content.decode()
    assert "hx-get" not in row and "完成" in row and "下载" in row


def test_a_build_that_cannot_write_its_file_ends_failed_with_a_reason(
    report_city, settings, tmp_path
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker / "media"  # saving under a file fails, as a full disk would
    run = request_run(kind="monthly", period="2026-03")
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and not run.file
    assert "报表生成出错" in run.error and f"记录编号{run.pk}" in run.error


def test_a_stale_run_is_failed_and_can_be_asked_again(report_city):
    run = ReportRun.objects.create(kind="monthly", period="2026-03", status=RunStatus.RUNNING)
    old = timezone.now() - datetime.timedelta(minutes=31)
    ReportRun.objects.filter(pk=run.pk).update(updated_at=old)
    assert services.expire_stale() == 1
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "超过30分钟" in run.error
    again = request_run(kind="monthly", period="2026-03")
    again.refresh_from_db()
    assert again.pk == run.pk and again.status == RunStatus.DONE


def test_duplicate_and_superseded_executions_store_nothing(report_city):
    run = ReportRun.objects.create(kind="monthly", period="2026-03", status=RunStatus.QUEUED)
    first = services.claim(run.pk)
    second = services.claim(run.pk)  # the message redelivered after the first worker died
    assert first and second and first != second
    assert services.finish(run.pk, first, __file__, "旧.xlsx") is False
    assert services.build(run.pk) == RunStatus.DONE  # takes over: the run is still 生成中
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.builds == 1
    assert services.build(run.pk) == "skipped"  # a late duplicate after completion
    run.refresh_from_db()
    assert run.builds == 1


def test_the_person_who_asked_is_told_once_the_report_is_ready(
    report_city, django_capture_on_commit_callbacks
):
    from django.core import mail

    from core.models import Notice

    drc = make_user("drc_mail", Role.REVIEWER, region=report_city.city, email="drc@example.gov.cn")
    with django_capture_on_commit_callbacks(execute=True):
        run = request_run(kind="monthly", period="2026-03", user=drc)
    [notice] = Notice.objects.filter(kind=ReportsNotice.REPORT_RUN_DONE)
    assert notice.recipient == drc and str(run) in notice.title
    assert [m.to for m in mail.outbox] == [["drc@example.gov.cn"]]
    # a scheduled run (nobody asked) tells nobody
    with django_capture_on_commit_callbacks(execute=True):
        request_run(kind="quarterly", period="2026-Q1")
    assert Notice.objects.count() == 1
