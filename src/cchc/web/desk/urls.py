"""Desk URLs (officers under ``mot-cua/``) and the public look-up and catalogue."""

from __future__ import annotations

from django.urls import path

from cchc.web.desk import catalogue, integrity, papers, portal766, public, register, views

urlpatterns = [
    path("mot-cua/", views.work_list, name="worklist"),
    path("mot-cua/danh-sach.xlsx", views.work_list_xlsx, name="worklist_xlsx"),
    path("mot-cua/tiep-nhan/", views.receive, name="receive"),
    path("mot-cua/nhap-so/", views.import_file, name="import"),
    path("mot-cua/chi-so-766/", views.dashboard_page, name="dashboard"),
    path("mot-cua/kiem-tra-so/", integrity.integrity_page, name="integrity"),
    path("mot-cua/chi-so-766.xlsx", portal766.board_xlsx, name="dashboard_xlsx"),
    path("mot-cua/chi-so-766/tep-cong/", portal766.import_page, name="portal_import"),
    path("mot-cua/doi-soat/", portal766.reconcile_page, name="reconcile"),
    path("mot-cua/doi-soat.xlsx", portal766.reconcile_xlsx, name="reconcile_xlsx"),
    path("mot-cua/so-theo-doi/", register.register_page, name="register"),
    path("mot-cua/so-theo-doi.xlsx", register.register_xlsx, name="register_xlsx"),
    path("mot-cua/ho-so/<str:code>/", views.detail, name="dossier"),
    path("mot-cua/ho-so/<str:code>/mau-<int:number>/", views.print_form, name="form"),
    path(
        "mot-cua/ho-so/<str:code>/phieu-kiem-soat/", papers.control_sheet_page, name="control_sheet"
    ),
    path("mot-cua/ho-so/<str:code>/thong-bao-dung/", papers.stop_notice_page, name="stop_notice"),
    path("mot-cua/ho-so/<str:code>/ma-danh-gia/", views.rating_key, name="rating_key"),
    path("mot-cua/ho-so/<str:code>/<slug:action>/", views.act, name="act"),
    path("tra-cuu/", public.lookup_page, name="lookup"),
    path("tra-cuu/<str:code>/danh-gia/", public.rate_view, name="rate"),
    path("thu-tuc-hanh-chinh/", catalogue.catalogue_page, name="catalogue"),
    path("thu-tuc-hanh-chinh/<str:procedure>/", catalogue.procedure_page, name="procedure"),
]
