"""GET /healthz/: Django answers, through the whole middleware stack, touching nothing else.

For a load balancer's liveness probe, and the floor bench/load.py measures beside the pages:
the cost of a request that does no work on this machine at that moment.
"""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
