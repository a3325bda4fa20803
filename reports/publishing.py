"""Publishing (发布) a report for a period, and correcting it (SPEC §3.8).

- Only the city DRC publishes: city reviewers and admins (registry.scoping.is_city_level).
- Publishing freezes the printable page (its rendered HTML and chart data), the figures,
  sentences and list rows as JSON (reports.snapshot) and the workbook, all built in the same
  request from the same data, under an issue number (2026年第11期: numbered per kind, scope and
  year, in publishing order; a correction keeps its issue's number).
- Publishing the same period again is a correction: the next version (更正版), with the lines
  that changed (reports.changes); earlier versions stay readable at their own addresses.
- The people who received an earlier version (opened or downloaded it, asked for its report
  run, published it) are told of the correction; the publication rows are the audit trail.
"""

import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from core.periods import parse_period
from registry.confirmations import ConfirmationNeededError
from registry.scoping import covers_whole_city, is_city_level
from reports import bulletin, snapshot
from reports.changes import compare
from reports.choices import ReportsNotice
from reports.models import (
    CITY_SCOPE,
    Publication,
    PublicationReader,
    ReportKind,
    ReportRun,
)
from reports.services import check_period

MSG_CITY_ONLY = "只有市级审核员或系统管理员可以发布报表"
MSG_UNCHANGED = "与已发布的第{version}版相比没有任何变化，无需发布更正版"
MSG_BUSY = "其他人正在发布该报表，请刷新页面后重试"


def scope_key(region) -> str:
    return region.code if region is not None else CITY_SCOPE


def versions(kind: str, period: str, region) -> list[Publication]:
    """Every published version of the report, the newest first."""
    return list(
        Publication.objects.filter(kind=kind, period=period, scope_key=scope_key(region))
        .select_related("published_by")
        .order_by("-version")
    )


def page_scope(user, region):
    """The scope a user's bulletin page shows when no 县区 is picked: the whole city for a
    whole-city user, else the user's own region (None when the user has no region)."""
    if region is not None or covers_whole_city(user):
        return region, True
    profile = getattr(user, "profile", None)
    if profile is not None and profile.region_id:
        return profile.region, True
    return None, False


def missing_before_yearly(period: str) -> list[str]:
    """What the year lacks before its appraisal (December not closed, months unreported)."""
    from milestones.completeness import missing_for_year

    return missing_for_year(parse_period(period, allow=("year",)).year)


def _content(kind, period, region, user, today) -> dict:
    """The figures (and, for a bulletin, the page's document) and a workbook, from the data
    as it is now."""
    from reports.build import build_workbook, make_context

    run = ReportRun(kind=kind, period=period, region=region)
    path, name = build_workbook(run)
    out = {"doc": None, "charts": {}, "path": path, "name": name}
    if kind == ReportKind.YEARLY:
        out["figures"] = snapshot.of_workbook(make_context(run))
        return out
    doc = bulletin.build(user, bulletin.Params(kind, parse_period(period), region), today=today)
    out.update(doc=doc, charts=doc.charts, figures=snapshot.of_bulletin(doc))
    return out


def _render(doc, issue: str, version: int, changes: list, note: str) -> str:
    """The printed document as published: its issue (and 更正版), and a correction's changes."""
    if doc is None:
        return ""  # the yearly appraisal has no printable page: its workbook is the report
    doc.issue = issue if version == 1 else f"{issue}（更正版{version}）"
    context = {"doc": doc, "corrections": changes, "note": note}
    return render_to_string("reports/_bulletin_doc.html", context)


def _issue_number(kind, key, year) -> int:
    used = Publication.objects.filter(kind=kind, scope_key=key, issue_year=year)
    return (used.aggregate(n=Max("issue_number"))["n"] or 0) + 1


def check_can_publish(user) -> None:
    """PermissionDenied unless the user is the city DRC (a city reviewer or an admin)."""
    if not is_city_level(user):
        raise PermissionDenied(MSG_CITY_ONLY)


def publish(*, kind, period, region=None, user, note="", confirmed=False) -> Publication:
    """Publish `kind`/`period`/`region` now: version 1, or the next correction.

    PermissionDenied for anyone but the city DRC; ConfirmationNeededError for a yearly appraisal
    while its year lacks data, unless confirmed; ValidationError (Chinese) for a bad period, a
    correction that changes nothing, or a concurrent publication."""
    check_can_publish(user)
    period = check_period(kind, period)
    if kind == ReportKind.YEARLY and not confirmed:
        lines = missing_before_yearly(period)
        if lines:
            raise ConfirmationNeededError(lines, "发布年度考评")
    key = scope_key(region)
    previous = versions(kind, period, region)[:1]
    previous = previous[0] if previous else None
    year = parse_period(period).year
    number = previous.issue_number if previous else _issue_number(kind, key, year)
    content = _content(kind, period, region, user, timezone.localdate())
    try:
        changes = compare(previous.figures, content["figures"]) if previous else []
        if previous is not None and not changes:
            raise ValidationError(MSG_UNCHANGED.format(version=previous.version))
        version = previous.version + 1 if previous else 1
        content["body_html"] = _render(
            content["doc"], f"{year}年第{number}期", version, changes, note
        )
        pub = _store(kind, period, region, user, note, (version, year, number, changes), content)
    finally:
        os.unlink(content["path"])
    notify_published(pub)  # notices in the same transaction; e-mails wait for the commit
    return pub


def _store(kind, period, region, user, note, numbering, content) -> Publication:
    version, year, number, changes = numbering
    run = ReportRun.objects.filter(kind=kind, period=period, scope_key=scope_key(region)).first()
    pub = Publication(
        kind=kind, period=period, region=region, scope_key=scope_key(region),
        version=version, issue_year=year, issue_number=number,
        title=content["figures"]["title"], body_html=content["body_html"],
        charts=content["charts"], figures=content["figures"], changes=changes, note=note,
        published_by=user, published_at=timezone.now(),
        requested_by=run.requested_by if run else None,
    )  # fmt: skip
    try:
        with transaction.atomic():
            with open(content["path"], "rb") as fh:
                pub.file.save(content["name"], File(fh), save=False)
            pub.file_name = content["name"]
            pub.save()
    except IntegrityError:  # the same version published meanwhile by someone else
        raise ValidationError(MSG_BUSY) from None
    return pub


def record_reader(pub: Publication, user, action: str) -> None:
    """Remember who received a published version: a correction will reach them."""
    if not getattr(user, "is_authenticated", False):
        return
    try:
        with transaction.atomic():
            PublicationReader.objects.get_or_create(publication=pub, user=user, action=action)
    except IntegrityError:  # recorded meanwhile by the same user's other request
        pass


def recipients(pub: Publication) -> list:
    """Who is told of `pub`: for version 1 the person who asked for the report; for a
    correction also everyone who opened or downloaded, or published, an earlier version."""
    from django.contrib.auth import get_user_model

    earlier = Publication.objects.filter(
        kind=pub.kind, period=pub.period, scope_key=pub.scope_key, version__lt=pub.version
    )
    ids = {pub.requested_by_id} | set(earlier.values_list("requested_by_id", flat=True))
    ids |= set(earlier.values_list("published_by_id", flat=True))
    ids |= set(
        PublicationReader.objects.filter(publication__in=earlier).values_list("user_id", flat=True)
    )
    ids -= {None, pub.published_by_id}
    return list(get_user_model().objects.filter(pk__in=ids).order_by("pk"))


def notify_published(pub: Publication) -> int:
    from django.urls import reverse

    from core.notices import notify

    label = f"{pub.title}（{pub.issue_label}）"
    if pub.is_correction:
        kind, title = ReportsNotice.REPORT_CORRECTED, f"报表已更正：{label}更正版{pub.version}"
        body = (
            f"您收到或查阅过的{label}已发布更正版{pub.version}，更正内容："
            + "；".join(pub.changes[:5])
            + ("等。" if len(pub.changes) > 5 else "。")
        )
    else:
        kind, title = ReportsNotice.REPORT_PUBLISHED, f"报表已发布：{label}"
        body = f"{label}已发布，发布后内容不再随数据变化。"
    users = recipients(pub)
    notify(users, kind=kind, event_key=f"publication:{pub.pk}", title=title, body=body,
           url=reverse("bulletin:version", args=[pub.pk]))  # fmt: skip
    return len(users)


def frozen_for(kind: str, period, region) -> Publication | None:
    """The latest published version of a report, if it has been published."""
    return (
        Publication.objects.filter(kind=kind, period=str(period), scope_key=scope_key(region))
        .order_by("-version")
        .first()
    )
