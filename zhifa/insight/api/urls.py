from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:pk>/", views.CaseAssistanceView.as_view(), name="insight-case"),
]
