"""Forms of the survey pages. Numbers accept "0,05" and "0.05" (docs/field.md §9)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from cchc import fmt
from cchc.service.period import choices_for_year
from cchc.web.campaigns.models import Campaign
from cchc.web.surveys.collection import FORMATS
from cchc.web.surveys.planning import KINDS


def _decimal(text: str, label: str) -> Decimal | None:
    if not text.strip():
        return None
    try:
        return Decimal(str(fmt.parse_number(text)))
    except (fmt.ParseNumberError, InvalidOperation):
        raise forms.ValidationError(f"{label}: “{text}” không phải là số.") from None


def period_choices(campaigns: Any) -> list[Any]:
    """The periods offered: each open campaign's year and the year before (a survey asks
    about dossiers already finished), newest first, grouped by year."""
    years: set[int] = set()
    for year in campaigns.values_list("year", flat=True):
        years |= {year, year - 1}
    groups: list[Any] = [("", "Cả năm của đợt đánh giá")]
    groups += [(f"Năm {y}", choices_for_year(y)) for y in sorted(years, reverse=True)]
    return groups


class SurveyForm(forms.Form):
    """Plain words for an office (no "seed", no "YYYY-Hn"); the survey's name first."""

    name = forms.CharField(
        label="Tên cuộc khảo sát",
        required=False,
        max_length=300,
        help_text="Để trống: đặt theo thành phần và đợt đánh giá, ví dụ “Khảo sát mức độ hài "
        "lòng… — Đánh giá chỉ số CCHC cấp xã năm 2026”.",
    )
    campaign = forms.ModelChoiceField(
        label="Đợt đánh giá",
        queryset=Campaign.objects.exclude(status="published"),
        empty_label="— chọn đợt đánh giá —",
    )
    component_code = forms.CharField(
        label="Thành phần được khảo sát (mã trong bộ chỉ số)",
        max_length=64,
        initial="HL",
        help_text="Ví dụ HL: mức độ hài lòng của người dân, tổ chức.",
    )
    kind = forms.ChoiceField(label="Loại phiếu", choices=list(KINDS.items()))
    max_points = forms.CharField(
        label="Điểm tối đa K",
        required=False,
        help_text="Để trống: điểm tối đa của thành phần trong bộ chỉ số.",
    )
    # A list of periods said in words; the value is the period's code, still checked by the
    # planning (a value not in the list is refused there with the reason).
    period = forms.CharField(
        label="Kỳ khảo sát (hồ sơ đã giải quyết xong trong kỳ nào)",
        required=False,
        max_length=16,
        widget=forms.Select,
    )
    margin = forms.CharField(
        label="Sai số e",
        initial="0,05",
        help_text="0,05 là sai số 5 %: sai số càng nhỏ thì càng phải hỏi nhiều người.",
    )
    reserve_ratio = forms.CharField(
        label="Tỷ lệ dự phòng",
        initial="0,5",
        help_text="Số người dự phòng = tỷ lệ × cỡ mẫu của mỗi tầng (làm tròn lên).",
    )
    by_procedure = forms.BooleanField(
        label="Phân tầng theo thủ tục hành chính",
        required=False,
        help_text="Chia cỡ mẫu của mỗi đơn vị theo tỷ lệ hồ sơ của từng thủ tục.",
    )
    seed = forms.IntegerField(
        label="Số khởi tạo để rút mẫu",
        required=False,
        min_value=0,
        help_text="Ghi lại số này để rút lại đúng mẫu cũ: cùng số cho cùng danh sách người "
        "được chọn. Để trống: hệ thống tự chọn một số và lưu lại.",
    )
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].widget.choices = period_choices(self.fields["campaign"].queryset)

    def clean_max_points(self) -> Decimal | None:
        return _decimal(self.cleaned_data["max_points"], "Điểm tối đa K")

    def clean_reserve_ratio(self) -> Decimal:
        value = _decimal(self.cleaned_data["reserve_ratio"], "Tỷ lệ dự phòng")
        if value is None:
            raise forms.ValidationError("Tỷ lệ dự phòng: không được để trống.")
        return value

    def clean_margin(self) -> Decimal:
        value = _decimal(self.cleaned_data["margin"], "Sai số e")
        if value is None:
            raise forms.ValidationError("Sai số e: không được để trống.")
        return value


class DrawForm(forms.Form):
    ledger = forms.FileField(
        label="Sổ hồ sơ (tùy chọn)",
        required=False,
        help_text="Để trống: dùng sổ hồ sơ của bộ phận một cửa trong hệ thống. "
        "Tệp CSV, XLSX hoặc Parquet theo định dạng trao đổi hồ sơ.",
    )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="Định dạng", choices=list(FORMATS.items()))
    file = forms.FileField(label="Tệp kết quả (.csv, .xlsx)")


def answer_fields(form: Any, questionnaire: Any) -> None:
    """Add one radio field per question to ``form`` (levels, then "không trả lời")."""
    scale = questionnaire.scale
    choices = [(str(level.value), level.label) for level in scale.levels]
    choices.append((str(scale.no_answer.value), scale.no_answer.label))
    for factor in questionnaire.factors:
        for question in factor.questions:
            form.fields[question.id] = forms.ChoiceField(
                label=question.text, choices=choices, widget=forms.RadioSelect, required=False
            )


class AnswerForm(forms.Form):
    """The questionnaire as a form; validation of the values is the core's ``form_answers``."""

    def __init__(self, questionnaire: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        answer_fields(self, questionnaire)

    def factor_groups(self) -> list[tuple[str, list[Any]]]:
        """(factor label, bound fields) in questionnaire order, for the template."""
        return [(f.label, [self[q.id] for q in f.questions]) for f in self.questionnaire.factors]
