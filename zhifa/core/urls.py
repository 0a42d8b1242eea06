from django.urls import path

from . import job_pages, pages

app_name = "core"

urlpatterns = [
    path("data/", pages.data_index, name="data_index"),
    path("data/exports/", pages.data_exports, name="data_exports"),
    path("data/exports/<int:pk>/download/", pages.data_export_download, name="data_export_download"),
    path("data/<slug:key>/template.xlsx", pages.data_template, name="data_template"),
    path("data/<slug:key>/export.xlsx", pages.data_export, name="data_export"),
    path("data/<slug:key>/import/", pages.data_import, name="data_import"),
    path("audit/", pages.changelog_list, name="changelog_list"),
    path("jobs/", job_pages.job_list, name="job_list"),
    path("jobs/failed/<str:task_id>/retry", job_pages.job_retry, name="job_retry"),
    path("outbox/", job_pages.outbox_list, name="outbox"),
    path("outbox/receivers/new/", job_pages.outbox_receiver_edit, name="outbox_receiver_add"),
    path("outbox/receivers/<int:pk>/", job_pages.outbox_receiver_edit, name="outbox_receiver_edit"),
]
