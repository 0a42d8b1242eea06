from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("users", views.UserViewSet)
urlpatterns = [
    path("me/", views.me, name="api-me"),
    path("me/password/", views.change_password, name="api-me-password"),
    *router.urls,
]
