"""Pages of grid dispatch (included in the coordination app's namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("grid/board/", views.board, name="board"),
    path("grid/grids/", views.GridListView.as_view(), name="grid_list"),
    path("grid/grids/new/", views.grid_edit, name="grid_create"),
    path("grid/grids/<int:pk>/", views.grid_detail, name="grid_detail"),
    path("grid/grids/<int:pk>/edit/", views.grid_edit, name="grid_edit"),
    path("grid/tasks/", views.TaskListView.as_view(), name="task_list"),
    path("grid/tasks/new/", views.task_create, name="task_create"),
    path("grid/tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("grid/reports/", views.ReportListView.as_view(), name="report_list"),
    path("grid/reports/new/", views.report_create, name="report_create"),
    path("grid/reports/<int:pk>/", views.report_detail, name="report_detail"),
]
