"""Staff pages of complaints (included by ``zhifa.supervision.urls``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("complaints/", views.ComplaintListView.as_view(), name="complaint_list"),
    path("complaints/export.xlsx", views.ComplaintExportView.as_view(), name="complaint_export"),
    path("complaints/new/", views.ComplaintNewView.as_view(), name="complaint_new"),
    path("complaints/deadlines/", views.DeadlineRuleView.as_view(), name="complaint_deadlines"),
    path("complaints/hotlines/", views.HotlineSystemListView.as_view(), name="hotline_systems"),
    path("complaints/hotlines/new/", views.HotlineSystemEditView.as_view(), name="hotline_system_add"),
    path("complaints/hotlines/<int:pk>/", views.HotlineSystemEditView.as_view(), name="hotline_system_edit"),
    path("complaints/hotlines/<int:pk>/rotate/", views.HotlineSecretRotateView.as_view(), name="hotline_secret_rotate"),
    path("complaints/<int:pk>/", views.ComplaintDetailView.as_view(), name="complaint_detail"),
    path("complaints/<int:pk>/identity/", views.ComplaintIdentityView.as_view(), name="complaint_identity"),
    path("complaints/<int:pk>/satisfaction/", views.ComplaintSatisfactionView.as_view(), name="complaint_satisfaction"),
    path("complaints/<int:pk>/<slug:code>/", views.ComplaintMoveView.as_view(), name="complaint_move"),
]
