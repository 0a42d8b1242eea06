"""Web addresses of the 三项制度 assessment, the task ledgers and the action-plan KPIs, included by
``zhifa/supervision/urls.py``."""

from django.urls import path

from .. import kpi_views
from ..ledgers import views as ledgers
from . import views

urlpatterns = [
    path("assessments/", views.AssessmentListView.as_view(), name="assessment_list"),
    path("assessments/new/", views.AssessmentCreateView.as_view(), name="assessment_create"),
    path("assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path("assessments/<int:pk>/step/<str:step>/", views.AssessmentActionView.as_view(), name="assessment_step"),
    path("assessments/<int:pk>/export.<str:fmt>", views.ExportView.as_view(), name="assessment_export"),
    path("assessments/items/<int:pk>/", views.ItemView.as_view(), name="assessment_item"),
    path("assessments/evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="assessment_evidence"),
    path("ledgers/", ledgers.PlanListView.as_view(), name="ledger_list"),
    path("ledgers/new/", ledgers.PlanCreateView.as_view(), name="ledger_plan_create"),
    path("ledgers/<int:pk>/", ledgers.PlanDetailView.as_view(), name="ledger_plan"),
    path("ledgers/<int:pk>/import/", ledgers.PlanImportView.as_view(), name="ledger_import"),
    path("ledgers/<int:pk>/export.xlsx", ledgers.PlanExportView.as_view(), name="ledger_export"),
    path("ledgers/<int:pk>/tasks/new/", ledgers.TaskCreateView.as_view(), name="ledger_task_create"),
    path("ledgers/tasks/<int:pk>/", ledgers.TaskDetailView.as_view(), name="ledger_task"),
    path("ledgers/reports/<int:pk>/attachment/", ledgers.AttachmentView.as_view(), name="ledger_attachment"),
    path("kpis/", kpi_views.KPIView.as_view(), name="kpis"),
    path("kpis/export.xlsx", kpi_views.KPIExportView.as_view(), name="kpis_export"),
]
