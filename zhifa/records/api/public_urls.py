"""Open data of the record, included under /api/public/: the signed checkpoints."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("checkpoints", views.PublicCheckpointViewSet, basename="public-checkpoint")
urlpatterns = router.urls
