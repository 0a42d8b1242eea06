from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("messages", views.MessageViewSet, basename="workspace-message")
urlpatterns = [
    path("todos/", views.TodoView.as_view(), name="workspace-todos"),
    path("done/", views.DoneView.as_view(), name="workspace-done"),
    path("preferences/", views.PreferenceView.as_view(), name="workspace-preferences"),
    path("search/", views.SearchView.as_view(), name="workspace-search"),
    *router.urls,
]
