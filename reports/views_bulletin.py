"""The printable 通报 page (issue 11): scoped, any role; the numbers come from reports.bulletin."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments.views.common import bad_request_page
from registry.views.mixins import role_required
from reports import bulletin


@require_GET
@role_required()
@bad_request_page
def bulletin_page(request):
    params = bulletin.params_from(request.GET, request.user)
    doc = bulletin.build(request.user, params)
    return render(
        request,
        "reports/bulletin.html",
        {
            "doc": doc,
            "params": params,
            "kinds": bulletin.KINDS,
            "years": bulletin.years(),
            "months": range(1, 13),
            "quarters": range(1, 5),
            "regions": bulletin.region_choices(request.user),
        },
    )
