from django.urls import path

from . import views

app_name = "publicity"

urlpatterns = [
    # Internal: the publication queue and the reviewer's pages.
    path("publicity/", views.QueueView.as_view(), name="queue"),
    path("publicity/register/", views.RegisterDecisionView.as_view(), name="register"),
    path("publicity/<int:pk>/", views.PublicationDetailView.as_view(), name="detail"),
    path("publicity/<int:pk>/redact/", views.RedactView.as_view(), name="redact"),
    path("publicity/<int:pk>/release/", views.ReleaseView.as_view(), name="release"),
    path("publicity/<int:pk>/decline/", views.DeclineView.as_view(), name="decline"),
    path("publicity/<int:pk>/action/", views.RegisterActionView.as_view(), name="register_action"),
    path("publicity/actions/<int:pk>/apply/", views.ApplyActionView.as_view(), name="apply_action"),
    # Public: published decisions (事后公开).
    path("public/decisions/", views.public_list, name="public_list"),
    path("public/decisions/<int:pk>/", views.public_detail, name="public_detail"),
]
