"""Pages of the record outside /records/ (included at the root, full paths): the audit
administrator's access log and checkpoints under /audit/, the public checkpoints under /public/."""

from django.urls import path

from . import views

app_name = "audittrail"

urlpatterns = [
    path("audit/access/", views.AccessLogPageView.as_view(), name="access_log"),
    path("audit/checkpoints/", views.CheckpointPageView.as_view(), name="checkpoint_list"),
    path("public/checkpoints/", views.public_checkpoint_list, name="public_checkpoints"),
    path("public/checkpoints/<int:number>/", views.public_checkpoint_detail, name="public_checkpoint"),
]
