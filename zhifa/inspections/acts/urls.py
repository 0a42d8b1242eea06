"""Pages of the inspection act, appended to ``zhifa/inspections/urls.py`` (namespace ``inspections``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("acts/", views.InspectionListView.as_view(), name="act_list"),
    path("acts/new/", views.InspectionCreateView.as_view(), name="act_create"),
    path("acts/<int:pk>/", views.InspectionDetailView.as_view(), name="act_detail"),
    path("acts/<int:pk>/step/<slug:step>/", views.InspectionStepView.as_view(), name="act_step"),
    path("acts/<int:pk>/evidence/", views.EvidenceView.as_view(), name="act_evidence"),
    path("acts/<int:pk>/documents/<int:doc>/", views.DocumentDownloadView.as_view(), name="act_document"),
    path("acts/<int:pk>/documents/<int:doc>/pdf/", views.DocumentDownloadView.as_view(fmt="pdf"),
         name="act_document_pdf"),
    path("acts/statistics/", views.StatisticsView.as_view(), name="act_statistics"),
    path("caps/", views.CapListView.as_view(), name="cap_list"),
    path("caps/new/", views.CapEditView.as_view(), name="cap_create"),
    path("codes/<int:party>/", views.SupervisionCodeView.as_view(), name="supervision_code"),
    path("codes/<int:party>/qr.png", views.SupervisionCodeQRView.as_view(), name="supervision_code_qr"),
]
