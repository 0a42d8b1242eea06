from django.urls import path

from . import pages

app_name = "core"

urlpatterns = [
    path("data/", pages.data_index, name="data_index"),
    path("data/<slug:key>/template.xlsx", pages.data_template, name="data_template"),
    path("data/<slug:key>/export.xlsx", pages.data_export, name="data_export"),
    path("data/<slug:key>/import/", pages.data_import, name="data_import"),
    path("audit/", pages.changelog_list, name="changelog_list"),
]
