"""Pages of the annual statistics: internal under ``statistics/``, public under ``public/statistics/``
(this module is included at the site root)."""

from django.urls import path

from . import views

app_name = "statistics"

urlpatterns = [
    # Internal (login).
    path("statistics/", views.ReportListView.as_view(), name="report_list"),
    path("statistics/current/", views.CurrentView.as_view(), name="current"),
    path("statistics/generate/", views.generate, name="generate"),
    path("statistics/rollup/", views.rollup, name="rollup"),
    path("statistics/reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("statistics/reports/<int:pk>/regenerate/", views.regenerate, name="regenerate"),
    path("statistics/reports/<int:pk>/publish/", views.publish, name="publish"),
    path("statistics/reports/<int:pk>/report.<str:fmt>", views.report_file, name="report_file"),
    path("statistics/regions/<int:pk>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("statistics/regions/<int:pk>/report.<str:fmt>", views.region_file, name="region_file"),
    # Public (no login).
    path("public/statistics/", views.public_list, name="public_list"),
    path("public/statistics/agencies/<int:pk>/", views.public_agency, name="public_agency"),
    path("public/statistics/agencies/<int:pk>/report.<str:fmt>", views.public_agency_file, name="public_agency_file"),
    path("public/statistics/regions/<int:pk>/", views.public_region, name="public_region"),
    path("public/statistics/regions/<int:pk>/report.<str:fmt>", views.public_region_file, name="public_region_file"),
]
