"""Staff pages of the draws part, appended to ``zhifa/inspections/urls.py`` (namespace ``inspections``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("draws/list/", views.EntryListView.as_view(), name="draws_entry_list"),
    path("draws/list/new/", views.EntryEditView.as_view(), name="draws_entry_create"),
    path("draws/list/<int:pk>/", views.EntryDetailView.as_view(), name="draws_entry_detail"),
    path("draws/list/<int:pk>/edit/", views.EntryEditView.as_view(), name="draws_entry_edit"),
    path("draws/list/<int:pk>/publish/", views.EntryActionView.as_view(verb="publish"), name="draws_entry_publish"),
    path("draws/list/<int:pk>/withdraw/", views.EntryActionView.as_view(verb="withdraw"), name="draws_entry_withdraw"),
    path("draws/inspectors/", views.InspectorListView.as_view(), name="draws_inspector_list"),
    path("draws/inspectors/new/", views.InspectorEditView.as_view(), name="draws_inspector_create"),
    path("draws/conflicts/", views.ConflictListView.as_view(), name="draws_conflict_list"),
    path("draws/conflicts/new/", views.ConflictEditView.as_view(), name="draws_conflict_create"),
    path("draws/plans/", views.PlanListView.as_view(), name="draws_plan_list"),
    path("draws/plans/new/", views.PlanEditView.as_view(), name="draws_plan_create"),
    path("draws/plans/<int:pk>/", views.PlanDetailView.as_view(), name="draws_plan_detail"),
    path("draws/plans/<int:pk>/edit/", views.PlanEditView.as_view(), name="draws_plan_edit"),
    path("draws/plans/<int:pk>/items/", views.PlanActionView.as_view(verb="item"), name="draws_plan_item"),
    path("draws/plans/<int:pk>/publish/", views.PlanActionView.as_view(verb="publish"), name="draws_plan_publish"),
    path("draws/plans/<int:pk>/draw/", views.PlanActionView.as_view(verb="draw"), name="draws_plan_draw"),
    path("draws/", views.DrawListView.as_view(), name="draws_draw_list"),
    path("draws/<int:pk>/", views.DrawDetailView.as_view(), name="draws_draw_detail"),
    path("draws/<int:pk>/tasks/", views.DrawActionView.as_view(verb="tasks"), name="draws_draw_tasks"),
    path("draws/<int:pk>/freeze/", views.DrawActionView.as_view(verb="freeze"), name="draws_draw_freeze"),
    path("draws/<int:pk>/witness/", views.DrawActionView.as_view(verb="witness"), name="draws_draw_witness"),
    path("draws/<int:pk>/lottery/", views.DrawActionView.as_view(verb="lottery"), name="draws_draw_lottery"),
    path("draws/<int:pk>/complete/", views.DrawActionView.as_view(verb="complete"), name="draws_draw_complete"),
]
