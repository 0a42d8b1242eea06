"""Inspection API (行政检查); each part of the app registers its viewsets below."""
from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = router.urls

from ..acts import api as act_api  # noqa: E402  the inspection act (行政检查的实施)

router.register("acts", act_api.InspectionViewSet, basename="inspection-act")
router.register("caps", act_api.CapViewSet, basename="inspection-cap")
router.register("act-procedure", act_api.InspectionProcedureViewSet, basename="inspection-procedure")
urlpatterns = router.urls
