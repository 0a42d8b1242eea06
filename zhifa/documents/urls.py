from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("templates/", views.TemplateListView.as_view(), name="template_list"),
    path("templates/upload/", views.TemplateUploadView.as_view(), name="template_upload"),
    path("templates/kind/<slug:code>/", views.TemplateKindView.as_view(), name="template_kind"),
    path("templates/kind/<slug:code>/builtin.docx", views.BuiltinDownloadView.as_view(), name="builtin_download"),
    path("templates/kind/<slug:code>/preview.pdf", views.TemplatePreviewView.as_view(), name="template_preview"),
    path("templates/<int:pk>/download/", views.TemplateDownloadView.as_view(), name="template_download"),
    path("templates/<int:pk>/activate/", views.TemplateStateView.as_view(operation="activate"), name="template_activate"),
    path("templates/<int:pk>/deactivate/", views.TemplateStateView.as_view(operation="deactivate"),
         name="template_deactivate"),
]
