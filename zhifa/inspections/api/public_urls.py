"""Open-data endpoints of inspections (included under /api/public/ by zhifa.core.api.public_urls);
each part of the app registers its viewsets below."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

# published monitoring-device locations (行政处罚法第四十一条)
from zhifa.inspections.devices.public import PublicDeviceViewSet  # noqa: E402

router.register("monitoring-devices", PublicDeviceViewSet, basename="public-monitoring-device")

urlpatterns = router.urls
