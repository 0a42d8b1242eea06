"""The party's download page (``/public/d/<token>/``, no sign-in): the one-time link of a decision
document (``links.open_link``). Under ``/public/`` so the portal's rate limit applies; never
cached (each download counts)."""

from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from zhifa.records.services import open_stored

from . import links


@require_GET
@never_cache
def document(request, token):
    """Download the decision's PDF, or a clear Chinese page with status 410 when the link is gone."""
    try:
        link = links.open_link(token, request=request)
    except links.LinkGone as exc:
        return render(request, "mobile/link_gone.html", {"title": "下载链接已失效", "message": exc.message},
                      status=410)
    except links.LinkNotReady as exc:
        response = render(request, "mobile/link_gone.html", {"title": "决定书正在生成", "message": str(exc)},
                          status=503)
        response["Retry-After"] = "60"
        return response
    doc = link.document
    response = FileResponse(open_stored(doc.pdf), as_attachment=True, filename=f"{doc.title}.pdf",
                            content_type="application/pdf")
    response["Cache-Control"] = "no-store, private"
    return response
