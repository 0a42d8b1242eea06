from django.urls import path

from . import views

app_name = "coordination"

urlpatterns = [
    path("criminal-transfers/", views.TransferListView.as_view(), name="transfer_list"),
    path("criminal-transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("cases/<int:case_pk>/criminal-transfer/", views.report_case, name="report_case"),
]
