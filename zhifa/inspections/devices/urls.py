"""Staff pages of the equipment register and non-site records (under /inspections/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("devices/", views.DeviceListView.as_view(), name="device_list"),
    path("devices/new/", views.DeviceEditView.as_view(), name="device_create"),
    path("devices/<int:pk>/", views.DeviceDetailView.as_view(), name="device_detail"),
    path("devices/<int:pk>/edit/", views.DeviceEditView.as_view(), name="device_edit"),
    path("devices/<int:pk>/issue/", views.IssueView.as_view(), name="device_issue"),
    path("devices/<int:pk>/return/", views.ReturnView.as_view(), name="device_return"),
    path("device-records/", views.RecordListView.as_view(), name="device_record_list"),
    path("device-records/new/", views.CaptureView.as_view(), name="device_record_create"),
    path("device-records/<int:pk>/", views.RecordDetailView.as_view(), name="device_record_detail"),
    path("device-records/<int:pk>/review/", views.ReviewView.as_view(), name="device_record_review"),
    path("device-records/<int:pk>/notify/", views.NotifyView.as_view(), name="device_record_notify"),
    path("device-records/<int:pk>/answer/", views.AnswerView.as_view(), name="device_record_answer"),
    path("device-records/<int:pk>/open-case/", views.OpenCaseView.as_view(), name="device_record_open_case"),
]
