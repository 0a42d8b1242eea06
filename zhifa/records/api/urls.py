from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("integrity-checks", views.IntegrityCheckViewSet, basename="records-integrity-check")

urlpatterns = [
    path("streams/<str:key>/events/", views.StreamEventListView.as_view(), name="records-stream-events"),
    path("streams/<str:key>/verify/", views.StreamVerifyView.as_view(), name="records-stream-verify"),
    path("streams/<str:key>/files/<str:digest>/", views.StreamFileView.as_view(), name="records-stream-file"),
    path("uploads/", views.UploadListView.as_view(), name="records-upload-list"),
    path("uploads/<uuid:pk>/", views.UploadDetailView.as_view(), name="records-upload-detail"),
    path("access/", views.AccessLogListView.as_view(), name="records-access"),
    path("audit-chain/verify/", views.AuditChainVerifyView.as_view(), name="records-audit-chain-verify"),
    path("checkpoints/", views.CheckpointListView.as_view(), name="records-checkpoint-list"),
    path("checkpoints/verify/", views.CheckpointVerifyView.as_view(), name="records-checkpoint-verify"),
] + router.urls
