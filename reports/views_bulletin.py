"""The printable 通报 page: scoped, any role; the numbers come from reports.bulletin.

A published period shows its frozen latest version (reports.publishing); an unpublished one
is the live 草稿. Every version keeps its own page and workbook download."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from assessments.views.common import bad_request_page
from core.files import private_file_response
from core.periods import parse_period
from registry.choices import Role
from registry.confirmations import ConfirmationNeededError
from registry.scoping import is_city_level
from registry.views.mixins import role_required
from reports import bulletin, publishing, selectors
from reports.forms import PublishForm
from reports.models import ReaderAction, ReportKind


def _page(request, params, frozen, pubs, doc=None):
    return render(
        request,
        "reports/bulletin.html",
        {
            "doc": doc,
            "frozen": frozen,
            "versions": pubs,
            "is_latest": frozen is None or frozen.pk == pubs[0].pk,
            "params": params,
            "can_publish": is_city_level(request.user),
            "kinds": bulletin.KINDS,
            "years": bulletin.years(),
            "months": range(1, 13),
            "quarters": range(1, 5),
            "regions": bulletin.region_choices(request.user),
        },
    )


@require_GET
@role_required()
@bad_request_page
def bulletin_page(request):
    params = bulletin.params_from(request.GET, request.user)
    region, scoped = publishing.page_scope(request.user, params.region)
    pubs = publishing.versions(params.kind, str(params.period), region) if scoped else []
    if pubs:
        publishing.record_reader(pubs[0], request.user, ReaderAction.VIEWED)
        return _page(request, params, pubs[0], pubs)
    doc = bulletin.build(request.user, params)
    return _page(request, params, None, pubs, doc)


@require_GET
@role_required()
def version_page(request, pk):
    pub = get_object_or_404(selectors.visible_publications(request.user), pk=pk)
    publishing.record_reader(pub, request.user, ReaderAction.VIEWED)
    params = bulletin.Params(pub.kind, parse_period(pub.period), pub.region)
    return _page(request, params, pub, publishing.versions(pub.kind, pub.period, pub.region))


@require_GET
@role_required()
def download(request, pk):
    pub = get_object_or_404(selectors.visible_publications(request.user), pk=pk)
    if not pub.file:
        raise Http404("该版本没有报表文件")
    publishing.record_reader(pub, request.user, ReaderAction.DOWNLOADED)
    return private_file_response(pub.file, pub.file_name)


def _back(request, form):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("kind") in bulletin.KINDS:
        query = f"?kind={data['kind']}&period={data['period']}"
        if data.get("region"):
            query += f"&region={data['region'].pk}"
        return redirect(f"{redirect('bulletin:page').url}{query}")
    return redirect("reports:list")


@require_POST
@role_required(Role.REVIEWER, Role.ADMIN)
def publish(request):
    """发布 (or 发布更正版): city reviewers and admins only (services refuse anyone else)."""
    publishing.check_can_publish(request.user)
    form = PublishForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, "；".join(m for ms in form.errors.values() for m in ms))
        return _back(request, form)
    data = form.cleaned_data
    try:
        pub = publishing.publish(
            kind=data["kind"], period=data["period"], region=data["region"], user=request.user,
            note=data["note"], confirmed=data["confirm_missing"],
        )  # fmt: skip
    except ConfirmationNeededError as exc:
        return render(request, "reports/publish_confirm.html",
                      {"missing": exc.lines, "data": request.POST, "action": exc.action})  # fmt: skip
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return _back(request, form)
    word = f"更正版{pub.version}" if pub.is_correction else ""
    messages.success(request, f"已发布{pub.issue_label}{word}：{pub.title}")
    if pub.kind == ReportKind.YEARLY:
        return redirect("reports:list")
    return redirect("bulletin:version", pk=pub.pk)
