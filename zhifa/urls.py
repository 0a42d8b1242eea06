"""URL configuration: web pages per app, the REST API under /api/, OpenAPI at /api/schema/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from zhifa.accounts import views as account_views
from zhifa.core import health
from zhifa.workspace import views as workspace_views

API_APPS = [
    "core", "accounts", "orgs", "people", "catalog", "parties", "workdays", "records", "documents", "cases", "review",
    "publicity", "statistics", "supervision", "inspections", "exchange", "insight", "coordination", "workspace",
    "mobile",
]

urlpatterns = [
    path("", workspace_views.desk, name="home"),  # the desk (工作台) is every role's home page
    path("healthz", health.healthz, name="healthz"),
    # Sign-in (password, then a second factor where needed: zhifa/accounts/views.py).
    path("accounts/login/", account_views.SignInView.as_view(), name="login"),
    path("accounts/logout/", account_views.LogoutView.as_view(), name="logout"),
    path("", include("zhifa.core.urls")),
    path("accounts/", include("zhifa.accounts.urls")),
    path("orgs/", include("zhifa.orgs.urls")),
    path("people/", include("zhifa.people.urls")),
    path("catalog/", include("zhifa.catalog.urls")),
    path("parties/", include("zhifa.parties.urls")),
    path("workdays/", include("zhifa.workdays.urls")),
    path("records/", include("zhifa.records.urls")),
    path("documents/", include("zhifa.documents.urls")),
    path("cases/", include("zhifa.cases.urls")),
    path("review/", include("zhifa.review.urls")),
    path("supervision/", include("zhifa.supervision.urls")),
    path("inspections/", include("zhifa.inspections.urls")),
    path("exchange/", include("zhifa.exchange.urls")),
    path("insight/", include("zhifa.insight.urls")),
    path("coordination/", include("zhifa.coordination.urls")),
    path("workspace/", include("zhifa.workspace.urls")),
    path("m/", include("zhifa.mobile.urls")),  # 掌上执法 (the offline app shell, its manifest and service worker)
    # The public portal (no login) and the open-data API; each app's urls carry full paths.
    path("", include("zhifa.portal.urls")),
    path("", include("zhifa.publicity.urls")),
    path("", include("zhifa.statistics.urls")),
    path("", include("zhifa.records.site_urls")),
    path("", include("zhifa.inspections.draws.public_urls")),  # 双随机抽取公示 and its open data
    path("", include("zhifa.inspections.acts.public_urls")),  # 企业查询本企业的行政检查
    path("", include("zhifa.inspections.devices.public_urls")),
    path("", include("zhifa.supervision.complaints.portal_urls")),
    path("", include("zhifa.mobile.public_urls")),  # 当事人一次性下载决定书的链接
    path("api/public/", include("zhifa.core.api.public_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # the split view loads Swagger UI's initialiser as a file: no inline script under the CSP
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/auth/token/", include("zhifa.accounts.api.token_urls")),
    *[path(f"api/{app}/", include(f"zhifa.{app}.api.urls")) for app in API_APPS],
]

# Chinese error pages with the site's navigation (structured JSON under /api/): zhifa.core.errors.
handler400 = "zhifa.core.errors.bad_request"
handler403 = "zhifa.core.errors.permission_denied"
handler404 = "zhifa.core.errors.page_not_found"
handler500 = "zhifa.core.errors.server_error"
