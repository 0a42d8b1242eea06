"""REST API settings hooks: scoping, role permission, pagination and structured errors.

Every error leaves the API as::

    {"error": {"status": 400, "code": "invalid", "message": "输入有误。",
               "fields": {"id_number": ["身份证号码校验位错误。"]}}}
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from rest_framework import exceptions, pagination, permissions
from rest_framework.response import Response

from ..pagination import COUNT_CAP, CappedPaginator

logger = logging.getLogger(__name__)

_MESSAGES = {
    400: "输入有误，请检查后重新提交。",
    401: "未登录或令牌无效。",
    403: "没有权限执行此操作。",
    404: "记录不存在或不在您的管辖范围内。",
    405: "不支持该请求方法。",
    409: "操作与当前状态冲突。",
    429: "请求过于频繁，请稍后再试。",
}

MALFORMED_MESSAGE = "输入的值格式有误或超出允许范围，请检查后重新提交。"


class MalformedInput(exceptions.ValidationError):
    """A value from the request the code or the database could not use (400, not 500)."""

    default_code = "malformed"


def _malformed_identifier(kwargs) -> bool:
    """Does the URL carry an id (``pk``, ``id``, ``…_id``) that is not a database integer?"""
    for name, value in kwargs.items():
        if name in ("pk", "id") or name.endswith("_id"):
            text = str(value)
            if not text.isdigit() or int(text) > 2**63 - 1:
                return True
    return False


def exception_handler(exc, context):
    """DRF exception handler producing ``{"error": {...}}`` with Chinese messages."""
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, DataError | OverflowError | ValueError):
        # The last line of defence: a value from the request that slipped past validation
        # (an identifier in the path that is not a number, a number too large for the database,
        # a date out of range). A malformed identifier in the path is a row that does not
        # exist (404); anything else is a 400. The traceback stays in the log, so the
        # validation can be moved where it belongs.
        request = context.get("request")
        logger.warning("Malformed input reached %s: %r", getattr(request, "path", "?"), exc, exc_info=exc)
        if _malformed_identifier(context.get("kwargs") or {}):
            exc = exceptions.NotFound()
        else:
            exc = MalformedInput({"non_field_errors": [MALFORMED_MESSAGE]}, code="malformed")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    status = response.status_code
    data = response.data
    body = {"status": status, "code": getattr(exc, "default_code", "error"), "message": _MESSAGES.get(status, "请求失败。")}
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(data, dict):
            body["fields"] = data
            non_field = data.get("non_field_errors")
            if non_field:
                body["message"] = str(non_field[0])
        else:
            body["fields"] = {"non_field_errors": data}
            if data:
                body["message"] = str(data[0])
    elif isinstance(data, dict) and "detail" in data:
        detail = str(data["detail"])
        if status != 404:
            body["message"] = detail
        body["code"] = getattr(data["detail"], "code", body["code"])
    response.data = {"error": body}
    return response


class Pagination(pagination.PageNumberPagination):
    """Page-number pagination; ``?page_size=`` up to 500; no exact count over millions of rows.

    ``count`` is exact up to 1,000 (``zhifa.core.pagination.COUNT_CAP``); beyond, it is 1,000
    and ``count_capped`` is true. ``next`` is null on the last page whatever the count says
    (a page reads one row more than it returns), so a client walks every page by following
    ``next``.
    """

    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        return Response({
            "count": self.page.paginator.count,
            "count_capped": self.page.paginator.count_capped,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        properties = described["properties"]
        properties["count"]["description"] = f"记录数；超过 {COUNT_CAP:,} 条时为 {COUNT_CAP:,}，count_capped 为 true"
        properties["count_capped"] = {
            "type": "boolean", "example": False,
            "description": f"记录多于 {COUNT_CAP:,} 条（count 为下限）；翻页以 next 为准",
        }
        described["required"] = ["count", "count_capped", "results"]
        return {"type": "object", "required": described["required"],
                "properties": {k: properties[k] for k in ("count", "count_capped", "next", "previous", "results")}}


class RolePermission(permissions.IsAuthenticated):
    """Authenticated, and the role holds the view/change capability of the model's area."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        area = getattr(view, "scope_area", None)
        if area is None:
            queryset = getattr(view, "queryset", None)
            area = getattr(getattr(queryset, "model", None), "scope_area", None)
        if area is None:
            return True
        action = "view" if request.method in permissions.SAFE_METHODS else "change"
        action = getattr(view, "required_actions", {}).get(getattr(view, "action", None), action)
        return request.user.has_capability(area, action)


