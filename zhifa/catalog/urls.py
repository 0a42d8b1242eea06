from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("items/", views.ItemListView.as_view(), name="item_list"),
    path("items/new/", views.ItemCreateView.as_view(), name="item_create"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/revise/", views.ItemReviseView.as_view(), name="item_revise"),
    path("delegations/new/", views.DelegationEditView.as_view(), name="delegation_create"),
    path("delegations/<int:pk>/edit/", views.DelegationEditView.as_view(), name="delegation_edit"),
    path("benchmarks/", views.BenchmarkListView.as_view(), name="benchmark_list"),
    path("benchmarks/new/", views.BenchmarkEditView.as_view(), name="benchmark_create"),
    path("benchmarks/<int:pk>/", views.BenchmarkDetailView.as_view(), name="benchmark_detail"),
    path("benchmarks/<int:pk>/edit/", views.BenchmarkEditView.as_view(), name="benchmark_edit"),
    path("special-lists/", views.SpecialListView.as_view(), name="special_list"),
    path("special-lists/new/", views.SpecialListEditView.as_view(), name="special_create"),
    path("special-lists/<int:pk>/", views.SpecialListDetailView.as_view(), name="special_detail"),
    path("special-lists/<int:pk>/edit/", views.SpecialListEditView.as_view(), name="special_edit"),
]
