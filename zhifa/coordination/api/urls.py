from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("criminal-transfers", views.CriminalTransferViewSet, basename="criminal-transfer")

urlpatterns = router.urls
