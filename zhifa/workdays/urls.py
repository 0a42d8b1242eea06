from django.urls import path

from . import views

app_name = "workdays"

urlpatterns = [
    path("", views.YearListView.as_view(), name="year_list"),
    path("<int:year>/", views.YearDetailView.as_view(), name="year_detail"),
]
