"""Portal URLs (included at the root): public pages under /public/, staff pages (login) under /portal/."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("public/", views.home, name="home"),
    # Before (事前公开, PUB-1)
    path("public/agencies/", views.agency_list, name="agency_list"),
    path("public/agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("public/officers/", views.officer_list, name="officer_list"),
    path("public/items/", views.item_list, name="item_list"),
    path("public/items/<int:pk>/", views.item_detail, name="item_detail"),
    path("public/inspections/", views.inspection_list, name="inspection_list"),
    path("public/benchmarks/", views.benchmark_list, name="benchmark_list"),
    path("public/major-decisions/", views.major_catalog, name="major_catalog"),
    path("public/procedures/", views.procedure_list, name="procedure_list"),
    path("public/remedies/", views.remedies, name="remedies"),
    path("public/guides/", views.guide_list, name="guides"),
    path("public/guides/<int:pk>/", views.guide_detail, name="guide_detail"),
    path("public/open-data/", views.open_data, name="open_data"),
    # During (事中公示, PUB-2)
    path("public/verify/", views.verify_lookup, name="verify_lookup"),
    path("public/verify/<path:number>/", views.verify, name="verify"),
    path("public/verify/<path:number>/qr.png", views.verify_qr, name="verify_qr"),
    # Staff pages (login; never cached)
    path("portal/freshness/", views.FreshnessView.as_view(), name="freshness"),
    path("portal/law-changes/new/", views.LawChangeEditView.as_view(), name="law_change_create"),
    path("portal/law-changes/<int:pk>/edit/", views.LawChangeEditView.as_view(), name="law_change_edit"),
    path("portal/duty-changes/new/", views.DutyChangeCreateView.as_view(), name="duty_change_create"),
    path("portal/duty-changes/<int:pk>/confirm/", views.duty_text_confirm, name="duty_text_confirm"),
    path("portal/guides/", views.GuideManageView.as_view(), name="guide_manage"),
    path("portal/guides/new/", views.GuideEditView.as_view(), name="guide_create"),
    path("portal/guides/<int:pk>/edit/", views.GuideEditView.as_view(), name="guide_edit"),
    path("portal/certificates/<int:pk>/qr/", views.CertificateQRView.as_view(), name="certificate_qr"),
]
