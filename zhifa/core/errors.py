"""Error pages (400, 403, 404, 500 and the CSRF refusal) in Chinese, with the site's navigation.

Wired in ``zhifa/urls.py`` (``handler400`` …) and ``settings.CSRF_FAILURE_VIEW``; Django uses
them only with debug off. One rule per path:

- ``/api/…``: the API's structured error ``{"error": {"status", "code", "message"}}`` (errors
  raised inside DRF views are already answered by ``core.api.base.exception_handler``; these
  cover unknown API addresses and failures outside DRF);
- ``/public/…``: the portal's layout and menu (a forged QR code's ``/public/verify/<number>/``
  says the certificate does not exist);
- everything else: the staff layout, with the main menu for a logged-in user.

A message raised with the error (``Http404("该证件不存在……")``, ``PermissionDenied("…")``) is
shown when it is a Chinese sentence written for users; anything else (a framework's English
text, a technical detail) is replaced by the page's own explanation. The 500 page is rendered
without the request context: no database, no session, no context processor, so it still renders
when those are what failed.
"""

import re

from django.http import HttpResponse, JsonResponse
from django.template import loader

CJK = re.compile(r"[\u4e00-\u9fff]")

PAGES = {
    400: ("请求无效", "bad_request", "服务器无法处理该请求：地址或提交的内容不完整、格式不正确，或已过期。请返回上一页重新操作。"),
    403: ("无权访问", "permission_denied", "您没有执行该操作的权限，或该记录不在您的管辖范围内。如需办理，请联系本单位的系统管理员。"),
    404: ("页面不存在", "not_found", "您访问的页面不存在，或该记录不在您的管辖范围内。请检查地址是否正确。"),
    500: ("服务器内部错误", "server_error", "服务器处理请求时出错，错误已记录。请稍后重试；如果问题持续存在，请联系系统管理员。"),
}
CSRF_MESSAGE = "页面已过期或表单校验失败（CSRF），请刷新页面后重新提交。如果仍然失败，请确认浏览器允许本站的 Cookie。"


def user_message(exception) -> str:
    """The exception's message if it is a Chinese sentence meant for users, else ""."""
    if exception is None:
        return ""
    args = getattr(exception, "args", ())
    message = str(args[0]) if args and isinstance(args[0], str) else ""
    return message if CJK.search(message) and len(message) <= 300 else ""


def _response(request, status: int, message: str = "") -> HttpResponse:
    title, code, explanation = PAGES[status]
    message = message or explanation
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"status": status, "code": code, "message": message}}, status=status,
                            json_dumps_params={"ensure_ascii": False})
    template = "portal/error.html" if request.path.startswith("/public/") else "core/error.html"
    context = {"title": title, "status": status, "message": message, "explanation": explanation}
    return HttpResponse(loader.render_to_string(template, context, request), status=status)


def bad_request(request, exception=None):
    """400: a malformed or suspicious request (bad Host header, broken upload …)."""
    return _response(request, 400)


def permission_denied(request, exception=None):
    """403, with the reason the code gave (``PermissionDenied("您的角色不能……")``)."""
    return _response(request, 403, user_message(exception))


def page_not_found(request, exception=None):
    """404, with the reason the code gave (``Http404("该证件不存在……")``)."""
    return _response(request, 404, user_message(exception))


def csrf_failure(request, reason=""):
    """403 for a form whose CSRF token is missing or stale (``settings.CSRF_FAILURE_VIEW``)."""
    return _response(request, 403, CSRF_MESSAGE)


def server_error(request):
    """500, rendered from a static template with no request context (see module doc)."""
    title, code, explanation = PAGES[500]
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"status": 500, "code": code, "message": explanation}}, status=500,
                            json_dumps_params={"ensure_ascii": False})
    html = loader.render_to_string("500.html", {"title": title, "status": 500, "message": explanation})
    return HttpResponse(html, status=500)
