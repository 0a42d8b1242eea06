from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("templates", views.DocumentTemplateViewSet, basename="document-template")
urlpatterns = [
    path("kinds/", views.DocumentKindView.as_view(), name="document-kinds"),
    path("preview/", views.DocumentPreviewView.as_view(), name="document-preview"),
    *router.urls,
]
