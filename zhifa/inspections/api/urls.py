"""Inspection API (行政检查); each part of the app registers its viewsets below."""
from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = router.urls

# The equipment register and non-site records (zhifa/inspections/devices/api.py)
from zhifa.inspections.devices.api import DeviceRecordViewSet, DeviceViewSet  # noqa: E402

router.register("devices", DeviceViewSet, basename="device")
router.register("device-records", DeviceRecordViewSet, basename="device-record")
urlpatterns = router.urls
