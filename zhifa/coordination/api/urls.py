from rest_framework.routers import DefaultRouter

from ..transfers import api as transfer_api
from . import views

router = DefaultRouter()
router.register("criminal-transfers", views.CriminalTransferViewSet, basename="criminal-transfer")
router.register("case-transfers", transfer_api.CaseTransferViewSet, basename="case-transfer")
router.register("disputes", transfer_api.JurisdictionDisputeViewSet, basename="jurisdiction-dispute")
router.register("clue-referrals", transfer_api.ClueReferralViewSet, basename="clue-referral")

urlpatterns = router.urls
