from django.urls import path  # noqa: F401

from .assessment import urls as assessment_urls
from .cockpit import urls as cockpit_urls
from .evaluation import urls as evaluation_urls

app_name = "supervision"

urlpatterns = [
    # Case-file evaluation (案卷评查, SUP-2) and the cockpit (驾驶舱, AI-2).
    *evaluation_urls.urlpatterns,
    *cockpit_urls.urlpatterns,
    # The 三项制度 assessment (SUP-5), task ledgers (SUP-6) and the action plan's targets.
    *assessment_urls.urlpatterns,
]

from . import views as supervision_views  # noqa: E402

urlpatterns += [
    path("alerts/", supervision_views.AlertListView.as_view(), name="alert_list"),
    path("alerts/<int:pk>/", supervision_views.AlertDetailView.as_view(), name="alert_detail"),
    path("alerts/<int:pk>/assign/", supervision_views.AssignView.as_view(), name="alert_assign"),
    path("alerts/<int:pk>/explain/", supervision_views.ExplainView.as_view(), name="alert_explain"),
    path("alerts/<int:pk>/confirm/", supervision_views.ConfirmView.as_view(), name="alert_confirm"),
    path("alerts/<int:pk>/dismiss/", supervision_views.DismissView.as_view(), name="alert_dismiss"),
    path("alerts/<int:pk>/rectify/", supervision_views.RectifyView.as_view(), name="alert_rectify"),
    path("alerts/<int:pk>/recheck/", supervision_views.RecheckView.as_view(), name="alert_recheck"),
    path("models/", supervision_views.ProblemModelListView.as_view(), name="problem_model_list"),
    path("models/<int:pk>/", supervision_views.ProblemModelDetailView.as_view(), name="problem_model_detail"),
    path("models/<int:pk>/region/", supervision_views.RegionSettingView.as_view(), name="problem_model_region"),
    path("actions/", supervision_views.ActionListView.as_view(), name="action_list"),
    path("actions/new/", supervision_views.ActionNewView.as_view(), name="action_new"),
    path("actions/<int:pk>/", supervision_views.ActionDetailView.as_view(), name="action_detail"),
    path("actions/<int:pk>/reply/", supervision_views.ActionReplyView.as_view(), name="action_reply"),
    path("actions/<int:pk>/close/", supervision_views.ActionCloseView.as_view(), name="action_close"),
    path("inbox/", supervision_views.InboxView.as_view(), name="inbox"),
    path("problem-lists/", supervision_views.ProblemListListView.as_view(), name="problem_list_list"),
    path("problem-lists/new/", supervision_views.ProblemListNewView.as_view(), name="problem_list_new"),
    path("problem-lists/<int:pk>/", supervision_views.ProblemListDetailView.as_view(), name="problem_list_detail"),
    path("problem-lists/<int:pk>/items/new/", supervision_views.ProblemItemNewView.as_view(), name="problem_item_new"),
    path("problem-items/<int:pk>/report/", supervision_views.ProblemItemReportView.as_view(), name="problem_item_report"),
    path("problem-items/<int:pk>/verify/", supervision_views.ProblemItemVerifyView.as_view(), name="problem_item_verify"),
    path("campaigns/", supervision_views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", supervision_views.CampaignNewView.as_view(), name="campaign_new"),
    path("campaigns/<int:pk>/", supervision_views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/link/", supervision_views.CampaignLinkView.as_view(), name="campaign_link"),
]

# Complaints and tips (投诉举报, SUP-3).
from .complaints import urls as complaint_urls  # noqa: E402

urlpatterns += complaint_urls.urlpatterns
