from django.urls import path

from . import views

app_name = "parties"

urlpatterns = [
    path("", views.PartyListView.as_view(), name="party_list"),
    path("new/", views.PartyEditView.as_view(), name="party_create"),
    path("<int:pk>/", views.PartyDetailView.as_view(), name="party_detail"),
    path("<int:pk>/edit/", views.PartyEditView.as_view(), name="party_edit"),
    path("<int:pk>/reveal/", views.PartyRevealView.as_view(), name="party_reveal"),
    path("<int:pk>/credit-ratings/new/", views.CreditRatingCreateView.as_view(), name="credit_rating_create"),
]
