"""The notice list (SPEC §3.7): one's own notices only, unread first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from core import notices
from core.models import Notice


@require_GET
@login_required
def notice_list(request):
    mine = Notice.objects.filter(recipient=request.user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )
    page = Paginator(mine, 20).get_page(request.GET.get("page"))
    return render(request, "portal/notices.html", {"page": page, "notices": page.object_list})


@require_POST
@login_required
def notice_open(request, pk):
    """Mark one notice read and go where it points (a local link only)."""
    notice = Notice.objects.filter(recipient=request.user, pk=pk).first()
    if notice is None:
        raise Http404("通知不存在")
    notices.mark_read(request.user, pk)
    safe = url_has_allowed_host_and_scheme(notice.url, allowed_hosts={request.get_host()})
    return redirect(notice.url if notice.url and safe else "portal:notices")


@require_POST
@login_required
def notice_read_all(request):
    n = notices.mark_read(request.user)
    messages.success(request, f"已将{n}条通知标为已读" if n else "没有未读通知")
    return redirect("portal:notices")
