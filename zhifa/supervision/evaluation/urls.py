"""Web addresses of case-file evaluation, included by ``zhifa/supervision/urls.py``."""

from django.urls import path

from . import views

urlpatterns = [
    path("evaluation/", views.EvaluationListView.as_view(), name="evaluation_list"),
    path("evaluation/plans/new/", views.PlanCreateView.as_view(), name="evaluation_plan_create"),
    path("evaluation/plans/<int:pk>/", views.PlanDetailView.as_view(), name="evaluation_plan"),
    path("evaluation/plans/<int:pk>/draw/", views.PlanDrawView.as_view(), name="evaluation_plan_draw"),
    path("evaluation/plans/<int:pk>/assign/", views.PlanAssignView.as_view(), name="evaluation_plan_assign"),
    path("evaluation/plans/<int:pk>/finish/", views.PlanFinishView.as_view(), name="evaluation_plan_finish"),
    path("evaluation/plans/<int:pk>/export.<str:fmt>", views.PlanExportView.as_view(), name="evaluation_plan_export"),
    path("evaluation/<int:pk>/", views.EvaluationDetailView.as_view(), name="evaluation_detail"),
    path("evaluation/<int:pk>/case-file.pdf", views.CaseFilePdfView.as_view(), name="evaluation_case_file_pdf"),
    path("evaluation/<int:pk>/reevaluate/", views.ReEvaluationView.as_view(), name="evaluation_reevaluate"),
    path("evaluation/reevaluations/<int:pk>/", views.ReEvaluationDecideView.as_view(), name="evaluation_decide"),
    path("evaluation/findings/<int:pk>/rectify/", views.RectifyView.as_view(), name="evaluation_rectify"),
    path("evaluation/findings/<int:pk>/accept/", views.AcceptRectificationView.as_view(), name="evaluation_accept"),
    path("evaluation/notices/<int:pk>/", views.NoticeView.as_view(), name="evaluation_notice"),
    path("evaluation/notices/<int:pk>/pdf/", views.NoticePdfView.as_view(), name="evaluation_notice_pdf"),
]
