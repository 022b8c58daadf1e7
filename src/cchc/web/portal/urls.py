"""Public portal and results pages.

Public results are addressed by level and year (published only); office roles reach any
campaign's results by id (``dot-danh-gia/<pk>/ket-qua/``), permission-checked.
"""

from __future__ import annotations

from django.urls import include, path

from cchc.web.portal import downloads, insight, views

# The same result pages under both prefixes; views receive (level, year) or pk.
_results = [
    path("tai-ve.<str:fmt>", downloads.table_download, name="download"),
    path("bao-cao.<str:fmt>", downloads.report_download, name="report"),
    path("bieu-do/<slug:name>.<str:ext>", downloads.chart_download, name="chart"),
    path("don-vi/<str:code>/bao-cao.<str:fmt>", downloads.report_download, name="unit_report"),
    path(
        "don-vi/<str:code>/bieu-do/<slug:name>.<str:ext>",
        downloads.chart_download,
        name="unit_chart",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("ket-qua/<slug:level>/<int:year>/", views.ranking, name="ranking"),
    path("ket-qua/<slug:level>/<int:year>/don-vi/<str:code>/", views.unit_page, name="unit"),
    path("ket-qua/<slug:level>/<int:year>/", include(_results)),
    path("dot-danh-gia/<int:pk>/ket-qua/", views.campaign_ranking, name="campaign_ranking"),
    path(
        "dot-danh-gia/<int:pk>/ket-qua/don-vi/<str:code>/",
        views.campaign_unit_page,
        name="campaign_unit",
    ),
    path("dot-danh-gia/<int:pk>/ket-qua/", include(_results)),
    path(
        "dot-danh-gia/<int:pk>/ket-qua/don-vi/<str:code>/diem-con-thieu/",
        insight.gaps_page,
        name="gaps",
    ),
    path(
        "dot-danh-gia/<int:pk>/ket-qua/don-vi/<str:code>/diem-con-thieu.xlsx",
        insight.gaps_xlsx,
        name="gaps_xlsx",
    ),
    path("dot-danh-gia/<int:pk>/ket-qua/mo-phong/", insight.whatif_page, name="whatif"),
]
