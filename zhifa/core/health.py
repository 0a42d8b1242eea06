"""``/healthz``: the smallest page the server can answer, for load balancers and for the
portal benchmark's baseline (no database, no template, no session)."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
