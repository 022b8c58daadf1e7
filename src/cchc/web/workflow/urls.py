"""Workflow URLs, under ``dot-danh-gia/`` (the portal owns ``dot-danh-gia/<pk>/ket-qua/``)."""

from __future__ import annotations

from django.urls import path

from cchc.web.workflow import views_approval as a
from cchc.web.workflow import views_campaign as c
from cchc.web.workflow import views_unit as u

_criterion = "dot-danh-gia/<int:pk>/don-vi/<str:code>/tieu-chi/<str:node>/"

urlpatterns = [
    path("dot-danh-gia/", c.campaign_list, name="campaigns"),
    path("dot-danh-gia/tao-moi/", c.create, name="create"),
    path("dot-danh-gia/<int:pk>/", c.detail, name="campaign"),
    path("dot-danh-gia/<int:pk>/giai-doan/", c.change_phase, name="phase"),
    path("dot-danh-gia/<int:pk>/thoi-gian/", c.set_dates, name="dates"),
    path("dot-danh-gia/<int:pk>/de-nghi-phe-duyet/", a.propose, name="propose"),
    path("dot-danh-gia/<int:pk>/phe-duyet/", a.decide, name="approval"),
    path("dot-danh-gia/<int:pk>/cong-bo/", c.publish, name="publish"),
    path("dot-danh-gia/<int:pk>/dieu-tra/", c.survey, name="survey"),
    path("dot-danh-gia/<int:pk>/sai-so-khao-sat/", c.uncertainty, name="uncertainty"),
    path("dot-danh-gia/<int:pk>/don-vi/<str:code>/", u.unit_page, name="unit"),
    path("dot-danh-gia/<int:pk>/don-vi/<str:code>/nop/", u.submit, name="submit"),
    path("dot-danh-gia/<int:pk>/don-vi/<str:code>/bao-cao/", u.self_report, name="self_report"),
    path("dot-danh-gia/<int:pk>/don-vi/<str:code>/bao-cao.docx", u.self_report_docx, name="self_report_docx"),
    path(_criterion, u.criterion, name="criterion"),
    path(_criterion + "tu-danh-gia/", u.self_score, name="self_score"),
    path(_criterion + "minh-chung/", u.add_evidence, name="evidence"),
    path(_criterion + "minh-chung/<int:evidence_id>/", u.evidence_file, name="evidence_file"),
    path(_criterion + "minh-chung/<int:evidence_id>/go/", u.delete_evidence, name="evidence_delete"),
    path(_criterion + "minh-chung/<int:evidence_id>/thay/", u.swap_evidence, name="evidence_replace"),
    path(_criterion + "tham-dinh/", u.appraise, name="appraise"),
    path(_criterion + "kien-nghi/", u.raise_objection, name="object"),
    path(_criterion + "kien-nghi/<int:objection_id>/tra-loi/", u.answer_objection, name="answer"),
]
