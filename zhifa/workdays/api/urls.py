from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("years", views.CalendarYearViewSet)
router.register("days", views.CalendarDayViewSet)
urlpatterns = [path("add/", views.DeadlineView.as_view(), name="workdays-add"), *router.urls]
