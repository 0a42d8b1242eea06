from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("officers/", views.OfficerListView.as_view(), name="officer_list"),
    path("officers/new/", views.OfficerEditView.as_view(), name="officer_create"),
    path("officers/<int:pk>/", views.OfficerDetailView.as_view(), name="officer_detail"),
    path("officers/<int:pk>/edit/", views.OfficerEditView.as_view(), name="officer_edit"),
    path("officers/<int:pk>/reveal/", views.OfficerRevealView.as_view(), name="officer_reveal"),
    path("certificates/", views.CertificateListView.as_view(), name="certificate_list"),
    path("certificates/new/", views.CertificateIssueView.as_view(), name="certificate_create"),
    path("certificates/<int:pk>/", views.CertificateDetailView.as_view(), name="certificate_detail"),
    path("certificates/<int:pk>/edit/", views.CertificateEditView.as_view(), name="certificate_edit"),
    path("certificates/<int:pk>/<slug:action>/", views.CertificateActionView.as_view(), name="certificate_action"),
    path("training/", views.TrainingListView.as_view(), name="training_list"),
    path("training/new/", views.TrainingEditView.as_view(), name="training_create"),
    path("training/<int:pk>/", views.TrainingDetailView.as_view(), name="training_detail"),
    path("training/<int:pk>/edit/", views.TrainingEditView.as_view(), name="training_edit"),
    path("compliance/", views.ComplianceReportView.as_view(), name="compliance_report"),
    path("compliance/report.xlsx", views.ComplianceReportXlsxView.as_view(), name="compliance_report_xlsx"),
]
