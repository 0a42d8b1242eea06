from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("officers", views.OfficerViewSet)
router.register("certificates", views.CertificateViewSet)
router.register("training", views.TrainingRecordViewSet)
router.register("compliance", views.ComplianceViewSet, basename="compliance")
urlpatterns = router.urls
