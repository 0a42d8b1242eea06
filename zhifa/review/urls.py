from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("reviews/<int:pk>/", views.ReviewDetailView.as_view(), name="review_detail"),
    path("reviews/<int:pk>/opinion/", views.OpinionView.as_view(), name="opinion"),
    path("reviews/<int:pk>/assign/", views.AssignView.as_view(), name="assign"),
    path("reviews/<int:pk>/claim/", views.ClaimView.as_view(), name="claim"),
    path("reviews/<int:pk>/answer/", views.AnswerView.as_view(), name="answer"),
    path("reviews/<int:pk>/resubmit/", views.ResubmitView.as_view(), name="resubmit"),
    path("reviews/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("reviews/<int:pk>/opinion.<str:fmt>", views.OpinionFileView.as_view(), name="opinion_file"),
    path("cases/<int:pk>/", views.CaseReviewView.as_view(), name="case"),
    path("cases/<int:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path("cases/<int:pk>/flag/", views.FlagView.as_view(), name="flag"),
    path("cases/<int:pk>/discussion/", views.DiscussionView.as_view(), name="discussion_create"),
    path("discussions/", views.DiscussionListView.as_view(), name="discussion_list"),
    path("catalog/", views.CatalogListView.as_view(), name="catalog_list"),
    path("catalog/new/", views.CatalogEditView.as_view(), name="catalog_create"),
    path("catalog/standard/", views.StandardCatalogView.as_view(), name="catalog_standard"),
    path("catalog/<int:pk>/", views.CatalogDetailView.as_view(), name="catalog_detail"),
    path("catalog/<int:pk>/edit/", views.CatalogEditView.as_view(), name="catalog_edit"),
    path("settings/new/", views.SettingsEditView.as_view(), name="settings_create"),
    path("settings/<int:pk>/edit/", views.SettingsEditView.as_view(), name="settings_edit"),
    path("report/", views.ReportView.as_view(), name="report"),
]
