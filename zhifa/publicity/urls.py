from django.urls import path

from . import views

app_name = "publicity"

urlpatterns = [
    # Internal: the publication queue and the reviewer's page.
    path("publicity/", views.queue, name="queue"),
    path("publicity/<int:pk>/", views.detail, name="detail"),
    # Public: published decisions (事后公开).
    path("public/decisions/", views.public_list, name="public_list"),
    path("public/decisions/<int:pk>/", views.public_detail, name="public_detail"),
]
