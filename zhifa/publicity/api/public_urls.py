from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("publications", views.PublicPublicationViewSet, basename="public-publication")
urlpatterns = router.urls
