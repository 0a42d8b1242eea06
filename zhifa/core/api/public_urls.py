"""The open-data API under /api/public/: each app with public data contributes
``zhifa.<app>.api.public_urls``; the schema and its documentation page are served here too
(the split Swagger view: no inline script, so it runs under the portal's strict CSP)."""

from importlib.util import find_spec

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

PUBLIC_API_APPS = ["portal", "publicity", "statistics", "records", "inspections"]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(urlconf="zhifa.core.api.public_root_urls",
                                               custom_settings={"TITLE": "行政执法公示开放数据接口"}),
         name="public-api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="public-api-schema"), name="public-api-docs"),
    *[path("", include(f"zhifa.{app}.api.public_urls")) for app in PUBLIC_API_APPS
      if find_spec(f"zhifa.{app}.api.public_urls") is not None],
]
