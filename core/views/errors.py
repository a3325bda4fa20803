"""The site's 400 page: a refused request parameter says, in Chinese, what was wrong."""

from django.core.exceptions import BadRequest
from django.shortcuts import render


def bad_request(request, exception=None):
    # Only our own BadRequest messages are shown: Django's other 400s (a bad Host header, a
    # broken upload) carry English details that are no use to the person.
    message = str(exception) if type(exception) is BadRequest else ""
    return render(request, "400.html", {"exception": message}, status=400)
