"""Inspection API (行政检查); each part of the app registers its viewsets below."""
from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = router.urls

# 双随机、一公开 (draws part)
from zhifa.inspections.draws import api as draws_api  # noqa: E402

router.register("draw-list-entries", draws_api.EntryViewSet, basename="draws-entry")
router.register("draw-inspectors", draws_api.InspectorViewSet, basename="draws-inspector")
router.register("draw-conflicts", draws_api.ConflictViewSet, basename="draws-conflict")
router.register("draw-plans", draws_api.PlanViewSet, basename="draws-plan")
router.register("draws", draws_api.DrawViewSet, basename="draws-draw")
router.register("draw-pairings", draws_api.PairingViewSet, basename="draws-pairing")
urlpatterns = router.urls
