from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("publications", views.PublicationViewSet)
urlpatterns = router.urls
