"""The open-data API (公开数据接口): read-only, no login, the same public information as the
portal pages, as JSON (paginated) or as a CSV download of the whole filtered list.

Viewsets reach rows only through ``Model.objects.public()`` (``zhifa.core.scoping``) and
serializers list their fields explicitly, so nothing internal can leak by default. Rate
limiting, caching and headers are the ``PublicPortalMiddleware``'s.
"""

import csv
import io

from django.http import StreamingHttpResponse
from rest_framework import permissions, renderers, viewsets
from rest_framework.throttling import BaseThrottle

from .base import Pagination


class CSVRenderer(renderers.BaseRenderer):
    """Declares ``?format=csv`` (the rows themselves are streamed by ``PublicReadOnlyViewSet``)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Only errors reach here (lists are streamed): render them as one CSV row.
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        error = (data or {}).get("error", {}) if isinstance(data, dict) else {}
        writer.writerow(["status", "message"])
        writer.writerow([error.get("status", ""), error.get("message", "")])
        return buffer.getvalue().encode("utf-8-sig")


class PublicPagination(Pagination):
    max_page_size = 200


class _NoThrottle(BaseThrottle):
    def allow_request(self, request, view):
        return True


class _Echo:
    def write(self, value):
        return value


def stream_csv(rows, header: list[str], filename: str) -> StreamingHttpResponse:
    """A CSV download (UTF-8 with BOM, opens in Excel) streamed row by row."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class PublicReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Base of every open-data endpoint.

    Subclasses set ``queryset`` (any model; ``.public()`` is applied here), an explicit
    ``serializer_class`` and ``csv_filename``. ``?format=csv`` streams the whole filtered
    list with the serializer's field labels as the header.
    """

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [_NoThrottle]  # the middleware rate-limits every public request
    pagination_class = PublicPagination
    renderer_classes = [renderers.JSONRenderer, CSVRenderer]
    csv_filename = "data.csv"
    csv_chunk = 2000

    def get_queryset(self):
        return super().get_queryset().public()

    def list(self, request, *args, **kwargs):
        if getattr(request, "accepted_renderer", None) is not None and request.accepted_renderer.format == "csv":
            return self._csv(request)
        return super().list(request, *args, **kwargs)

    def _csv(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        serializer = self.get_serializer()
        fields = [(name, f.label or name) for name, f in serializer.fields.items()]

        def rows():
            for obj in queryset.iterator(chunk_size=self.csv_chunk):
                data = self.get_serializer(obj).data
                yield ["" if data.get(name) is None else _cell(data.get(name)) for name, _ in fields]

        return stream_csv(rows(), [label for _, label in fields], self.csv_filename)


def _cell(value):
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}：{v}" for k, v in value.items())
    return value
