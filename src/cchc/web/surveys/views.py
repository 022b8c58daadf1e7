"""Survey pages: the organiser's (create, draw, links, paper, import, results, publish) and
the respondent's form reached by a one-time link.

Views parse the request, call the survey modules (which call the core and check the
permission again) and render; no index or point arithmetic happens here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cchc.surveys import SurveyInputError, index_json, points_json
from cchc.web.surveys import access, collection, links, planning, results, sampling
from cchc.web.surveys.errors import LinkInvalid, LinkUsed, SurveyError, SurveyNotOpen
from cchc.web.surveys.forms import AnswerForm, DrawForm, ImportForm, SurveyForm
from cchc.web.surveys.models import Respondent, Survey, SurveyStatus

# --- organiser -----------------------------------------------------------------------------


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_surveys(request.user):
        raise PermissionDenied
    surveys = Survey.objects.select_related("campaign").annotate(
        drawn=Count("respondents", filter=Q(respondents__reserve=False)),
        answered=Count("respondents", filter=Q(respondents__used_at__isnull=False)),
    )
    return render(request, "surveys/list.html", {"surveys": surveys})


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_surveys(request.user):
        raise PermissionDenied
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = planning.SurveyPlan(
            campaign=data["campaign"],
            component_code=data["component_code"].strip(),
            kind=data["kind"],
            max_points=data["max_points"],
            period=data["period"],
            margin=data["margin"],
            seed=data["seed"],
            reserve_ratio=data["reserve_ratio"],
            by_procedure=data["by_procedure"],
            name=data["name"],
        )
        try:
            survey = planning.create_survey(plan, user=request.user)
        except SurveyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Đã tạo cuộc khảo sát “{survey.name}”.")
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/create.html", {"form": form})


def _unit_rows(survey: Survey) -> list[dict[str, Any]]:
    counts = {
        row["unit__code"]: row
        for row in Respondent.objects.filter(survey=survey)
        .values("unit__code")
        .annotate(
            answered=Count("pk", filter=Q(used_at__isnull=False)),
            issued=Count("pk", filter=Q(issued_at__isnull=False)),
        )
    }
    return [
        {"plan": p, **{k: counts.get(p.unit_code, {}).get(k, 0) for k in ("answered", "issued")}}
        for p in sampling.unit_plans(survey)
    ]


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access.managed_survey(request.user, pk)
    context = {
        "survey": survey,
        "questionnaire": planning.questionnaire(survey),
        "units": _unit_rows(survey),
        "draw_form": DrawForm(),
        "answers": survey.answers.values("respondent_key").distinct().count(),
    }
    return render(request, "surveys/detail.html", context)


@login_required
@require_POST
def draw(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access.managed_survey(request.user, pk)
    form = DrawForm(request.POST, request.FILES)
    problems: list[str] = []
    error = ""
    status = 400
    if form.is_valid():
        try:
            upload = form.cleaned_data.get("ledger")
            if upload:
                status = 422  # an uploaded file that cannot be used, as every upload
                table, name = sampling.file_ledger(survey, upload)
                status = 400
                sample = sampling.draw(survey, user=request.user, ledger=table, source=name)
            else:
                sample = sampling.draw(survey, user=request.user)
        except SurveyError as exc:
            error, problems = str(exc), exc.problems
        else:
            drawn = sum(1 for r in sample.respondents if r.role == "sample")
            messages.success(request, f"Đã chọn mẫu {drawn} người (kèm danh sách dự phòng).")
            return redirect("surveys:detail", pk=survey.pk)
    context = {
        "survey": survey,
        "questionnaire": planning.questionnaire(survey),
        "units": _unit_rows(survey),
        "draw_form": form,
        "draw_error": error,
        "draw_problems": problems,
        "answers": 0,
    }
    return render(request, "surveys/detail.html", context, status=status)


@login_required
@require_POST
@never_cache
def issue(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Issue fresh links for one unit and show the printable list (the only time tokens show)."""
    survey = access.managed_survey(request.user, pk)
    unit = next((u for c, u in sampling.campaign_units(survey).items() if c == code), None)
    if unit is None:
        raise Http404("Đơn vị không có trong đợt đánh giá.")
    try:
        issued = links.issue_links(
            survey, unit, user=request.user, include_reserve=bool(request.POST.get("du_phong"))
        )
    except SurveyError as exc:
        messages.error(request, str(exc))
        return redirect("surveys:detail", pk=survey.pk)
    rows = []
    contacts = links.applicant_contacts(item.respondent for item in issued)
    for item in issued:
        url = request.build_absolute_uri(reverse("surveys:answer", args=[item.token]))
        name, phone = contacts.get(item.respondent.dossier_code, ("", ""))
        rows.append(
            {"respondent": item.respondent, "url": url, "qr": links.qr_svg(url), "name": name, "phone": phone}
        )
    return render(request, "surveys/links.html", {"survey": survey, "unit": unit, "rows": rows})


@login_required
def paper_list(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access.managed_survey(request.user, pk)
    query = request.GET.get("ma", "").strip()
    people = Respondent.objects.filter(survey=survey).select_related("unit")
    if query:
        people = people.filter(dossier_code__icontains=query)
    return render(
        request,
        "surveys/paper_list.html",
        {"survey": survey, "people": people[:200], "query": query},
    )


@login_required
def paper(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    survey = access.managed_survey(request.user, pk)
    person = get_object_or_404(
        Respondent.objects.select_related("unit", "survey"), pk=rid, survey=survey
    )
    form_def = planning.questionnaire(survey)
    form = AnswerForm(form_def, request.POST or None)
    problems: list[str] = []
    if request.method == "POST":
        values = {q.id: request.POST.get(q.id) for f in form_def.factors for q in f.questions}
        try:
            collection.enter_paper(person, values, user=request.user)
        except SurveyInputError as exc:
            problems = [str(p) for p in exc.problems]
        except SurveyError as exc:
            problems = [str(exc)]
        else:
            messages.success(request, f"Đã nhập phiếu giấy của hồ sơ {person.dossier_code}.")
            return redirect("surveys:paper_list", pk=survey.pk)
    return render(
        request,
        "surveys/paper.html",
        {
            "survey": survey,
            "person": person,
            "form": form,
            "questionnaire": form_def,
            "problems": problems,
        },
        status=400 if problems else 200,
    )


@login_required
def import_file(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access.managed_survey(request.user, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    error, problems = "", []
    if request.method == "POST" and form.is_valid():
        try:
            count = collection.import_answers(
                survey, form.cleaned_data["file"], kind=form.cleaned_data["kind"], user=request.user
            )
        except SurveyError as exc:
            error, problems = str(exc), exc.problems
        else:
            messages.success(request, f"Đã nhập {count} câu trả lời.")
            return redirect("surveys:detail", pk=survey.pk)
    return render(
        request,
        "surveys/import.html",
        {"survey": survey, "form": form, "error": error, "problems": problems},
        status=422 if error else 200,  # the file cannot be used, as for every upload
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access.managed_survey(request.user, pk)
    try:
        results.close(survey, user=request.user)
    except SurveyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Đã kết thúc thu phiếu: các liên kết không còn hiệu lực.")
    return redirect("surveys:detail", pk=survey.pk)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access.managed_survey(request.user, pk)
    try:
        outcome = results.publish(survey, user=request.user)
    except SurveyError as exc:
        messages.error(request, str(exc))
        return redirect("surveys:results", pk=survey.pk)
    messages.success(
        request,
        f"Đã ghi điểm thành phần {survey.component_code} của {len(outcome.units)} đơn vị vào đợt "
        f"đánh giá “{survey.campaign.name}”.",
    )
    if outcome.too_few:
        messages.warning(
            request,
            f"Chưa đủ {results.min_respondents()} người trả lời, không ghi điểm và không công bố "
            "số liệu: " + ", ".join(outcome.too_few) + ".",
        )
    if outcome.without_data:
        messages.warning(
            request,
            "Chưa có câu trả lời hợp lệ, không ghi điểm: " + ", ".join(outcome.without_data) + ".",
        )
    return redirect("surveys:results", pk=survey.pk)


# --- results (office roles; everyone once published) ---------------------------------------


def results_page(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access.visible_survey(request.user, pk)
    form_def = planning.questionnaire(survey)
    result, withheld = results.visible_result(survey, request.user)
    names = {code: unit.name for code, unit in sampling.campaign_units(survey).items()}
    points = {p.unit_code: p for p in results.points(survey, result)}
    factor_labels = {f.key: f.label for f in form_def.factors}
    units = [
        {
            "unit": u,
            "name": names.get(u.unit_code, u.unit_code),
            "points": points.get(u.unit_code),
            "factors": [
                {
                    "label": factor_labels.get(k, k),
                    "key": k,
                    "share": f.share,
                    "interval": f.share.interval,
                }
                for k, f in u.factors.items()
            ],
            "withheld": u.unit_code in withheld,  # shown to the organiser only
        }
        for u in result.units
    ]
    context = {
        "survey": survey,
        "questionnaire": form_def,
        "units": units,
        "comparisons": results.comparisons(result),
        "chart": results.chart_svg(result),
        "can_manage": access.can_manage_surveys(request.user),
        "max_points": float(survey.max_points),
        "satisfied_label": next(
            lv.label for lv in form_def.scale.levels if lv.value == form_def.scale.satisfied_min
        ),
        "published": survey.status == SurveyStatus.PUBLISHED,
        "withheld": [(code, names.get(code, code)) for code in withheld],
        "min_respondents": results.min_respondents(),
    }
    return render(request, "surveys/results.html", context)


def results_json(request: HttpRequest, pk: int) -> JsonResponse:
    """The page's JSON twin: the ``cchc survey index --format json`` contract, plus points."""
    survey = access.visible_survey(request.user, pk)
    result, withheld = results.visible_result(survey, request.user)
    body = {
        **index_json(result),
        "component": survey.component_code,
        "points": points_json(results.points(survey, result)),
        "status": survey.status,
        "illustrative": survey.campaign.illustrative,
        # Units below CCHC_SURVEY_MIN_RESPONDENTS: named, their figures not published.
        "withheld": withheld,
        "min_respondents": results.min_respondents(),
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access.visible_survey(request.user, pk)
    data = results.export_bytes(survey, results.visible_result(survey, request.user)[0])
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="khao-sat-{survey.pk}.xlsx"'
    return response


# --- respondent (no log-in: the token in the link is the key) -------------------------------


@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        person = links.respondent_for(token)
    except LinkInvalid as exc:
        return render(request, "surveys/link_refused.html", {"message": str(exc)}, status=404)
    except (LinkUsed, SurveyNotOpen) as exc:
        return render(request, "surveys/link_refused.html", {"message": str(exc)}, status=410)
    form_def = planning.questionnaire(person.survey)
    form = AnswerForm(form_def, request.POST or None)
    problems: list[str] = []
    if request.method == "POST":
        values = {q.id: request.POST.get(q.id) for f in form_def.factors for q in f.questions}
        try:
            collection.submit_by_link(person, values)
        except SurveyInputError as exc:
            problems = [str(p) for p in exc.problems]
        except (LinkUsed, SurveyNotOpen) as exc:
            return render(request, "surveys/link_refused.html", {"message": str(exc)}, status=410)
        else:
            return render(request, "surveys/thanks.html", {"survey": person.survey})
    context = {
        "survey": person.survey,
        "unit": person.unit,
        "form": form,
        "questionnaire": form_def,
        "problems": problems,
    }
    return render(request, "surveys/answer.html", context, status=400 if problems else 200)
