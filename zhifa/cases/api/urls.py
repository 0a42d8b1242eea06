from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("cases", views.CaseViewSet)
router.register("procedures", views.ProcedureViewSet, basename="procedure")
urlpatterns = router.urls
