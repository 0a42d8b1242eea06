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
from ..acts import api as act_api  # noqa: E402  the inspection act (行政检查的实施)

router.register("acts", act_api.InspectionViewSet, basename="inspection-act")
router.register("caps", act_api.CapViewSet, basename="inspection-cap")
router.register("act-procedure", act_api.InspectionProcedureViewSet, basename="inspection-procedure")
# The equipment register and non-site records (zhifa/inspections/devices/api.py)
from zhifa.inspections.devices.api import DeviceRecordViewSet, DeviceViewSet  # noqa: E402

router.register("devices", DeviceViewSet, basename="device")
router.register("device-records", DeviceRecordViewSet, basename="device-record")
urlpatterns = router.urls
