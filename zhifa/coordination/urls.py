from django.urls import path

from . import views
from .transfers import views as transfer_views

app_name = "coordination"

urlpatterns = [
    path("criminal-transfers/", views.TransferListView.as_view(), name="transfer_list"),
    path("criminal-transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("cases/<int:case_pk>/criminal-transfer/", views.report_case, name="report_case"),
    # 案件移送、管辖争议、问题线索移送 (zhifa/coordination/transfers)
    path("case-transfers/", transfer_views.CaseTransferListView.as_view(), name="case_transfer_list"),
    path("case-transfers/<int:pk>/", transfer_views.case_transfer_detail, name="case_transfer_detail"),
    path("cases/<int:case_pk>/transfer/", transfer_views.send_case, name="send_case"),
    path("disputes/", transfer_views.DisputeListView.as_view(), name="dispute_list"),
    path("disputes/<int:pk>/", transfer_views.dispute_detail, name="dispute_detail"),
    path("cases/<int:case_pk>/dispute/", transfer_views.raise_dispute, name="raise_dispute"),
    path("clues/", transfer_views.ClueListView.as_view(), name="clue_list"),
    path("clues/<int:pk>/", transfer_views.clue_detail, name="clue_detail"),
    path("cases/<int:case_pk>/clue/", transfer_views.refer_clue, name="refer_clue"),
]

# Grid dispatch (网格化巡查与指挥调度, COL-3)
from .grid.urls import urlpatterns as grid_urlpatterns  # noqa: E402

urlpatterns += grid_urlpatterns
