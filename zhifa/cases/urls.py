from django.urls import path

from . import views
from .signing.views import SignatureAddView

app_name = "cases"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
    path("workbench/", views.WorkbenchView.as_view(), name="workbench"),
    path("<int:pk>/case-file/", views.CaseFileView.as_view(), name="case_file"),
    path("<int:pk>/case-file/pdf/", views.CaseFilePdfView.as_view(), name="case_file_pdf"),
    path("<int:pk>/case-file/media/", views.CaseFileMediaView.as_view(), name="case_file_media"),
    path("overdue/", views.OverdueView.as_view(), name="overdue"),
    path("new/", views.CaseCreateView.as_view(), name="case_create"),
    path("on-the-spot/", views.SimpleCaseView.as_view(), name="simple_create"),
    path("procedures/<str:code>/", views.ProcedureFlowView.as_view(), name="procedure_flow"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("<int:pk>/on-the-spot/", views.SimpleDoneView.as_view(), name="simple_done"),
    path("<int:pk>/steps/<str:code>/", views.TransitionView.as_view(), name="transition"),
    path("<int:pk>/officers/new/", views.AssignOfficerView.as_view(), name="assign_officer"),
    path("<int:pk>/discretion/", views.DiscretionView.as_view(), name="discretion"),
    path("<int:pk>/evidence/new/", views.EvidenceAddView.as_view(), name="evidence_add"),
    path("<int:pk>/signatures/new/", SignatureAddView.as_view(), name="signature_add"),  # 文书签名
    path("<int:pk>/evidence/<int:evidence_id>/file/", views.EvidenceFileView.as_view(), name="evidence_file"),
    path("<int:pk>/documents/<int:document_id>/<str:fmt>/", views.DocumentFileView.as_view(), name="document_file"),
    path("<int:pk>/documents/<int:document_id>/retry-pdf", views.DocumentRetryPdfView.as_view(),
         name="document_retry_pdf"),
    path("<int:pk>/inspections/new/", views.InspectionView.as_view(), name="inspection_add"),
    path("<int:pk>/interviews/new/", views.InterviewView.as_view(), name="interview_add"),
    path("coercive-measures/", views.MeasureListView.as_view(), name="measure_list"),
    path("<int:pk>/coercive-measures/new/", views.StartMeasureView.as_view(), name="coercive_add"),
    path("<int:pk>/coercive-measures/<int:measure_id>/<slug:code>/", views.MeasureStepView.as_view(), name="measure_step"),
    path("<int:pk>/enforcements/new/", views.StartEnforcementView.as_view(), name="enforcement_add"),
    path("<int:pk>/enforcements/<int:enforcement_id>/<slug:code>/", views.EnforcementStepView.as_view(),
         name="enforcement_step"),
    path("<int:pk>/statements/new/", views.StatementView.as_view(), name="statement_add"),
    path("<int:pk>/statements/<int:statement_id>/answer/", views.AnswerStatementView.as_view(),
         name="statement_answer"),
    path("<int:pk>/waive-rights/", views.WaiveRightsView.as_view(), name="waive_rights"),
    path("<int:pk>/hearing/request/", views.HearingRequestView.as_view(), name="hearing_request"),
    path("<int:pk>/hearing/schedule/", views.HearingScheduleView.as_view(), name="hearing_schedule"),
    path("<int:pk>/hearing/record/", views.HearingRecordView.as_view(), name="hearing_record"),
    path("<int:pk>/extensions/new/", views.ExtensionView.as_view(), name="extension_add"),
    path("<int:pk>/payments/new/", views.PaymentView.as_view(), name="payment_add"),
    path("<int:pk>/other-execution/", views.OtherExecutionView.as_view(), name="other_execution"),
    path("<int:pk>/payment-plan/", views.PaymentPlanView.as_view(), name="payment_plan"),
    path("<int:pk>/violation-period/", views.ViolationPeriodView.as_view(), name="violation_period"),
    path("<int:pk>/remedies/new/", views.RemedyView.as_view(), name="remedy_add"),
    path("<int:pk>/remedies/<int:remedy_id>/result/", views.RemedyResultView.as_view(), name="remedy_result"),
]
