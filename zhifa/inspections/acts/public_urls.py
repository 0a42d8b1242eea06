"""The enterprise's own view of its inspections and the published caps (public portal, no log-in);
included at the root by ``zhifa/urls.py``."""

from django.urls import path

from . import views

app_name = "inspection_portal"

urlpatterns = [
    path("public/enterprise-inspections/", views.enterprise_lookup, name="lookup"),
    path("public/enterprise-inspections/mine/", views.enterprise_page, name="enterprise"),
    path("public/enterprise-inspections/leave/", views.enterprise_leave, name="leave"),
    path("public/inspection-caps/", views.public_caps, name="caps"),
    path("public/inspection-results/", views.public_results, name="results"),
]
