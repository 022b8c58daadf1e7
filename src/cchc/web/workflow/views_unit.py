"""A unit's pages: its criteria, one criterion (self score, evidence, appraisal, objections,
history), and submitting. Every view checks object-level access (``pages``) and the services
check the permission again before writing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.reports.self_assessment import self_assessment_docx
from cchc.web import permissions
from cchc.web.accounts.models import Role
from cchc.web.accounts.roles import role
from cchc.web.campaigns import services
from cchc.web.campaigns.frameworks import engine_framework, scored_nodes
from cchc.web.campaigns.models import CampaignUnit, CriterionScore, Evidence, Objection, Status
from cchc.web.units.lookup import moved
from cchc.web.uploads import UploadRejected
from cchc.web.workflow import objections
from cchc.web.workflow.evidence import remove_evidence, replace_evidence
from cchc.web.workflow.figures import figure_inputs, typed_figures
from cchc.web.workflow.history import history_rows
from cchc.web.workflow.pages import done, failed, post_text, score_for, unit_for, version_of
from cchc.web.workflow.selfassessment import report_contents, unit_totals
from cchc.web.workflow.submission import missing_self_scores, submit_self_assessment
from cchc.web.workflow.surveys import survey_codes


def _unit_url(cu: CampaignUnit) -> str:
    return reverse("workflow:unit", args=[cu.campaign_id, cu.unit.code])


def _criterion_url(score: CriterionScore) -> str:
    cu = score.campaign_unit
    return reverse("workflow:criterion", args=[cu.campaign_id, cu.unit.code, score.node_code])


@require_GET
def unit_page(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The unit's criteria: maximum, self score, appraised score, evidence, objections; the
    totals per component (computed by the engine) and the printable report."""
    if (redirect := moved(request, code)) is not None:
        return redirect
    cu = unit_for(request, pk, code)
    fw = engine_framework(cu.campaign.framework)
    survey = set(survey_codes(cu.campaign))
    scores = {
        s.node_code: s
        for s in cu.scores.prefetch_related("evidence", "objections")
    }
    rows = [
        {
            "node": n,
            "score": scores[n.code],
            "survey": n.code in survey,
            # Figures beside the points they give, for criteria scored by a formula.
            "self_figures": services.figures_text(scores[n.code].self_figures),
            "appraised_figures": services.figures_text(scores[n.code].appraised_figures),
        }
        for n in scored_nodes(fw)
    ]
    return render(
        request,
        "workflow/unit.html",
        {
            "cu": cu,
            "campaign": cu.campaign,
            "rows": rows,
            "totals": unit_totals(cu, list(scores.values())),
            "can_edit": permissions.can_edit_unit_scores(request.user, cu),
            "missing": missing_self_scores(cu),
        },
    )


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Submitting asks first, on a page of its own (no script needed): what is filed, what
    is still missing, and that nothing can be changed afterwards; the POST must carry the
    ticked confirmation, checked here on the server."""
    cu = unit_for(request, pk, code)
    if not permissions.can_edit_unit_scores(request.user, cu):
        raise PermissionDenied("Bạn không được nộp bản tự đánh giá của đơn vị này.")
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = "Hãy đánh dấu ô xác nhận trước khi nộp."
        else:
            try:
                submit_self_assessment(cu, user=request.user)
            except services.CampaignError as exc:
                return failed(request, _unit_url(cu), exc)
            return done(
                request, _unit_url(cu), "Đã nộp bản tự đánh giá; điểm tự đánh giá đã được khóa."
            )
    scores = list(cu.scores.all())
    return render(
        request,
        "workflow/submit.html",
        {
            "cu": cu,
            "campaign": cu.campaign,
            "totals": unit_totals(cu, scores),
            "missing": missing_self_scores(cu),
            "evidence_count": Evidence.objects.filter(criterion_score__campaign_unit=cu).count(),
            "error": error,
        },
        status=400 if error else 200,
    )


@require_GET
def self_report(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The self-assessment report as a print page (the browser's "In" prints it on A4)."""
    cu = unit_for(request, pk, code)
    contents = report_contents(cu)
    return render(
        request,
        "workflow/self_report.html",
        {
            "cu": cu,
            "campaign": cu.campaign,
            "c": contents,
            "widths": contents.table.widths(100),
            "rows": [list(zip(row, contents.table.numeric, strict=True)) for row in contents.table.rows],
        },
    )


@require_GET
def self_report_docx(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The same report as Word (.docx), in the Decree 30/2020 layout."""
    cu = unit_for(request, pk, code)
    data = self_assessment_docx(report_contents(cu))
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = f"tu-danh-gia-{cu.campaign.year}-{cu.unit.code}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _scored_by_hand(request: HttpRequest, pk: int, code: str, node: str) -> CriterionScore:
    """The criterion's score row, refused for survey components (the organiser imports those)."""
    score = score_for(request, pk, code, node)
    if score.node_code in survey_codes(score.campaign_unit.campaign):
        raise PermissionDenied("Thành phần điều tra xã hội học do cơ quan tổ chức nhập.")
    return score


def _criterion_context(
    request: HttpRequest,
    score: CriterionScore,
    *,
    self_typed: dict[str, str] | None = None,
    self_error: Exception | None = None,
    appraise_typed: dict[str, str] | None = None,
    appraise_error: Exception | None = None,
) -> dict[str, object]:
    """What the criterion page shows; ``*_typed`` and ``*_error``: a form refused (or
    previewed), shown again as typed with the reason beside the field."""
    cu = score.campaign_unit
    user = request.user
    survey = score.node_code in survey_codes(cu.campaign)
    node = engine_framework(cu.campaign.framework).node(score.node_code)
    appraise_from = score.appraised_figures if score.is_appraised else score.self_figures
    return {
        "cu": cu,
        "campaign": cu.campaign,
        "score": score,
        "node": node,
        "survey": survey,
        "formula": node.rule is not None,
        "self_figures": services.figures_text(score.self_figures),
        "appraised_figures": services.figures_text(score.appraised_figures),
        "self_inputs": figure_inputs(
            node, "self", score.self_figures, _figures_typed(self_typed), self_error
        ),
        "appraise_inputs": figure_inputs(
            node, "appraise", appraise_from, _figures_typed(appraise_typed), appraise_error
        ),
        "evidence": list(score.evidence.all()),
        "objections": list(score.objections.select_related("raised_by", "answered_by")),
        "history": history_rows(score),
        "can_edit": not survey and permissions.can_edit_criterion(user, score),
        "can_edit_evidence": permissions.can_edit_criterion(user, score),
        "can_appraise": not survey and permissions.can_appraise_criterion(user, score),
        # The council reads the unit's work while it is being written (docs/workflow.md,
        # "Drafts"); its own form is shown disabled until the appraisal phase opens.
        "appraisal_preview": not survey
        and role(user) == Role.APPRAISER
        and cu.campaign.status in (Status.DRAFT, Status.SELF_ASSESSMENT),
        "can_object": permissions.can_object(user, cu),
        "can_answer": permissions.can_answer_objection(user, cu.campaign),
    }


def _figures_typed(typed: dict[str, str] | None) -> dict[str, str] | None:
    return None if typed is None else {k[4:]: v for k, v in typed.items() if k.startswith("fig_")}


def _typed(request: HttpRequest, score: CriterionScore, *names: str) -> dict[str, str]:
    """The form as posted: its text fields, the "does not apply" box and, for a formula
    criterion, the figure fields (``fig_<name>``); for a formula criterion the points are
    not typed: "score" is KAD when the box is ticked, else blank (the formula gives them)."""
    typed = {name: post_text(request, name) for name in names}
    node = engine_framework(score.campaign_unit.campaign.framework).node(score.node_code)
    figures = typed_figures(request, node)
    if figures is not None:
        typed["kad"] = "yes" if post_text(request, "kad") == "yes" else ""
        typed["score"] = "KAD" if typed["kad"] else ""
        typed.update({f"fig_{k}": v for k, v in figures.items()})
    return typed


def _figures_of(typed: dict[str, str]) -> dict[str, str] | None:
    figures = _figures_typed(typed)
    return figures if figures else None


def _preview(
    request: HttpRequest, score: CriterionScore, typed: dict[str, str], side: str, label: str
) -> HttpResponse:
    """"Tính điểm" on a formula criterion: the points the core computes from the figures
    typed, shown beside the form; nothing is stored."""
    node = engine_framework(score.campaign_unit.campaign.framework).node(score.node_code)
    error: Exception | None = None
    points = None
    try:
        points, _ = services.points_from_figures(node, _figures_typed(typed) or {}, label)
    except services.CampaignError as exc:
        error = exc
    kwargs = {f"{side}_typed": typed, f"{side}_error": error}
    context = _criterion_context(request, score, **kwargs)  # type: ignore[arg-type]
    context[f"{side}_computed"] = points if error is None else None
    shown = "" if error is None or isinstance(error, services.FigureRefused) else str(error)
    if side == "self":
        context.update(typed=typed, error=shown, refused=error is not None)
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "workflow/_self_form.html", context)
    else:
        context.update(appraise_typed=typed, appraise_error=shown, appraise_refused=error is not None)
    return render(request, "workflow/criterion.html", context, status=400 if error else 200)


@require_GET
def criterion(request: HttpRequest, pk: int, code: str, node: str) -> HttpResponse:
    score = score_for(request, pk, code, node)
    return render(request, "workflow/criterion.html", _criterion_context(request, score))


@require_POST
def self_score(request: HttpRequest, pk: int, code: str, node: str) -> HttpResponse:
    """Save the unit's own score and explanation (a draft until the unit submits). With HTMX
    the form alone is sent back, with the saved values or the reason it was refused. A
    refused value is shown again as typed, with the reason next to the field, so nothing
    the officer wrote is lost (with or without HTMX)."""
    score = _scored_by_hand(request, pk, code, node)
    typed = _typed(request, score, "score", "explanation")
    if request.POST.get("preview") and _figures_of(typed) is not None:
        if not permissions.can_edit_criterion(request.user, score):
            raise PermissionDenied("Bạn không được sửa điểm tự đánh giá của tiêu chí này.")
        return _preview(request, score, typed, "self", "Số liệu tự đánh giá")
    error = ""
    refused: services.CampaignError | None = None
    try:
        services.set_self_score(
            score,
            typed["score"],
            user=request.user,
            explanation=typed["explanation"],
            expected_version=version_of(request),
            figures=_figures_of(typed),
        )
    except services.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    except services.CampaignError as exc:
        error = str(exc)
        refused = exc
        score.refresh_from_db()
    if request.htmx or error:  # type: ignore[attr-defined]
        context = _criterion_context(
            request, score, self_typed=typed if error else None, self_error=refused
        )
        # A figure refused is told beside its own field, not again beside the form.
        context["error"] = "" if isinstance(refused, services.FigureRefused) else error
        context["refused"] = bool(error)
        context["saved"] = not error
        context["typed"] = typed if error else None
        template = "workflow/_self_form.html" if request.htmx else "workflow/criterion.html"  # type: ignore[attr-defined]
        # 200 for HTMX, which swaps only successful answers; 400 for a plain form post.
        return render(request, template, context, status=400 if error and not request.htmx else 200)  # type: ignore[attr-defined]
    return done(request, _criterion_url(score), "Đã lưu bản nháp điểm tự đánh giá.")


@require_POST
def add_evidence(request: HttpRequest, pk: int, code: str, node: str) -> HttpResponse:
    score = score_for(request, pk, code, node)
    upload = request.FILES.get("file")
    if upload is None:
        return failed(request, _criterion_url(score), services.CampaignError("Chưa chọn tệp."))
    try:
        evidence = services.add_evidence(score, upload, user=request.user)
    except (services.CampaignError, UploadRejected) as exc:
        return failed(request, _criterion_url(score), exc)
    return done(request, _criterion_url(score), f"Đã tải lên tài liệu kiểm chứng “{evidence.original_name}”.")


def _evidence_of(request: HttpRequest, pk: int, code: str, node: str, evidence_id: int) -> Evidence:
    score = score_for(request, pk, code, node)
    evidence = get_object_or_404(Evidence, pk=evidence_id, criterion_score=score)
    evidence.criterion_score = score
    return evidence


@require_POST
def delete_evidence(
    request: HttpRequest, pk: int, code: str, node: str, evidence_id: int
) -> HttpResponse:
    """Remove an evidence file before submission; refused on the server after it."""
    evidence = _evidence_of(request, pk, code, node, evidence_id)
    score = evidence.criterion_score
    try:
        remove_evidence(evidence, user=request.user)
    except services.CampaignError as exc:
        return failed(request, _criterion_url(score), exc)
    return done(request, _criterion_url(score), f"Đã gỡ tài liệu kiểm chứng “{evidence.original_name}”.")


@require_POST
def swap_evidence(
    request: HttpRequest, pk: int, code: str, node: str, evidence_id: int
) -> HttpResponse:
    """Replace an evidence file by another before submission (the old one is removed only
    when the new one is accepted)."""
    evidence = _evidence_of(request, pk, code, node, evidence_id)
    score = evidence.criterion_score
    if not permissions.can_edit_criterion(request.user, score):
        raise PermissionDenied("Không thay được tài liệu kiểm chứng của tiêu chí này.")
    upload = request.FILES.get("file")
    if upload is None:
        return failed(request, _criterion_url(score), services.CampaignError("Chưa chọn tệp thay thế."))
    try:
        added = replace_evidence(evidence, upload, user=request.user)
    except (services.CampaignError, UploadRejected) as exc:
        return failed(request, _criterion_url(score), exc)
    return done(
        request,
        _criterion_url(score),
        f"Đã thay “{evidence.original_name}” bằng “{added.original_name}”.",
    )


@require_GET
def evidence_file(request: HttpRequest, pk: int, code: str, node: str, evidence_id: int) -> FileResponse:
    """An evidence file, to the office roles and the unit's own officer only."""
    score = score_for(request, pk, code, node)
    evidence = get_object_or_404(Evidence, pk=evidence_id, criterion_score=score)
    if not permissions.can_view_evidence(request.user, evidence):
        raise Http404
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


@require_POST
def appraise(request: HttpRequest, pk: int, code: str, node: str) -> HttpResponse:
    """Save the appraised score; a refused one is shown again as typed, score and reason,
    with the reason for the refusal next to the field (400)."""
    score = _scored_by_hand(request, pk, code, node)
    typed = _typed(request, score, "score", "reason")
    if request.POST.get("preview") and _figures_of(typed) is not None:
        if not permissions.can_appraise_criterion(request.user, score):
            raise PermissionDenied("Bạn không được thẩm định tiêu chí này.")
        return _preview(request, score, typed, "appraise", "Số liệu thẩm định")
    try:
        services.appraise(
            score,
            typed["score"],
            user=request.user,
            reason=typed["reason"],
            expected_version=version_of(request),
            figures=_figures_of(typed),
        )
    except services.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    except services.CampaignError as exc:
        score.refresh_from_db()
        context = _criterion_context(request, score, appraise_typed=typed, appraise_error=exc)
        refused_figure = isinstance(exc, services.FigureRefused)
        context["appraise_error"] = "" if refused_figure else str(exc)
        context["appraise_refused"] = True
        context["appraise_typed"] = typed
        return render(request, "workflow/criterion.html", context, status=400)
    return done(request, _criterion_url(score), "Đã lưu điểm thẩm định.")


@require_POST
def raise_objection(request: HttpRequest, pk: int, code: str, node: str) -> HttpResponse:
    score = score_for(request, pk, code, node)
    try:
        services.raise_objection(score, post_text(request, "text"), user=request.user)
    except services.CampaignError as exc:
        return failed(request, _criterion_url(score), exc)
    return done(request, _criterion_url(score), "Đã gửi kiến nghị.")


@require_POST
def answer_objection(
    request: HttpRequest, pk: int, code: str, node: str, objection_id: int
) -> HttpResponse:
    score = score_for(request, pk, code, node)
    objection = get_object_or_404(Objection, pk=objection_id, criterion_score=score)
    objection.criterion_score = score
    try:
        new_score = post_text(request, "score")
        objections.answer(
            objection,
            post_text(request, "answer"),
            user=request.user,
            new_score=new_score,
            expected_version=version_of(request) if new_score.strip() else None,
        )
    except services.CampaignError as exc:
        return failed(request, _criterion_url(score), exc)
    return done(request, _criterion_url(score), "Đã trả lời kiến nghị.")
