from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("upload/", views.UploadView.as_view(), name="upload"),
    path("streams/<str:key>/", views.StreamDetailView.as_view(), name="stream_detail"),
]
