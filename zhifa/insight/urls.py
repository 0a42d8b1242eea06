from django.urls import path

from . import views

app_name = "insight"

urlpatterns = [
    path("cases/<int:pk>/", views.case_assistance, name="case"),
]
