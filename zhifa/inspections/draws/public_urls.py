"""Public URLs of the draws part (full paths under /public/, included at the root)."""

from django.urls import path

from . import public_views as views

app_name = "draws_public"

urlpatterns = [
    path("public/draws/", views.draw_list, name="draw_list"),
    path("public/draws/list/", views.entry_list, name="entry_list"),
    path("public/draws/plans/", views.plan_list, name="plan_list"),
    path("public/draws/plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("public/draws/<int:pk>/", views.draw_detail, name="draw_detail"),
    path("public/draws/zhifa_draw.py", views.algorithm_file, name="algorithm"),
    path("public/open-data/draws/<int:pk>.json", views.open_data, name="open_data"),
]
