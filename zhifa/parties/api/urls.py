from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("parties", views.PartyViewSet)
router.register("credit-ratings", views.CreditRatingViewSet)
urlpatterns = router.urls
