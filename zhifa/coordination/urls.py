from django.urls import path

from . import views

app_name = "coordination"

urlpatterns = [
    path("criminal-transfers/", views.TransferListView.as_view(), name="transfer_list"),
    path("criminal-transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("cases/<int:case_pk>/criminal-transfer/", views.report_case, name="report_case"),
]

# Grid dispatch (网格化巡查与指挥调度, COL-3)
from .grid.urls import urlpatterns as grid_urlpatterns  # noqa: E402

urlpatterns += grid_urlpatterns
