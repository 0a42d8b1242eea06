"""Inspection API (行政检查); each part of the app registers its viewsets below."""
from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = router.urls
