from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("messages/", views.message_list, name="messages"),
    path("messages/unread.json", views.unread, name="unread"),
    path("messages/read-all/", views.message_read, name="messages_read_all"),
    path("messages/<int:pk>/read/", views.message_read, name="message_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("search/", views.search, name="search"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
