"""Survey URLs under ``khao-sat/`` (organiser pages, results, and the respondents' links)."""

from __future__ import annotations

from django.urls import path

from cchc.web.surveys import views

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("moi/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/chon-mau/", views.draw, name="draw"),
    path("<int:pk>/lien-ket/<str:code>/", views.issue, name="issue"),
    path("<int:pk>/phieu-giay/", views.paper_list, name="paper_list"),
    path("<int:pk>/phieu-giay/<int:rid>/", views.paper, name="paper"),
    path("<int:pk>/nhap-tep/", views.import_file, name="import"),
    path("<int:pk>/ket-thuc/", views.close, name="close"),
    path("<int:pk>/cong-bo/", views.publish, name="publish"),
    path("<int:pk>/ket-qua/", views.results_page, name="results"),
    path("<int:pk>/ket-qua.xlsx", views.results_xlsx, name="results_xlsx"),
    path("<int:pk>/ket-qua.json", views.results_json, name="results_json"),
    path("phieu/<str:token>/", views.answer, name="answer"),
]
